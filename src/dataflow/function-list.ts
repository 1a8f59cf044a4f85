import type { ts } from "ts-morph";
import { forEachChild, isIdentifier, isSetAccessorDeclaration } from "../compiler-direct.js";
import { isFunctionLike } from "./context.js";

/**
 * Each parsed file's functions, listed once per parse. The list depends on the syntax tree alone, and an update review
 * analyses both sides over the very same SourceFile objects for every file the update did not change (the base's
 * workspace shares the head's parse, load-workspace.ts): without the memo the base's analysis walked every one of them
 * again — on hoppscotch's cached one-line review that walk was most of the base run's analysis. A WeakMap: a file no
 * longer referenced takes its list with it.
 */
const listed = new WeakMap<ts.SourceFile, readonly ts.Node[]>();

/** Every function-like node of a file that has a body, in source order (the order records are made in). */
export function functionsOf(sf: ts.SourceFile): readonly ts.Node[] {
  let functions = listed.get(sf);
  if (functions === undefined) listed.set(sf, (functions = walk(sf)));
  return functions;
}

/**
 * A file's functions as places — position, end and kind of each, in the order of {@link functionsOf}, flattened — and
 * the names of its setters (which change how every assignment to that name is read, context.ts). An analysis cache
 * entry keeps each file's list (src/cache/state-codec.ts), so a later run over the same text knows the file's functions
 * without its tree: when a record is taken over for each of them, nothing in the file needs listing or analysing.
 */
export interface FunctionList {
  readonly places: readonly number[];
  readonly setters: readonly string[];
}

const asLists = new WeakMap<ts.SourceFile, FunctionList>();

/** The list of a parsed file. */
export function functionListOf(sf: ts.SourceFile): FunctionList {
  let list = asLists.get(sf);
  if (list !== undefined) return list;
  const functions = functionsOf(sf);
  const places: number[] = [];
  for (const fn of functions) places.push(fn.pos, fn.end, fn.kind);
  asLists.set(sf, (list = { places, setters: settersOf(functions) }));
  return list;
}

/** The names of the setters among `functions` (a computed name is none). */
export function settersOf(functions: readonly ts.Node[]): string[] {
  const names: string[] = [];
  for (const fn of functions) if (isSetAccessorDeclaration(fn) && isIdentifier(fn.name)) names.push(fn.name.text);
  return names;
}

/** The iterative walk (nesting depth is the input's, so no recursion). */
function walk(sf: ts.SourceFile): ts.Node[] {
  const out: ts.Node[] = [];
  const stack: ts.Node[] = [sf];
  // one callback for the whole walk, no array per node, the compiler's function from compiler-direct.ts (each `ts.X` is
  // a getter call): every file is walked on every scan, a cached one too
  const push = (c: ts.Node): void => {
    stack.push(c);
  };
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n !== sf && isFunctionLike(n) && (n as ts.FunctionLikeDeclaration).body) out.push(n);
    // the children go on the stack last child first, so they are visited in source order
    const from = stack.length;
    forEachChild(n, push);
    for (let i = from, j = stack.length - 1; i < j; i++, j--) {
      const c = stack[i]!;
      stack[i] = stack[j]!;
      stack[j] = c;
    }
  }
  return out;
}
