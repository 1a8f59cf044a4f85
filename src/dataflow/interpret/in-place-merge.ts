import type { ts } from "ts-morph";
import {
  Kind,
  forEachChild,
  isBinaryExpression,
  isBindingElement,
  isCallExpression,
  isClassLike,
  isElementAccessExpression,
  isExpressionStatement,
  isForInStatement,
  isForOfStatement,
  isFunctionDeclaration,
  isIdentifier,
  isMethodDeclaration,
  isObjectLiteralExpression,
  isParameter,
  isPostfixUnaryExpression,
  isPrefixUnaryExpression,
  isPropertyAccessExpression,
  isPropertyAssignment,
  isSpreadAssignment,
  isSpreadElement,
  isVariableDeclaration,
  isVariableDeclarationList,
} from "../../compiler-direct.js";
import { isFunctionLike } from "../context.js";
import { assignedExpressions, constantKey, isAssignmentOperator, propertyNameText, unwrap } from "./syntax.js";

/**
 * A merge in place: `o[k] = { ...o[k], ...rest }`, with `k` a key the engine does not know. Such a write is weak (the
 * engine's path has `[]` where the key is), so every member of `o` keeps what it held; and what the spread of `o[k]`
 * puts in the new object is that same member's own fields, written back where they were. Evaluated, the spread reads
 * `o.[]` — every member of `o` joined — and the write puts that join at `o.[]`, which every named read of `o` joins in:
 * each member of a store merged so holds every other member's fields after one such merge. So the spread is read (for
 * what reading does) but not copied; what the write adds is `rest`.
 *
 * The same merge is often written through a helper, the keys handed down as parameters: `update(type, key, value) {
 * this[type][key] = { ...this[type][key], ...value } }`, called as `this.update(type, key, { ...this[type][key],
 * ...patch })`. The helper writes its parameter `value` at `this[type][key]` and nowhere else, so a caller's spread of
 * that same place, with the same keys, in that argument goes back where it came from too. The summary's paths keep
 * `[]`, not which key, so that is recognised on the syntax: the callee's body (`parametersMergedInPlace`) and the
 * call's arguments.
 *
 * "The same key" means the same name, evaluated in one statement, of a binding the file never assigns after its
 * declaration (a parameter, a `const`, a `for (const key of …)`), so it cannot change between the read and the write.
 */

/** A step of an access path below `this`: a member's name, or (in a helper's body) the parameter that is the key. */
type Segment = { readonly name: string } | { readonly param: number };

/** An access path of names and keys, from its root (`this`, or a name) down. */
interface Chain {
  readonly root: ts.Expression;
  readonly steps: readonly ts.Expression[];
}

/** `o[k]` where `k` is a name (or below it): the root and the property and element accesses down to the expression. */
function chainOf(e: ts.Expression): Chain | undefined {
  const steps: ts.Expression[] = [];
  let x = unwrap(e);
  while (isPropertyAccessExpression(x) || isElementAccessExpression(x)) {
    steps.push(x);
    x = unwrap(x.expression);
  }
  if (x.kind !== Kind.ThisKeyword && !isIdentifier(x)) return undefined;
  return { root: x, steps: steps.reverse() };
}

/** The key of one step: a member's name, a constant key, or the identifier that is the key. */
function stepKey(step: ts.Expression): { name: string } | { id: ts.Identifier } | undefined {
  if (isPropertyAccessExpression(step)) return { name: step.name.text };
  const a = (step as ts.ElementAccessExpression).argumentExpression;
  const constant = constantKey(a);
  if (constant !== undefined) return { name: constant };
  const x = unwrap(a);
  return isIdentifier(x) ? { id: x } : undefined;
}

/** Names the file assigns anywhere after their declaration (`x = …`, `x++`, `[x] = …`, `for (x of …)`). */
const assignedByFile = new WeakMap<ts.SourceFile, ReadonlySet<string>>();

function assignedNames(sf: ts.SourceFile): ReadonlySet<string> {
  let names = assignedByFile.get(sf);
  if (names !== undefined) return names;
  const out = new Set<string>();
  const add = (targets: readonly ts.Expression[]) => {
    for (const t of targets) if (isIdentifier(t)) out.add(t.text);
  };
  const visit = (n: ts.Node): void => {
    if (isBinaryExpression(n) && isAssignmentOperator(n.operatorToken.kind)) add(assignedExpressions(n.left));
    else if ((isPrefixUnaryExpression(n) || isPostfixUnaryExpression(n)) && (n.operator === Kind.PlusPlusToken || n.operator === Kind.MinusMinusToken)) {
      add([unwrap(n.operand)]);
    } else if ((isForOfStatement(n) || isForInStatement(n)) && !isVariableDeclarationList(n.initializer)) add(assignedExpressions(n.initializer));
    forEachChild(n, visit);
  };
  visit(sf);
  assignedByFile.set(sf, (names = out));
  return names;
}

/** Whether an identifier names a binding that holds one value (the file never assigns that name). */
function steady(id: ts.Identifier): boolean {
  return !assignedNames(id.getSourceFile()).has(id.text);
}

/** The object literal a spread is in, with the parentheses and type assertions around it: the node its parent holds. */
function literalAround(spread: ts.SpreadAssignment): ts.Expression {
  let top: ts.Node = spread.parent;
  while (top.parent && (top.parent.kind === Kind.ParenthesizedExpression || top.parent.kind === Kind.AsExpression ||
    top.parent.kind === Kind.SatisfiesExpression || top.parent.kind === Kind.TypeAssertionExpression || top.parent.kind === Kind.NonNullExpression)) {
    top = top.parent;
  }
  return top as ts.Expression;
}

/**
 * `o[k] = { ...o[k], … }`: whether the spread reads the very place the literal is written to, at a key the engine does
 * not know (so the write is weak). Both sides spelled alike, every key a steady name or a constant, at least one a name.
 */
export function spreadsBackInPlace(spread: ts.SpreadAssignment): boolean {
  const top = literalAround(spread);
  const assignment = top.parent;
  // a statement: the assignment's value (the literal) goes nowhere else
  if (!isBinaryExpression(assignment) || assignment.operatorToken.kind !== Kind.EqualsToken || assignment.right !== top || !isExpressionStatement(assignment.parent)) return false;
  const target = chainOf(assignment.left);
  const read = chainOf(spread.expression);
  if (!target || !read || !sameRoot(target.root, read.root) || target.steps.length !== read.steps.length) return false;
  if (!endsAtKey(target)) return false;
  let computed = false;
  for (const [i, step] of target.steps.entries()) {
    const a = stepKey(step);
    const b = stepKey(read.steps[i]!);
    if (!a || !b) return false;
    if ("name" in a) {
      if (!("name" in b) || a.name !== b.name) return false;
    } else {
      if (!("id" in b) || a.id.text !== b.id.text || !steady(a.id)) return false;
      computed = true;
    }
  }
  return computed;
}

/** Whether the path's last step is `[k]` with `k` a name: `o[k] = …` (a member's setter, `o.f = …`, may do anything with the value). */
function endsAtKey(chain: Chain): boolean {
  const last = chain.steps[chain.steps.length - 1];
  if (!last || !isElementAccessExpression(last)) return false;
  const key = stepKey(last);
  return key !== undefined && "id" in key;
}

function sameRoot(a: ts.Expression, b: ts.Expression): boolean {
  if (a.kind === Kind.ThisKeyword) return b.kind === Kind.ThisKeyword;
  return isIdentifier(a) && isIdentifier(b) && a.text === b.text && steady(a);
}

/**
 * `this.m(a, b, { ...this[a][b], … })`: whether the spread is a place the callee writes that argument back to. `callees`
 * are the bodies the call may run (all must write the argument in place, at the same keys); the receiver must be
 * `this`, or a steady name, spelled as the spread's root.
 */
export function spreadsBackThroughCall(spread: ts.SpreadAssignment, callees: (call: ts.CallExpression) => readonly ts.Node[] | undefined): boolean {
  const top = literalAround(spread);
  const call = top.parent;
  if (!isCallExpression(call)) return false;
  const index = call.arguments.indexOf(top);
  if (index < 0 || call.arguments.slice(0, index).some(isSpreadElement)) return false;
  const callee = unwrap(call.expression);
  if (!isPropertyAccessExpression(callee)) return false;
  const read = chainOf(spread.expression);
  if (!read || !sameRoot(unwrap(callee.expression), read.root)) return false;
  // cheap first: some key of the spread is itself an argument of the call
  const keys = read.steps.map(stepKey);
  if (!keys.some((k) => k && "id" in k && call.arguments.some((a) => { const x = unwrap(a); return isIdentifier(x) && x.text === k.id.text; }))) return false;
  const bodies = callees(call);
  if (!bodies || bodies.length === 0) return false;
  // a method of the receiver's class, so the callee's `this` is the receiver (a function stored in a field may be bound
  // to another object)
  return bodies.every((body) => {
    const method = isMethodDeclaration(body) && propertyNameText(body.name) === callee.name.text;
    const shape = method ? parametersMergedInPlace(body).get(index) : undefined;
    if (!shape || shape.length !== keys.length) return false;
    return shape.every((segment, i) => {
      const k = keys[i];
      if (!k) return false;
      if ("name" in segment) return "name" in k && k.name === segment.name;
      if (!("id" in k) || !steady(k.id)) return false;
      const argument = call.arguments[segment.param];
      if (!argument || call.arguments.slice(0, segment.param).some(isSpreadElement)) return false;
      const x = unwrap(argument);
      return isIdentifier(x) && x.text === k.id.text;
    });
  });
}

const mergedByFunction = new WeakMap<ts.Node, ReadonlyMap<number, readonly Segment[]>>();

/**
 * Parameters a function only merges in place: every use of the parameter is a spread in an object literal assigned, as
 * a statement of the body itself (not of a closure, whose `this` may be another), to `this…[k]…` whose keys are
 * parameters (at least one) — the place by parameter indices. Parameters the file assigns do not count, nor a body
 * that reads `arguments`.
 */
export function parametersMergedInPlace(fn: ts.FunctionLikeDeclaration): ReadonlyMap<number, readonly Segment[]> {
  const known = mergedByFunction.get(fn);
  if (known !== undefined) return known;
  const found = new Map<number, readonly Segment[]>();
  mergedByFunction.set(fn, found);
  const body = fn.body;
  if (!body) return found;
  const params = new Map<string, number>();
  // a name the body declares again (`const key = …` in a block) may not be the parameter where it is read
  const redeclared = declaredNames(body);
  fn.parameters.forEach((p, i) => {
    const name = p.name;
    if (isIdentifier(name) && !p.dotDotDotToken && name.text !== "this" && steady(name) && !redeclared.has(name.text)) params.set(name.text, i);
  });
  // a declared `this` shifts the arguments (calls.ts): left alone
  if (params.size === 0 || fn.parameters.some((p) => isIdentifier(p.name) && p.name.text === "this")) return found;
  const uses = new Map<string, ts.Identifier[]>();
  let readsArguments = false;
  const visit = (n: ts.Node): void => {
    if (isIdentifier(n) && !isMemberName(n)) {
      if (n.text === "arguments") readsArguments = true;
      if (params.has(n.text)) uses.set(n.text, [...(uses.get(n.text) ?? []), n]);
    }
    forEachChild(n, visit);
  };
  visit(body);
  for (const p of fn.parameters) if (p.initializer) visit(p.initializer);
  if (readsArguments) return found;
  for (const [name, ids] of uses) {
    let shape: readonly Segment[] | undefined;
    for (const id of ids) {
      const s = mergedAt(id, fn, params);
      if (!s || (shape && !sameShape(s, shape)) || s.some((x) => "param" in x && x.param === params.get(name))) {
        shape = undefined;
        break;
      }
      shape = s;
    }
    if (shape) found.set(params.get(name)!, shape);
  }
  return found;
}

function declaredNames(body: ts.Node): ReadonlySet<string> {
  const out = new Set<string>();
  const visit = (n: ts.Node): void => {
    const name = (n as { name?: ts.Node }).name;
    if (name && isIdentifier(name) && (isVariableDeclaration(n) || isBindingElement(n) || isParameter(n) || isFunctionDeclaration(n) || isClassLike(n))) out.add(name.text);
    forEachChild(n, visit);
  };
  visit(body);
  return out;
}

function isMemberName(id: ts.Identifier): boolean {
  const p = id.parent;
  return (isPropertyAccessExpression(p) && p.name === id) || (isPropertyAssignment(p) && p.name === id);
}

function sameShape(a: readonly Segment[], b: readonly Segment[]): boolean {
  return a.length === b.length && a.every((x, i) => {
    const y = b[i]!;
    return "name" in x ? "name" in y && y.name === x.name : "param" in y && y.param === x.param;
  });
}

/** Where one use of a parameter is merged in place (`this[type][key] = { ...this[type][key], ...value }`), if it is. */
function mergedAt(id: ts.Identifier, fn: ts.FunctionLikeDeclaration, params: ReadonlyMap<string, number>): readonly Segment[] | undefined {
  let use: ts.Node = id;
  while (use.parent && (use.parent.kind === Kind.ParenthesizedExpression || use.parent.kind === Kind.AsExpression ||
    use.parent.kind === Kind.SatisfiesExpression || use.parent.kind === Kind.NonNullExpression)) {
    use = use.parent;
  }
  const spread = use.parent;
  if (!spread || !isSpreadAssignment(spread) || !isObjectLiteralExpression(spread.parent)) return undefined;
  const assignment = literalAround(spread).parent;
  if (!isBinaryExpression(assignment) || assignment.operatorToken.kind !== Kind.EqualsToken || !isExpressionStatement(assignment.parent)) return undefined;
  if (assignment.right !== literalAround(spread)) return undefined;
  for (let n: ts.Node = assignment.parent; n !== fn; n = n.parent) if (isFunctionLike(n) || isClassLike(n)) return undefined;
  const target = chainOf(assignment.left);
  if (!target || target.root.kind !== Kind.ThisKeyword || !endsAtKey(target)) return undefined;
  const shape: Segment[] = [];
  for (const step of target.steps) {
    const k = stepKey(step);
    if (!k) return undefined;
    if ("name" in k) shape.push({ name: k.name });
    else {
      const param = params.get(k.id.text);
      if (param === undefined) return undefined;
      shape.push({ param });
    }
  }
  return shape.some((s) => "param" in s) ? shape : undefined;
}
