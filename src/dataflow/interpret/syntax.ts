import { ts } from "ts-morph";
import { Kind, forEachChild, isArrayLiteralExpression, isBinaryExpression, isClassDeclaration, isClassExpression, isComputedPropertyName, isDeleteExpression, isExpression, isForInStatement, isForOfStatement, isFunctionDeclaration, isFunctionExpression, isFunctionLike, isIdentifier, isNoSubstitutionTemplateLiteral, isNumericLiteral, isObjectLiteralExpression, isPostfixUnaryExpression, isPrefixUnaryExpression, isPrivateIdentifier, isPropertyAccessExpression, isPropertyAssignment, isShorthandPropertyAssignment, isSpreadAssignment, isSpreadElement, isStringLiteral, isStringLiteralLike, isVariableDeclarationList } from "../../compiler-direct.js";
import type { FileRef } from "../trace.js";

/** Syntax helpers of the interpreter: operators, unwrapping, names and texts of nodes, lexical nesting. */

export const COMPARISON = new Set([
  Kind.EqualsEqualsToken, Kind.EqualsEqualsEqualsToken, Kind.ExclamationEqualsToken,
  Kind.ExclamationEqualsEqualsToken, Kind.LessThanToken, Kind.GreaterThanToken,
  Kind.LessThanEqualsToken, Kind.GreaterThanEqualsToken, Kind.InstanceOfKeyword,
  Kind.InKeyword,
]);

export function isAssignmentOperator(k: ts.SyntaxKind): boolean {
  return k >= Kind.FirstAssignment && k <= Kind.LastAssignment;
}

/** Operators whose result carries both operands' data: `+` chains are walked iteratively (no recursion per term). */
export function isCombining(k: ts.SyntaxKind): boolean {
  return !isAssignmentOperator(k) && !COMPARISON.has(k) && k !== Kind.CommaToken &&
    k !== Kind.AmpersandAmpersandToken && k !== Kind.BarBarToken &&
    k !== Kind.QuestionQuestionToken;
}

/** `=`, `??=`, `||=`, `&&=`: assignments whose value is what their left side then holds (`(a.b ??= [])` denotes `a.b`). */
export function isPlacingAssignment(k: ts.SyntaxKind): boolean {
  return PLACING_ASSIGNMENTS.has(k);
}

const PLACING_ASSIGNMENTS: ReadonlySet<ts.SyntaxKind> = new Set([Kind.EqualsToken, Kind.QuestionQuestionEqualsToken, Kind.BarBarEqualsToken, Kind.AmpersandAmpersandEqualsToken]);

export function unwrap(e: ts.Expression): ts.Expression {
  let x = e;
  while (isTransparent(x.kind)) x = (x as ts.ParenthesizedExpression).expression;
  return x;
}

/** (e), e as T, e!, <T>e, e satisfies T, await e: the value of e (a promise's facts are its value's facts). */
function isTransparent(kind: ts.SyntaxKind): boolean {
  switch (kind) {
    case Kind.ParenthesizedExpression:
    case Kind.AsExpression:
    case Kind.NonNullExpression:
    case Kind.TypeAssertionExpression:
    case Kind.SatisfiesExpression:
    case Kind.AwaitExpression:
      return true;
    default:
      return false;
  }
}

/**
 * Whether the value of expression `e` goes nowhere: it is a statement of its own (`await this.save(row);`), the operand
 * of `void`, `typeof` or `!`, of a comparison, the left of `&&` or of a comma, a condition (`if`, `while`, `do`, `for`,
 * `?:`), or a for loop's initialiser or incrementor — as the interpreter evaluates them (their results carry nothing of
 * it) — directly or through `(…)`, `as`, `!`, `await`, the arms of `?:` and the operands of `||`, `??`, `&&`'s right
 * and a comma's right whose own value goes nowhere. A call there takes nothing of its callee's return value (reads.ts).
 */
export function valueDropped(e: ts.Expression): boolean {
  let x: ts.Node = e;
  for (;;) {
    const p: ts.Node = x.parent;
    if (isTransparent(p.kind)) {
      x = p;
      continue;
    }
    switch (p.kind) {
      case Kind.ExpressionStatement:
      case Kind.VoidExpression:
      case Kind.TypeOfExpression:
        return true;
      case Kind.PrefixUnaryExpression:
        return (p as ts.PrefixUnaryExpression).operator === Kind.ExclamationToken;
      case Kind.IfStatement:
      case Kind.WhileStatement:
      case Kind.DoStatement:
        return (p as ts.IfStatement).expression === x;
      case Kind.ForStatement: {
        const f = p as ts.ForStatement;
        return f.initializer === x || f.condition === x || f.incrementor === x;
      }
      case Kind.ConditionalExpression:
        if ((p as ts.ConditionalExpression).condition === x) return true;
        x = p;
        continue;
      case Kind.BinaryExpression: {
        const b = p as ts.BinaryExpression;
        const op = b.operatorToken.kind;
        if (COMPARISON.has(op)) return true;
        if ((op === Kind.AmpersandAmpersandToken || op === Kind.CommaToken) && b.left === x) return true;
        if (op === Kind.AmpersandAmpersandToken || op === Kind.CommaToken || op === Kind.BarBarToken || op === Kind.QuestionQuestionToken) {
          x = p;
          continue;
        }
        return false;
      }
      default:
        return false;
    }
  }
}

export function propertyNameText(name: ts.PropertyName | ts.BindingName | undefined): string | undefined {
  if (!name) return undefined;
  if (isIdentifier(name) || isStringLiteral(name) || isNumericLiteral(name) || isPrivateIdentifier(name)) {
    return name.text;
  }
  if (isNoSubstitutionTemplateLiteral(name)) return name.text;
  if (isComputedPropertyName(name)) {
    const e = name.expression;
    if (isStringLiteralLike(e) || isNumericLiteral(e)) return e.text;
  }
  return undefined;
}

export function shortText(node: ts.Node, sf: ts.SourceFile): string {
  const t = node.getText(sf).replace(/\s+/g, " ");
  return t.length > 60 ? `${t.slice(0, 57)}...` : t;
}

export function calleeText(call: ts.CallExpression | ts.NewExpression, sf: ts.SourceFile): string {
  let e: ts.Expression = call.expression;
  if (isPropertyAccessExpression(e)) return shortText(e.name, sf);
  e = unwrap(e);
  return isIdentifier(e) ? e.text : shortText(e, sf);
}

/** The dotted name of a callee built from identifiers only (`JSON.stringify`, `Object.assign`), for built-ins. */
export function dottedName(e: ts.Expression): string | undefined {
  if (isIdentifier(e)) return e.text;
  if (isPropertyAccessExpression(e)) {
    const left = dottedName(e.expression);
    return left ? `${left}.${e.name.text}` : undefined;
  }
  return undefined;
}

export function isLiteralExpression(e: ts.Expression): boolean {
  switch (e.kind) {
    case Kind.StringLiteral:
    case Kind.NumericLiteral:
    case Kind.NoSubstitutionTemplateLiteral:
    case Kind.TrueKeyword:
    case Kind.FalseKeyword:
    case Kind.NullKeyword:
    case Kind.BigIntLiteral:
      return true;
    default:
      return isIdentifier(e) && e.text === "undefined";
  }
}

export function enclosingClass(node: ts.Node): ts.ClassLikeDeclaration | undefined {
  for (let n = node.parent; n; n = n.parent) {
    if (isClassDeclaration(n) || isClassExpression(n)) return n;
    if (isFunctionDeclaration(n) || isFunctionExpression(n)) return undefined;
  }
  return undefined;
}

/** The nearest function (arrow functions included) whose body holds `node`. */
export function enclosingFunction(node: ts.Node): ts.Node | undefined {
  for (let n = node.parent; n; n = n.parent) if (isFunctionLike(n)) return n;
  return undefined;
}

/** Whether `inner` is lexically inside `outer` (a closure of it). */
export function isInside(inner: ts.Node, outer: ts.Node): boolean {
  if (inner === outer) return false;
  for (let n = inner.parent; n; n = n.parent) if (n === outer) return true;
  return false;
}

/** The place a parameter is, for Step.enters / SourceOrigin.place. */
export function paramPlace(p: ts.ParameterDeclaration, file: FileRef): string {
  return `p:${file.path}:${p.pos}:${p.end}`;
}

/** A constant property key (`o["phone"]`), if the key is one. */
export function constantKey(e: ts.Expression): string | undefined {
  const x = unwrap(e);
  if (isStringLiteralLike(x)) return x.text;
  return undefined;
}

/** The assigned expressions of an assignment's left side: itself, or the elements of a destructuring pattern. */
export function assignedExpressions(left: ts.Node): ts.Expression[] {
  const x = isExpression(left) ? unwrap(left) : left;
  if (isArrayLiteralExpression(x)) return x.elements.flatMap((el) => assignedExpressions(isSpreadElement(el) ? el.expression : el));
  if (isObjectLiteralExpression(x)) {
    return x.properties.flatMap((p) => {
      if (isPropertyAssignment(p)) return assignedExpressions(p.initializer);
      if (isShorthandPropertyAssignment(p)) return [p.name];
      if (isSpreadAssignment(p)) return assignedExpressions(p.expression);
      return [];
    });
  }
  if (isBinaryExpression(x) && x.operatorToken.kind === Kind.EqualsToken) return assignedExpressions(x.left);
  return isExpression(x) ? [x] : [];
}

/** `a`, `this.a`, `a.b.c` (no calls, no computed members): the path's text, else undefined. */
export function pathText(e: ts.Expression): string | undefined {
  const x = unwrap(e);
  if (isIdentifier(x)) return x.text;
  if (x.kind === Kind.ThisKeyword) return "this";
  if (isPropertyAccessExpression(x) && isIdentifier(x.name)) {
    const base = pathText(x.expression);
    return base === undefined ? undefined : `${base}.${x.name.text}`;
  }
  return undefined;
}

/** Whether `body` assigns `path` or a prefix of it (`child = …` and `child.on = …` both change `child.on`). */
export function assignsPath(body: ts.Node, path: string): boolean {
  let found = false;
  const changes = (target: ts.Expression): boolean => {
    const t = pathText(target);
    return t !== undefined && (path === t || path.startsWith(`${t}.`));
  };
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (isBinaryExpression(n) && isAssignmentOperator(n.operatorToken.kind) && assignedExpressions(n.left).some(changes)) found = true;
    else if ((isPrefixUnaryExpression(n) || isPostfixUnaryExpression(n)) && changes(n.operand as ts.Expression)) {
      found = n.operator === Kind.PlusPlusToken || n.operator === Kind.MinusMinusToken;
    } else if (isDeleteExpression(n) && changes(n.expression)) found = true;
    else if ((isForOfStatement(n) || isForInStatement(n)) && !isVariableDeclarationList(n.initializer) && assignedExpressions(n.initializer).some(changes)) found = true;
    if (!found) forEachChild(n, visit);
  };
  visit(body);
  return found;
}
