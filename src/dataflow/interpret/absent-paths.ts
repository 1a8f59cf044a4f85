import { ts } from "ts-morph";
import { Kind, forEachChild, isAwaitExpression, isBinaryExpression, isBindingElement, isCallExpression, isClassDeclaration, isFunctionDeclaration, isIdentifier, isIterationStatement, isNewExpression, isParameter, isPrefixUnaryExpression, isStringLiteralLike, isVariableDeclaration } from "../../compiler-direct.js";
import { assignsPath, pathText, unwrap } from "./syntax.js";

/**
 * A read under its own absence: `if (!request.location.ipAddress) log.warn("no address", request.location.ipAddress)`.
 * In a branch that runs only when an access path is falsy (`!p`, `p == null`, `p === undefined`, `typeof p ===
 * "undefined"`, the else of `if (p)`, joined by `&&` or `||` as their truth says), a read of that path — or of a member
 * below it, which would throw — denotes `undefined`, `null`, `""`, `0`, `NaN` or `false`: no datum of anyone's.
 *
 * As the checker's narrowing does, the branch must not assign the path or a prefix of it, nor declare its first name
 * anew. Unlike the checker, a member path (`a.b`, `this.x`) is trusted only until the branch first calls something,
 * constructs, awaits or yields (`if (!this.user) { await this.load(); log(this.user) }` reads what `load` set); a plain
 * name only assignments change. The interpreter keeps the paths per frame (a closure's body is a frame of its own, run
 * when the closure is called), so the narrowing never leaks into a function defined in the branch.
 */
export interface AbsentPath {
  readonly path: string;
  /** The branch the path is absent in: reads are judged by their place in it. */
  readonly branch: ts.Node;
}

/** The paths known falsy in `branch`, which runs when `condition` is `truth`. */
export function absentPaths(condition: ts.Expression, truth: boolean, branch: ts.Node): readonly AbsentPath[] {
  let byBranch = cache.get(condition);
  if (!byBranch) cache.set(condition, (byBranch = new Map()));
  let out = byBranch.get(branch);
  if (!out) {
    const paths = new Set<string>();
    falsyWhen(condition, truth, paths, 0);
    out = [...paths].filter((p) => !assignsPath(branch, p) && !declaresName(branch, p.split(".")[0]!)).map((path) => ({ path, branch }));
    byBranch.set(branch, out);
  }
  return out;
}

const cache = new WeakMap<ts.Expression, Map<ts.Node, readonly AbsentPath[]>>();

/** Whether reading `node` (a name or a member path) in its frame reads a path known absent there. */
export function readsAbsent(node: ts.Expression, absent: readonly AbsentPath[]): boolean {
  const text = pathText(node);
  if (text === undefined) return false;
  for (const a of absent) {
    if (text !== a.path && !text.startsWith(`${a.path}.`)) continue;
    if (!a.path.includes(".") || !changedBefore(a.branch, node)) return true;
  }
  return false;
}

/** Past this depth of `&&`, `||` and `!` a condition is not read (no deep recursion on generated code). */
const MAX_DEPTH = 32;

function falsyWhen(e: ts.Expression, truth: boolean, out: Set<string>, depth: number): void {
  if (depth > MAX_DEPTH) return;
  const x = unwrap(e);
  if (isPrefixUnaryExpression(x) && x.operator === Kind.ExclamationToken) {
    falsyWhen(x.operand, !truth, out, depth + 1);
    return;
  }
  const path = pathText(x);
  if (path !== undefined) {
    if (!truth && path !== "this") out.add(path);
    return;
  }
  if (!isBinaryExpression(x)) return;
  const op = x.operatorToken.kind;
  // `a && b` true: both are; `a || b` false: neither is
  if ((op === Kind.AmpersandAmpersandToken && truth) || (op === Kind.BarBarToken && !truth)) {
    falsyWhen(x.left, truth, out, depth + 1);
    falsyWhen(x.right, truth, out, depth + 1);
    return;
  }
  const nullish = nullishTest(x);
  if (nullish && nullish.when === truth) out.add(nullish.path);
}

/** `p == null`, `p === undefined`, `typeof p === "undefined"`, `p !== null` …: the path, and the truth that says it is absent. */
function nullishTest(x: ts.BinaryExpression): { path: string; when: boolean } | undefined {
  const op = x.operatorToken.kind;
  const equal = op === Kind.EqualsEqualsToken || op === Kind.EqualsEqualsEqualsToken;
  if (!equal && op !== Kind.ExclamationEqualsToken && op !== Kind.ExclamationEqualsEqualsToken) return undefined;
  for (const [side, other] of [[x.left, x.right], [x.right, x.left]] as const) {
    const o = unwrap(other);
    const s = unwrap(side);
    let path: string | undefined;
    if (o.kind === Kind.NullKeyword || (isIdentifier(o) && o.text === "undefined")) path = pathText(s);
    else if (s.kind === Kind.TypeOfExpression && isStringLiteralLike(o) && o.text === "undefined") path = pathText((s as ts.TypeOfExpression).expression);
    if (path !== undefined && path !== "this") return { path, when: equal };
  }
  return undefined;
}

/** Whether `branch` declares `name` anew (a local, a parameter, a function or a class of that name shadows the tested one). */
function declaresName(branch: ts.Node, name: string): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if ((isVariableDeclaration(n) || isParameter(n) || isBindingElement(n) || isFunctionDeclaration(n) || isClassDeclaration(n)) && n.name && isIdentifier(n.name) && n.name.text === name) {
      found = true;
      return;
    }
    forEachChild(n, visit);
  };
  visit(branch);
  return found;
}

/**
 * Whether something in `branch` that could change a member path runs before `read`: a call, a `new`, an `await` or a
 * `yield` that ends before the read starts, or one anywhere in the branch when the read sits in a loop of the branch
 * (the next round runs after it). Calls whose arguments the read is part of have not run yet when it is read.
 */
function changedBefore(branch: ts.Node, read: ts.Node): boolean {
  const start = read.getStart();
  let inLoop = false;
  for (let p = read.parent; p && p !== branch; p = p.parent) {
    if (isIterationStatement(p, false)) inLoop = true;
  }
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if ((isCallExpression(n) || isNewExpression(n) || isAwaitExpression(n) || n.kind === Kind.YieldExpression) && (inLoop || n.end <= start)) {
      found = true;
      return;
    }
    if (!inLoop && n.pos >= start) return;
    forEachChild(n, visit);
  };
  visit(branch);
  return found;
}
