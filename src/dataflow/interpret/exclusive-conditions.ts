import { ts } from "ts-morph";
import { Kind, isBinaryExpression, isIdentifier, isIfStatement, isNumericLiteral, isPropertyAccessExpression, isStringLiteralLike } from "../../compiler-direct.js";
import { assignsPath, pathText, unwrap } from "./syntax.js";

/**
 * Consecutive `if` statements that test one member against different constants, a `switch` written as a chain of
 * `if`s (novu's filter parts: `if (child.on === TENANT || child.on === PAYLOAD) { child.value = compile(…) }` then
 * `if (child.on === IS_ONLINE) { details.add(child) }`). At most one of their bodies runs, so what one body writes
 * never reaches another: the interpreter runs each body from the state before the chain (statements.ts).
 *
 * The tested member must be an access path of names (`child.on`, `this.kind`, `type`), each test `path === constant`
 * (or `==`, several joined by `||`), each constant a literal or an expression the checker types as one literal (an
 * enum member, a `const` string), and no two tests may share a value. No body may assign the path or a prefix of it
 * (`child = …`, `child.on = …`, `delete`, `++`), in its own code: like the checker's narrowing, a call that could
 * change the member through another reference is assumed not to. Only `if`s without `else` (an `else if` chain is
 * exclusive by its own structure). The checker (`checker`, created on first need) is asked only about the constants of
 * two or more neighbouring tests of one path.
 */
export function exclusiveRun(stmts: readonly ts.Statement[], start: number, checker: () => ts.TypeChecker): number {
  return runsOf(stmts, checker).get(start) ?? 1;
}

/** The chains of a statement list, by the index of their first statement to their length (at least 2). */
const cache = new WeakMap<readonly ts.Statement[], Map<number, number>>();

function runsOf(stmts: readonly ts.Statement[], checker: () => ts.TypeChecker): Map<number, number> {
  const known = cache.get(stmts);
  if (known) return known;
  const runs = new Map<number, number>();
  // by syntax first: the checker is asked only about the constants of two or more neighbouring tests of one path
  const tests = stmts.map(testOf);
  let i = 0;
  while (i < stmts.length) {
    const first = tests[i];
    let end = i + 1;
    while (first && end < stmts.length && tests[end]?.path === first.path) end++;
    if (!first || end - i < 2) {
      i = end;
      continue;
    }
    // the longest prefix whose constants are all known and pairwise different
    const values = new Set<string>();
    let last = i;
    for (; last < end; last++) {
      const mine = tests[last]!.constants.map((c) => constantValue(c, checker));
      if (mine.some((v) => v === undefined || values.has(v)) || new Set(mine).size !== mine.length) break;
      for (const v of mine) values.add(v!);
    }
    const length = last - i;
    if (length > 1 && stmts.slice(i, last).every((st) => !assignsPath((st as ts.IfStatement).thenStatement, first.path))) {
      runs.set(i, length);
    }
    i = Math.max(last, i + 1);
  }
  cache.set(stmts, runs);
  return runs;
}

interface Test {
  /** The tested access path, as text (`child.on`). */
  path: string;
  /** What it is compared with, each side of one `===`. */
  constants: ts.Expression[];
}

/** An `if` without `else` whose condition compares one path with constants (by syntax; the constants still unchecked). */
function testOf(st: ts.Statement): Test | undefined {
  if (!isIfStatement(st) || st.elseStatement) return undefined;
  return disjunction(st.expression, 0);
}

/** More terms than this in one `||` is no hand-written switch: not read (and no deep recursion). */
const MAX_TERMS = 32;

function disjunction(e: ts.Expression, depth: number): Test | undefined {
  if (depth > MAX_TERMS) return undefined;
  const x = unwrap(e);
  if (!isBinaryExpression(x)) return undefined;
  const op = x.operatorToken.kind;
  if (op === Kind.BarBarToken) {
    const left = disjunction(x.left, depth + 1);
    const right = left && disjunction(x.right, depth + 1);
    if (!left || !right || left.path !== right.path) return undefined;
    return { path: left.path, constants: [...left.constants, ...right.constants] };
  }
  if (op !== Kind.EqualsEqualsEqualsToken && op !== Kind.EqualsEqualsToken) return undefined;
  for (const [side, other] of [[x.left, x.right], [x.right, x.left]] as const) {
    const path = pathText(side);
    if (path !== undefined && couldBeConstant(other)) return { path, constants: [other] };
  }
  return undefined;
}

function couldBeConstant(e: ts.Expression): boolean {
  const x = unwrap(e);
  return isStringLiteralLike(x) || isNumericLiteral(x) || isIdentifier(x) || isPropertyAccessExpression(x);
}

/** A literal, or an expression of one literal type (an enum member, a `const`): its value, keyed by its kind. */
function constantValue(e: ts.Expression, checker: () => ts.TypeChecker): string | undefined {
  const x = unwrap(e);
  if (isStringLiteralLike(x)) return `s:${x.text}`;
  if (isNumericLiteral(x)) return `n:${Number(x.text)}`;
  if (!isIdentifier(x) && !isPropertyAccessExpression(x)) return undefined;
  const type = checker().getTypeAtLocation(x);
  if (type.isStringLiteral()) return `s:${type.value}`;
  if (type.isNumberLiteral()) return `n:${type.value}`;
  return undefined;
}
