import { ts } from "ts-morph";
import type { FileRef } from "../trace.js";

/** Syntax helpers of the interpreter: operators, unwrapping, names and texts of nodes, lexical nesting. */

export const COMPARISON = new Set([
  ts.SyntaxKind.EqualsEqualsToken, ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsToken,
  ts.SyntaxKind.ExclamationEqualsEqualsToken, ts.SyntaxKind.LessThanToken, ts.SyntaxKind.GreaterThanToken,
  ts.SyntaxKind.LessThanEqualsToken, ts.SyntaxKind.GreaterThanEqualsToken, ts.SyntaxKind.InstanceOfKeyword,
  ts.SyntaxKind.InKeyword,
]);

export function isAssignmentOperator(k: ts.SyntaxKind): boolean {
  return k >= ts.SyntaxKind.FirstAssignment && k <= ts.SyntaxKind.LastAssignment;
}

/** Operators whose result carries both operands' data: `+` chains are walked iteratively (no recursion per term). */
export function isCombining(k: ts.SyntaxKind): boolean {
  return !isAssignmentOperator(k) && !COMPARISON.has(k) && k !== ts.SyntaxKind.CommaToken &&
    k !== ts.SyntaxKind.AmpersandAmpersandToken && k !== ts.SyntaxKind.BarBarToken &&
    k !== ts.SyntaxKind.QuestionQuestionToken;
}

export function unwrap(e: ts.Expression): ts.Expression {
  let x = e;
  for (;;) {
    switch (x.kind) {
      case ts.SyntaxKind.ParenthesizedExpression:
      case ts.SyntaxKind.AsExpression:
      case ts.SyntaxKind.NonNullExpression:
      case ts.SyntaxKind.TypeAssertionExpression:
      case ts.SyntaxKind.SatisfiesExpression:
      case ts.SyntaxKind.AwaitExpression:
        // (e), e as T, e!, await e: the value of e (a promise's facts are its value's facts)
        x = (x as ts.ParenthesizedExpression).expression;
        continue;
      default:
        return x;
    }
  }
}

export function propertyNameText(name: ts.PropertyName | ts.BindingName | undefined): string | undefined {
  if (!name) return undefined;
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isPrivateIdentifier(name)) {
    return name.text;
  }
  if (ts.isNoSubstitutionTemplateLiteral(name)) return name.text;
  if (ts.isComputedPropertyName(name)) {
    const e = name.expression;
    if (ts.isStringLiteralLike(e) || ts.isNumericLiteral(e)) return e.text;
  }
  return undefined;
}

export function shortText(node: ts.Node, sf: ts.SourceFile): string {
  const t = node.getText(sf).replace(/\s+/g, " ");
  return t.length > 60 ? `${t.slice(0, 57)}...` : t;
}

export function calleeText(call: ts.CallExpression | ts.NewExpression, sf: ts.SourceFile): string {
  let e: ts.Expression = call.expression;
  if (ts.isPropertyAccessExpression(e)) return shortText(e.name, sf);
  e = unwrap(e);
  return ts.isIdentifier(e) ? e.text : shortText(e, sf);
}

/** The dotted name of a callee built from identifiers only (`JSON.stringify`, `Object.assign`), for built-ins. */
export function dottedName(e: ts.Expression): string | undefined {
  if (ts.isIdentifier(e)) return e.text;
  if (ts.isPropertyAccessExpression(e)) {
    const left = dottedName(e.expression);
    return left ? `${left}.${e.name.text}` : undefined;
  }
  return undefined;
}

export function isLiteralExpression(e: ts.Expression): boolean {
  switch (e.kind) {
    case ts.SyntaxKind.StringLiteral:
    case ts.SyntaxKind.NumericLiteral:
    case ts.SyntaxKind.NoSubstitutionTemplateLiteral:
    case ts.SyntaxKind.TrueKeyword:
    case ts.SyntaxKind.FalseKeyword:
    case ts.SyntaxKind.NullKeyword:
    case ts.SyntaxKind.BigIntLiteral:
      return true;
    default:
      return ts.isIdentifier(e) && e.text === "undefined";
  }
}

export function enclosingClass(node: ts.Node): ts.ClassLikeDeclaration | undefined {
  for (let n = node.parent; n; n = n.parent) {
    if (ts.isClassDeclaration(n) || ts.isClassExpression(n)) return n;
    if (ts.isFunctionDeclaration(n) || ts.isFunctionExpression(n)) return undefined;
  }
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
  if (ts.isStringLiteralLike(x)) return x.text;
  return undefined;
}
