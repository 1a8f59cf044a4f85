import { ts } from "ts-morph";
import {
  Kind, forEachChild, isArrayBindingPattern, isBinaryExpression, isBindingElement, isCallExpression, isElementAccessExpression, isFunctionLike,
  isIdentifier, isNonNullExpression, isNumericLiteral, isOmittedExpression, isParenthesizedExpression, isPrefixUnaryExpression,
  isPropertyAccessExpression, isRegularExpressionLiteral, isSourceFile, isStringLiteralLike, isVariableDeclaration,
} from "../compiler-direct.js";
import { skipOuterExpressions } from "../workspace/symbols.js";

/**
 * String operations that keep only what follows the `@` of an address — its domain — and so none of the person: the
 * domain of an e-mail address is a company's or a mail provider's (`example.com`), not the address. Recognised by
 * syntax, on calls no model or project function answers:
 *
 * - `addr.split("@")[1]` (any index after the first, `?.[1]` too), `addr.split("@").pop()`, `.at(-1)`;
 * - `const [, domain] = addr.split("@")`, and `const [_, tld] = …` whose first name is never read;
 * - `addr.substring(addr.indexOf("@") + 1)`, `.slice(…)`, `.substr(…)`, with `lastIndexOf` too and no end argument;
 * - `addr.replace(/^.*@/, "")` and `/.*@/`, `/^[^@]*@/` (everything up to the `@` removed).
 *
 * The part before the `@` (`split("@")[0]`) is not covered: a local part is often the person's name.
 */
export function keepsOnlyAddressDomain(call: ts.CallExpression): boolean {
  const callee = skipOuterExpressions(call.expression);
  if (!isPropertyAccessExpression(callee)) return false;
  const method = callee.name.text;
  if (method === "split") return isAtSplit(call) && readsAfterFirstPart(call);
  if (method === "pop" || method === "at") {
    const receiver = skipOuterExpressions(callee.expression);
    if (!isCallExpression(receiver) || !isAtSplit(receiver)) return false;
    if (method === "pop") return call.arguments.length === 0;
    const index = call.arguments[0] !== undefined ? numericValue(call.arguments[0]) : undefined;
    return index !== undefined && index !== 0;
  }
  if (method === "substring" || method === "slice" || method === "substr") {
    const start = call.arguments[0];
    return call.arguments.length === 1 && start !== undefined && isAfterAtPosition(start);
  }
  if (method === "replace" || method === "replaceAll") {
    const [pattern, replacement] = call.arguments;
    if (pattern === undefined || replacement === undefined) return false;
    const regex = skipOuterExpressions(pattern);
    const empty = skipOuterExpressions(replacement);
    return isRegularExpressionLiteral(regex) && /^\/\^?(\.\*|\[\^@\][*+])@\/[a-z]*$/.test(regex.text) && isStringLiteralLike(empty) && empty.text === "";
  }
  return false;
}

/** `x.split("@")`: one argument, the string "@". */
function isAtSplit(call: ts.CallExpression): boolean {
  const callee = skipOuterExpressions(call.expression);
  return isPropertyAccessExpression(callee) && callee.name.text === "split" && call.arguments.length === 1 && isAtSign(call.arguments[0]);
}

/** The string literal "@". */
function isAtSign(expression: ts.Expression | undefined): boolean {
  const node = expression !== undefined ? skipOuterExpressions(expression) : undefined;
  return node !== undefined && isStringLiteralLike(node) && node.text === "@";
}

/**
 * The split's result is read at a constant index after the first (`[1]`, `?.[1]`), and only there; or it is
 * destructured into names of which the first is left out or never read (`const [, domain]`, `const [_, tld]`).
 */
function readsAfterFirstPart(call: ts.CallExpression): boolean {
  let node: ts.Node = call;
  while (isParenthesizedExpression(node.parent) || isNonNullExpression(node.parent)) node = node.parent;
  const parent = node.parent;
  if (isVariableDeclaration(parent) && parent.initializer === node && isArrayBindingPattern(parent.name)) {
    const first = parent.name.elements[0];
    if (first === undefined || isOmittedExpression(first)) return true;
    return isBindingElement(first) && first.dotDotDotToken === undefined && isIdentifier(first.name) && !isReadInScope(first.name);
  }
  if (!isElementAccessExpression(parent) || parent.expression !== node) return false;
  const index = numericValue(parent.argumentExpression);
  return index !== undefined && index !== 0;
}

/**
 * Whether a declared name is read anywhere in the function (or file) that declares it: any identifier of the same
 * text but the declaration's own counts, so a shadowing name elsewhere only makes the answer "read".
 */
function isReadInScope(name: ts.Identifier): boolean {
  let scope: ts.Node = name.parent;
  while (!isFunctionLike(scope) && !isSourceFile(scope) && scope.parent !== undefined) scope = scope.parent;
  const visit = (node: ts.Node): boolean => node !== name && isIdentifier(node) && node.text === name.text || forEachChild(node, visit) === true;
  return forEachChild(scope, visit) === true;
}

/** `x.indexOf("@") + 1` (or `lastIndexOf`, `+ n` for any n ≥ 1). */
function isAfterAtPosition(expression: ts.Expression): boolean {
  const node = skipOuterExpressions(expression);
  if (!isBinaryExpression(node) || node.operatorToken.kind !== Kind.PlusToken) return false;
  const offset = numericValue(node.right);
  if (offset === undefined || offset < 1) return false;
  const position = skipOuterExpressions(node.left);
  if (!isCallExpression(position)) return false;
  const callee = skipOuterExpressions(position.expression);
  return isPropertyAccessExpression(callee) && (callee.name.text === "indexOf" || callee.name.text === "lastIndexOf") && isAtSign(position.arguments[0]);
}

/** A numeric literal, negative ones included (`-1`). */
function numericValue(expression: ts.Expression): number | undefined {
  const node = skipOuterExpressions(expression);
  if (isNumericLiteral(node)) return Number(node.text);
  if (isPrefixUnaryExpression(node) && node.operator === Kind.MinusToken && isNumericLiteral(node.operand)) {
    return -Number(node.operand.text);
  }
  return undefined;
}
