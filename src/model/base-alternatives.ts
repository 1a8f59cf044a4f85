import { ts } from "ts-morph";
import { isArrayLiteralExpression, isIdentifier, isSpreadElement, isVariableDeclaration } from "../compiler-direct.js";
import { evaluateDestination, toDestination } from "../dataflow/destinations/index.js";
import type { HostMatcher } from "./hosts.js";
import { skipOuterExpressions, symbolThroughImports } from "../workspace/symbols.js";

/** How many `const` arrays spread into one another are followed. */
const MAX_SPREAD_DEPTH = 8;

/**
 * A client configured with several hosts (kafkajs `brokers`, elasticsearch `node: [...]`, nats `servers`) may send to
 * any of them, so it is only as vetted as its least vetted host. The engine judges one destination per sink, so an
 * array of alternatives is narrowed here to the element that decides the verdict: the first that resolves to a host
 * vetted for no data class, else the first that does not resolve statically (the engine evaluates it again in its own
 * function, where a parameter may still settle), else the first host vetted for some classes only, else the first. `const` arrays, named or spread in, are followed;
 * a base that is not an array passes through unchanged.
 */
export function decidingBase(
  base: ts.Expression,
  checker: () => ts.TypeChecker,
  isVettedHost: HostMatcher,
  isPartlyVettedHost: HostMatcher = () => false,
): ts.Expression | undefined {
  const elements = alternativesOf(base, checker, 0);
  if (elements === undefined) return base;
  let unresolved: ts.Expression | undefined;
  let partly: ts.Expression | undefined;
  for (const element of elements) {
    const destination = toDestination(evaluateDestination(element, { checker: checker() }));
    if (destination.status !== "resolved") unresolved ??= element;
    else if (isPartlyVettedHost(destination.host)) partly ??= element;
    else if (!isVettedHost(destination.host)) return element;
  }
  return unresolved ?? partly ?? elements[0];
}

/** The elements of an array literal (or of a `const` holding one), spreads of such arrays flattened; else undefined. */
function alternativesOf(expression: ts.Expression, checker: () => ts.TypeChecker, depth: number): ts.Expression[] | undefined {
  const node = constArray(expression, checker, depth);
  if (node === undefined) return undefined;
  const out: ts.Expression[] = [];
  for (const element of node.elements) {
    if (!isSpreadElement(element)) {
      out.push(element);
      continue;
    }
    // [...ENCLAVE_BROKERS, extra]: the spread array's own elements, or the spread itself (unknown) when not a const
    out.push(...(depth < MAX_SPREAD_DEPTH ? (alternativesOf(element.expression, checker, depth + 1) ?? [element.expression]) : [element.expression]));
  }
  return out;
}

function constArray(expression: ts.Expression, checker: () => ts.TypeChecker, depth: number): ts.ArrayLiteralExpression | undefined {
  const node = skipOuterExpressions(expression);
  if (isArrayLiteralExpression(node)) return node;
  if (!isIdentifier(node) || depth >= MAX_SPREAD_DEPTH) return undefined;
  const declaration = symbolThroughImports(checker(), node)?.valueDeclaration;
  if (
    declaration === undefined ||
    !isVariableDeclaration(declaration) ||
    !(ts.getCombinedNodeFlags(declaration) & ts.NodeFlags.Const) ||
    declaration.initializer === undefined
  ) {
    return undefined;
  }
  return constArray(declaration.initializer, checker, depth + 1);
}
