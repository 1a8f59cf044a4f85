import { ts } from "ts-morph";
import { Kind, forEachChild, isBinaryExpression, isConditionalExpression, isDeleteExpression, isElementAccessExpression, isFunctionLike, isIdentifier, isIfStatement, isObjectLiteralExpression, isPostfixUnaryExpression, isPrefixUnaryExpression, isPropertyAccessExpression, isPropertyAssignment, isShorthandPropertyAssignment, isSpreadAssignment, isSpreadElement, isStringLiteralLike, isVoidExpression } from "../compiler-direct.js";
import { skipOuterExpressions } from "../workspace/symbols.js";

/**
 * Option flags a call site never sets (docs/engine.md, "Option flags"): `presentUser(user)` of
 * `presentUser(user, options: Options = {})`, which adds `user.email` only `if (options.includeDetails)`. One summary
 * per function would take that branch for every caller; a caller that passes no options (or `undefined`, a falsy
 * literal, an object literal without that flag) never does. Such a call site uses a variant of the callee's summary,
 * analysed with what the call site says about those parameters, in which a branch guarded by a flag known to be falsy
 * is not taken. Everything else about the variant is the ordinary analysis.
 */

/** What a call site says about one parameter the callee tests. */
export type ArgumentKnowledge =
  /** absent, `undefined` (and no default), `null`, `false`, `0`, `""`: the parameter itself is falsy */
  | { kind: "falsy" }
  /**
   * an object literal without a spread (or the default `{}` of an absent argument): `present` members may be truthy
   * (the others are `undefined` or a falsy literal), `truthy` ones are a truthy literal (`redact: true`)
   */
  | { kind: "object"; present: ReadonlySet<string>; truthy: ReadonlySet<string> };

export type ParameterKnowledge = ReadonlyMap<number, ArgumentKnowledge>;

/** How many variants one function may have; past that, its calls use the general summary (sound, less precise). */
export const MAX_VARIANTS = 8;

/**
 * Parameters the body tests in a condition (`if`, `?:`, `&&`, `||`, `!`) by themselves or through a member
 * (`options.includeDetails`), and never assigns (`options = { …defaults, ...options }` would change what they hold).
 * Nested functions are not looked into: they may run later, with other values.
 */
export function guardedParameters(fn: ts.FunctionLikeDeclaration): ReadonlySet<number> {
  const names = new Map<string, number>();
  fn.parameters.forEach((p, i) => {
    if (isIdentifier(p.name) && p.dotDotDotToken === undefined) names.set(p.name.text, i);
  });
  const guarded = new Set<number>();
  if (names.size === 0 || fn.body === undefined) return guarded;
  const assigned = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (node !== fn.body && isFunctionLike(node)) return;
    if (isIfStatement(node)) mark(node.expression);
    else if (isConditionalExpression(node)) mark(node.condition);
    else if (isBinaryExpression(node)) {
      const op = node.operatorToken.kind;
      if (op === Kind.AmpersandAmpersandToken || op === Kind.BarBarToken) mark(node.left);
      if (op >= Kind.FirstAssignment && op <= Kind.LastAssignment) {
        const root = rootName(node.left);
        if (root !== undefined) assigned.add(root);
      }
    } else if ((isPrefixUnaryExpression(node) || isPostfixUnaryExpression(node)) && node.operator !== Kind.ExclamationToken) {
      const root = rootName(node.operand);
      if (root !== undefined) assigned.add(root);
    } else if (isDeleteExpression(node)) {
      const root = rootName(node.expression);
      if (root !== undefined) assigned.add(root);
    }
    forEachChild(node, visit);
  };
  const mark = (condition: ts.Expression): void => {
    const node = skipOuterExpressions(condition);
    if (isPrefixUnaryExpression(node) && node.operator === Kind.ExclamationToken) return mark(node.operand);
    if (isBinaryExpression(node) && node.operatorToken.kind === Kind.AmpersandAmpersandToken) {
      mark(node.left);
      mark(node.right);
      return;
    }
    const root = rootName(node);
    const index = root === undefined ? undefined : names.get(root);
    if (index !== undefined) guarded.add(index);
  };
  visit(fn.body);
  for (const name of assigned) {
    const index = names.get(name);
    if (index !== undefined) guarded.delete(index);
  }
  return guarded;
}

/**
 * What this call site says about the guarded parameters, or undefined when it says nothing useful (every such
 * argument is a value the engine cannot read as a literal). A spread argument before a parameter hides its position.
 */
export function knowledgeAt(
  fn: ts.FunctionLikeDeclaration,
  guarded: ReadonlySet<number>,
  argumentCount: number,
  /** The argument expressions, when the call has them (a setter or an implicit constructor call passes values only). */
  argExprs: readonly ts.Expression[],
  /**
   * Parameters whose declaration is a source (a request context whose type declares the client's IP): a call site that
   * passes nothing there (absent, `undefined`, a falsy literal) hands the callee no such data. Only that is known of them.
   */
  sourced: ReadonlySet<number> = new Set(),
  /** Whether an argument is known falsy at the caller (its own parameter, left out by the caller's caller). */
  knownFalsy: (argument: ts.Expression) => boolean = () => false,
): ParameterKnowledge | undefined {
  const known = new Map<number, ArgumentKnowledge>();
  const written = argExprs.length === argumentCount;
  const spreadAt = written ? argExprs.findIndex((a) => isSpreadElement(a)) : -1;
  for (const index of new Set([...guarded, ...sourced])) {
    if (spreadAt >= 0 && spreadAt <= index) continue;
    const parameter = fn.parameters[index];
    if (parameter === undefined) continue;
    let knowledge: ArgumentKnowledge | undefined;
    if (index >= argumentCount) knowledge = ofDefault(parameter.initializer);
    else if (written) {
      const argument = argExprs[index]!;
      knowledge = isUndefined(argument) ? ofDefault(parameter.initializer) : knownFalsy(argument) ? { kind: "falsy" } : ofArgument(argument);
    }
    if (knowledge !== undefined && (knowledge.kind === "falsy" || guarded.has(index))) known.set(index, knowledge);
  }
  return known.size > 0 ? known : undefined;
}

/** A stable key of the knowledge, one variant per key. */
export function knowledgeKey(knowledge: ParameterKnowledge): string {
  return [...knowledge]
    .sort(([a], [b]) => a - b)
    .map(([i, k]) => (k.kind === "falsy" ? `${i}:falsy` : `${i}:{${[...k.present].sort().join(",")}|${[...k.truthy].sort().join(",")}}`))
    .join(";");
}

/**
 * Whether `condition` is falsy (or truthy) whatever else holds, given what the call site said about the parameters
 * (`parameterOf` tells which parameter an identifier is, resolving shadowing). `options.includeDetails` with no options
 * passed is `undefined`; `a && b` is falsy when either is; a member of a falsy parameter is never reached as truthy (it
 * is `undefined` through `?.`, or the read throws); `{ redact: true }` makes `options.redact` truthy.
 */
export function knownTruth(
  condition: ts.Expression,
  knowledge: ParameterKnowledge,
  parameterOf: (identifier: ts.Identifier) => number | undefined,
): "falsy" | "truthy" | undefined {
  const node = skipOuterExpressions(condition);
  if (isPrefixUnaryExpression(node) && node.operator === Kind.ExclamationToken) {
    const inner = knownTruth(node.operand, knowledge, parameterOf);
    return inner === "falsy" ? "truthy" : inner === "truthy" ? "falsy" : undefined;
  }
  if (isBinaryExpression(node) && (node.operatorToken.kind === Kind.AmpersandAmpersandToken || node.operatorToken.kind === Kind.BarBarToken)) {
    const left = knownTruth(node.left, knowledge, parameterOf);
    const right = knownTruth(node.right, knowledge, parameterOf);
    const and = node.operatorToken.kind === Kind.AmpersandAmpersandToken;
    const decisive = and ? "falsy" : "truthy";
    if (left === decisive || right === decisive) return decisive;
    return left !== undefined && right !== undefined ? left : undefined;
  }
  const members: string[] = [];
  let current: ts.Expression = node;
  for (;;) {
    current = skipOuterExpressions(current);
    if (isPropertyAccessExpression(current)) {
      members.unshift(current.name.text);
      current = current.expression;
    } else if (isElementAccessExpression(current) && isStringLiteralLike(skipOuterExpressions(current.argumentExpression))) {
      members.unshift((skipOuterExpressions(current.argumentExpression) as ts.StringLiteralLike).text);
      current = current.expression;
    } else break;
  }
  if (!isIdentifier(current)) return undefined;
  const index = parameterOf(current);
  const known = index === undefined ? undefined : knowledge.get(index);
  if (known === undefined) return undefined;
  if (known.kind === "falsy") return "falsy";
  const first = members[0];
  if (first === undefined) return "truthy"; // an object
  if (!known.present.has(first)) return "falsy";
  return members.length === 1 && known.truthy.has(first) ? "truthy" : undefined;
}

function ofDefault(initializer: ts.Expression | undefined): ArgumentKnowledge | undefined {
  if (initializer === undefined) return { kind: "falsy" };
  return ofArgument(initializer);
}

function ofArgument(argument: ts.Expression): ArgumentKnowledge | undefined {
  const node = skipOuterExpressions(argument);
  if (isFalsyLiteral(node)) return { kind: "falsy" };
  if (!isObjectLiteralExpression(node)) return undefined;
  const present = new Set<string>();
  const truthy = new Set<string>();
  for (const property of node.properties) {
    if (isSpreadAssignment(property)) return undefined; // `{ ...defaults }` may set anything
    const name = property.name === undefined ? undefined : isIdentifier(property.name) || isStringLiteralLike(property.name) ? property.name.text : undefined;
    if (name === undefined) return undefined; // a computed name may be any member
    if (isPropertyAssignment(property) && isFalsyLiteral(skipOuterExpressions(property.initializer))) continue;
    present.add(name);
    if (!isPropertyAssignment(property) || isTruthyLiteral(skipOuterExpressions(property.initializer))) {
      if (!isShorthandPropertyAssignment(property)) truthy.add(name); // a method, an accessor, or a truthy literal
    }
  }
  return { kind: "object", present, truthy };
}

function isUndefined(node: ts.Expression): boolean {
  const inner = skipOuterExpressions(node);
  return (isIdentifier(inner) && inner.text === "undefined") || isVoidExpression(inner);
}

function isFalsyLiteral(node: ts.Expression): boolean {
  switch (node.kind) {
    case Kind.NullKeyword:
    case Kind.FalseKeyword:
      return true;
    case Kind.NumericLiteral:
      return Number((node as ts.NumericLiteral).text) === 0;
    case Kind.StringLiteral:
    case Kind.NoSubstitutionTemplateLiteral:
      return (node as ts.StringLiteralLike).text === "";
    default:
      return isUndefined(node);
  }
}

function isTruthyLiteral(node: ts.Expression): boolean {
  switch (node.kind) {
    case Kind.TrueKeyword:
    case Kind.ObjectLiteralExpression:
    case Kind.ArrayLiteralExpression:
    case Kind.ArrowFunction:
    case Kind.FunctionExpression:
      return true;
    case Kind.NumericLiteral:
      return Number((node as ts.NumericLiteral).text) !== 0;
    case Kind.StringLiteral:
    case Kind.NoSubstitutionTemplateLiteral:
      return (node as ts.StringLiteralLike).text !== "";
    default:
      return false;
  }
}

/** The identifier at the root of `a.b["c"]`, if any. */
function rootName(expression: ts.Expression): string | undefined {
  let node = skipOuterExpressions(expression);
  while (isPropertyAccessExpression(node) || isElementAccessExpression(node)) node = skipOuterExpressions(node.expression);
  return isIdentifier(node) ? node.text : undefined;
}
