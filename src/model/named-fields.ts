import { ts } from "ts-morph";
import { isArrayLiteralExpression, isIdentifier, isPropertyAccessExpression, isSpreadElement, isVariableDeclaration } from "../compiler-direct.js";
import { skipOuterExpressions } from "../workspace/symbols.js";
import { constantText, declarationOf } from "./constant-text.js";

/*
 * The fields a field-selecting call names (lodash's `pick(license, ["dateExpires", "seats"])`, `omit(user, "email")`,
 * underscore's `_.pick(doc, "a", "b")`): its result holds those fields of its input, or every other one, and nothing
 * else. Reading the names from the code lets the engine keep the fields apart instead of joining the input whole.
 */

/** How many `const` lists to follow from a name to its initializer (`pick(x, SIGNED_FIELDS)`). */
const MAX_HOPS = 2;

/**
 * The field paths named by every argument of `call` from `first` on (the selected object's own argument, `skip`, left
 * out): a string (`"a"`, a dotted path `"b.c"`), a list of them, or a `const` list; undefined when any of them is not
 * spelled as a constant in the code (a computed list, `Object.keys(schema.shape)`, a predicate function), since then
 * which fields the result holds is not known.
 */
export function namedFields(call: ts.CallExpression | ts.NewExpression, first: number, skip: number | undefined, checker: ts.TypeChecker): string[][] | undefined {
  const args = call.arguments ?? [];
  if (args.length <= first) return undefined;
  const out: string[][] = [];
  for (let i = first; i < args.length; i++) {
    if (i === skip) continue;
    const names = namesIn(args[i]!, checker, 0);
    if (names === undefined) return undefined;
    out.push(...names.map((n) => n.split(".")));
  }
  return out;
}

function namesIn(argument: ts.Expression, checker: ts.TypeChecker, hops: number): string[] | undefined {
  const node = skipOuterExpressions(argument);
  if (isSpreadElement(node)) return undefined;
  if (isArrayLiteralExpression(node)) {
    const out: string[] = [];
    for (const element of node.elements) {
      const names = namesIn(element, checker, hops);
      if (names === undefined) return undefined;
      out.push(...names);
    }
    return out;
  }
  const text = constantText(node, checker);
  if (text !== undefined) return text.length > 0 ? [text] : undefined;
  // `pick(license, SIGNED_FIELDS)`: a `const` list of names, wherever it is declared
  const name = isIdentifier(node) ? node : isPropertyAccessExpression(node) ? node.name : undefined;
  const declaration = name !== undefined && hops < MAX_HOPS ? declarationOf(name, checker) : undefined;
  if (declaration !== undefined && isVariableDeclaration(declaration) && ts.getCombinedNodeFlags(declaration) & ts.NodeFlags.Const && declaration.initializer) {
    const initializer = skipOuterExpressions(declaration.initializer);
    if (isArrayLiteralExpression(initializer)) return namesIn(initializer, checker, hops + 1);
  }
  return undefined;
}

/**
 * The path a field-reading call spells (lodash's `get(account, "data.policies")`, `get(account, ["data", "policies",
 * policy])`): its keys from the start while each is a constant, and whether that is all of them. A dotted string is
 * split as lodash splits it (`a.b[0].c`, `a["b"]`); a list stops at its first key the code does not spell, whose value
 * is then some field below the prefix. Undefined when not even the first key is spelled.
 */
export function namedPath(call: ts.CallExpression | ts.NewExpression, at: number, checker: ts.TypeChecker): { keys: string[]; complete: boolean } | undefined {
  const argument = call.arguments?.[at];
  if (argument === undefined) return undefined;
  const node = skipOuterExpressions(argument);
  const keys: string[] = [];
  if (isArrayLiteralExpression(node)) {
    for (const element of node.elements) {
      const text = isSpreadElement(element) ? undefined : constantText(skipOuterExpressions(element), checker);
      if (text === undefined) return keys.length > 0 ? { keys, complete: false } : undefined;
      keys.push(text);
    }
    return keys.length > 0 ? { keys, complete: true } : undefined;
  }
  const text = constantText(node, checker);
  if (text === undefined || text.length === 0) return undefined;
  for (const part of text.replace(/\[\s*(?:"([^"]*)"|'([^']*)'|([^\]]*))\s*\]/g, (_m, d?: string, s?: string, b?: string) => `.${d ?? s ?? b ?? ""}`).split(".")) {
    if (part.length > 0) keys.push(part);
  }
  return keys.length > 0 ? { keys, complete: true } : undefined;
}
