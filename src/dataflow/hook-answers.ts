import { ts } from "ts-morph";
import { Kind, forEachChild, isArrayLiteralExpression, isArrowFunction, isAwaitExpression, isBinaryExpression, isCallExpression, isClassExpression, isFunctionExpression, isFunctionLike, isIdentifier, isMethodDeclaration, isObjectLiteralExpression, isPrefixUnaryExpression, isPropertyAccessExpression, isReturnStatement, isVariableDeclaration, isVariableDeclarationList, isVoidExpression } from "../compiler-direct.js";
import { skipOuterExpressions } from "../workspace/symbols.js";

/**
 * What an optional hook answers on a known receiver (docs/engine.md, "Receiver variants"). A base class's method asks
 * its receiver's hook and branches on the answer:
 *
 *     const extra = await this.beforeSend?.(this.props);
 *     if (extra === false) { logger.info("not sent", this.props); return; }
 *
 * Analysed as one body the branch is always taken. In a receiver variant the engine knows which bodies `this.beforeSend`
 * may run: none (the class declares no hook: `?.` answers `undefined`) or methods whose every `return` hands back an
 * object literal. Then `extra === false` is false and the branch is not taken for that receiver. Everything here is
 * syntax: which bodies can run is the interpreter's (calls.ts `hookAnswers`).
 */

/** The values a hook may answer, none of them `false`: a condition on them is decided by which are possible. */
export type AnswerKind = "undefined" | "null" | "true" | "object";

/** A condition on one operand that the hook's answers may decide. */
export interface AnswerTest {
  readonly operand: ts.Expression;
  /** `x` (its truth), `x === false` (`strict`), `x == false` (`loose`). */
  readonly test: "truth" | "strict" | "loose";
  /** `!x`, `x !== false`, `x != false`. */
  readonly negated: boolean;
}

/** The condition as a test of one operand's answer, when it has one of the shapes above. */
export function answerTest(condition: ts.Expression): AnswerTest | undefined {
  const node = skipOuterExpressions(condition);
  if (isPrefixUnaryExpression(node) && node.operator === Kind.ExclamationToken) {
    const inner = answerTest(node.operand);
    return inner && { ...inner, negated: !inner.negated };
  }
  if (isBinaryExpression(node)) {
    const op = node.operatorToken.kind;
    const strict = op === Kind.EqualsEqualsEqualsToken || op === Kind.ExclamationEqualsEqualsToken;
    const loose = op === Kind.EqualsEqualsToken || op === Kind.ExclamationEqualsToken;
    if (!strict && !loose) return undefined;
    const left = skipOuterExpressions(node.left);
    const right = skipOuterExpressions(node.right);
    const operand = right.kind === Kind.FalseKeyword ? node.left : left.kind === Kind.FalseKeyword ? node.right : undefined;
    if (operand === undefined) return undefined;
    return { operand, test: strict ? "strict" : "loose", negated: op === Kind.ExclamationEqualsEqualsToken || op === Kind.ExclamationEqualsToken };
  }
  return { operand: condition, test: "truth", negated: false };
}

/** Whether the test is falsy or truthy for every answer in `answers` (an empty set: the call cannot answer). */
export function decideTest(test: AnswerTest, answers: ReadonlySet<AnswerKind>): "falsy" | "truthy" | undefined {
  let outcome: boolean | undefined;
  if (test.test === "truth") {
    const all = (kinds: readonly AnswerKind[]) => [...answers].every((a) => kinds.includes(a));
    outcome = all(["undefined", "null"]) ? false : all(["true", "object"]) ? true : undefined;
  } else if (test.test === "strict") {
    outcome = false; // none of the kinds is `false`
  } else {
    // `[] == false` and an object whose valueOf answers 0 are loosely false: only the primitives are decided
    outcome = [...answers].every((a) => a !== "object") ? false : undefined;
  }
  if (outcome === undefined || answers.size === 0) return undefined;
  return outcome !== test.negated ? "truthy" : "falsy";
}

/**
 * What a call of `method` may answer, from the expressions of its body's `return` statements (not those of functions
 * nested in it): an object, array, function or class literal, `true`, `null`, `undefined` or nothing. Undefined when a
 * return may be anything else, or the body is a generator. `awaited`: the caller awaits the call; an async method's
 * answer is then what it returns, else its promise (an object).
 */
export function methodAnswers(method: ts.SignatureDeclaration, awaited: boolean): ReadonlySet<AnswerKind> | undefined {
  if (!isMethodDeclaration(method) || method.body === undefined || method.asteriskToken !== undefined) return undefined;
  const async = method.modifiers?.some((m) => m.kind === Kind.AsyncKeyword) ?? false;
  if (async && !awaited) return new Set(["object"]);
  const answers = new Set<AnswerKind>();
  let unknown = false;
  const visit = (node: ts.Node): void => {
    if (unknown || (node !== method.body && isFunctionLike(node))) return;
    if (isReturnStatement(node)) {
      const kind = node.expression === undefined ? "undefined" : literalKind(node.expression);
      if (kind === undefined) unknown = true;
      else answers.add(kind);
      return;
    }
    forEachChild(node, visit);
  };
  visit(method.body);
  if (unknown) return undefined;
  // the end of the body may be reached unless its last statement returns
  const last = method.body.statements[method.body.statements.length - 1];
  if (last === undefined || !isReturnStatement(last)) answers.add("undefined");
  return answers;
}

function literalKind(expression: ts.Expression): AnswerKind | undefined {
  const node = skipOuterExpressions(expression);
  if (isAwaitExpression(node)) return undefined;
  if (isObjectLiteralExpression(node) || isArrayLiteralExpression(node) || isArrowFunction(node) || isFunctionExpression(node) || isClassExpression(node)) return "object";
  if (node.kind === Kind.TrueKeyword) return "true";
  if (node.kind === Kind.NullKeyword) return "null";
  if ((isIdentifier(node) && node.text === "undefined") || isVoidExpression(node)) return "undefined";
  return undefined;
}

/**
 * The names of the `const`s a function's body (not a function nested in it) initialises with a call on `this`
 * (`const extra = await this.beforeSend?.(props)`): only a test of one of them can be a hook's answer, so the checker
 * is asked which declaration an identifier names only for those.
 */
export function hookConstNames(fn: ts.Node): ReadonlySet<string> {
  const names = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (node !== fn && isFunctionLike(node)) return;
    if (isVariableDeclaration(node) && isIdentifier(node.name) && node.initializer !== undefined && isVariableDeclarationList(node.parent) && (node.parent.flags & ts.NodeFlags.Const) !== 0) {
      const { call } = awaitedCall(node.initializer);
      if (isCallExpression(call) && isPropertyAccessExpression(call.expression) && skipOuterExpressions(call.expression.expression).kind === Kind.ThisKeyword) names.add(node.name.text);
    }
    forEachChild(node, visit);
  };
  visit(fn);
  return names;
}

/** `await x`: the awaited expression and that it is awaited, through parentheses and casts. */
export function awaitedCall(expression: ts.Expression): { call: ts.Expression; awaited: boolean } {
  const node = skipOuterExpressions(expression);
  if (isAwaitExpression(node)) return { call: skipOuterExpressions(node.expression), awaited: true };
  return { call: node, awaited: false };
}

