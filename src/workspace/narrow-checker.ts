import { ts } from "ts-morph";
import { lazy } from "../lazy.js";
import { importsThroughStars } from "./export-star-lookup.js";
import type { ModuleShape } from "./import-graph.js";
import { lazyChecker } from "./lazy-checker.js";
import { seenWithoutImportMemo } from "./seen-without-import.js";
import type { ScannedFile, Workspace } from "./workspace.js";

/**
 * The type checker of an analysis that starts from the cache and redoes a few files. Creating the checker over the
 * whole program binds every file, and the program's creation parses every file and resolves every import: on a
 * one-file update review that was most of what the analysis cost. The checker's answer about a node depends only on
 * the file holding it, the files it reaches (imports, `import()`, reference paths) and the declarations every file sees
 * without an import — declaration files, global scripts, modules that declare ambient modules or globals, JavaScript
 * files whose top-level assignments declare globals (seen-without-import.ts). So the narrow checker reads those global
 * files up front and every other loaded file only when its answers first reach it (lazy-checker.ts): parsed, bound and
 * its imports resolved then, as the whole program would have them. It answers
 * every question about a node of a loaded file as the whole program's checker does, reading only what the answers
 * reach (novu's `app.module.ts` imports, through other files, 1,792 of them; the answers about it reach 506).
 *
 * A question about a node of no loaded file (a tree parsed outside the workspace) cannot be answered so: from then on
 * the whole program's checker answers, and `escaped()` tells the caller to do that analysis again over the whole
 * program — answers of two checkers must never meet in one analysis (their symbols and types are different objects).
 */
export interface NarrowChecker {
  /** The workspace with the narrow checker, reading up front the files `redone` names when it is first asked. */
  workspace: Workspace;
  /** Whether a question reached beyond the loaded files: the analysis that asked it must be done again. */
  escaped(): boolean;
}

/**
 * The module shapes a run from the cache has of the files it did not change (import-graph.ts): `of` gives a file's when
 * its text is the entry's; `resolvedHere` says whether the shapes' resolutions were found over this run's file set.
 */
export interface EntryShapes {
  of(file: ScannedFile): ModuleShape | undefined;
  resolvedHere: boolean;
}

/**
 * `global`: whether a loaded file is seen without an import (seen-without-import.ts) — a run from the cache takes the
 * unchanged files' verdicts from the entry, so choosing the global files reads no tree but the changed files'.
 * `shapes`: the entry's module shapes, by which imports of barrels are resolved without the barrels' closures.
 */
export function narrowChecker(
  workspace: Workspace,
  redone: () => ReadonlySet<string>,
  global: (file: ScannedFile) => boolean = seenWithoutImportMemo(),
  shapes: EntryShapes = { of: () => undefined, resolvedHere: false },
): NarrowChecker {
  let escaped = false;
  const checker = lazy(() => {
    const files = redone();
    const upFront = workspace.loaded.filter((file) => files.has(file.path) || mayReferenceLib(file.text) || global(file));
    const made = lazyChecker(workspace, upFront);
    // without the compiler functions it is made of: the whole program's checker answers all
    if (made === undefined) return workspace.checker();
    const byName = new Map(workspace.loaded.map((file) => [file.fileName, file]));
    // a file's imports of barrels resolved without the barrels' export tables before the checker is asked about it
    // (export-star-lookup.ts): the tables' closures are not read
    const byPath = new Map(workspace.loaded.map((file) => [file.path, file]));
    // the shapes' resolutions are the checker's when they were found over the files in scope and all of them loaded
    const resolvedByShapes = shapes.resolvedHere && !workspace.filesSkipped ? (relative: string) => byPath.get(relative) : undefined;
    // only for a review's redone files: a full scan (nothing redone) reads nearly every barrel's closure anyway, and
    // without the entry's shapes the lookup would ask the checker about every star's module first
    const throughStars = files.size > 0 ? importsThroughStars({ ...made, loaded: (fileName) => byName.get(fileName), shape: shapes.of, ...(resolvedByShapes ? { resolvedByShapes } : {}) }) : () => undefined;
    return guarded(made.checker, made.reach, throughStars, () => {
      escaped = true;
      return workspace.checker();
    });
  });
  return { workspace: { ...workspace, checker }, escaped: () => escaped };
}

const NOTHING_REDONE: ReadonlySet<string> = new Set();

/**
 * The checker of a full scan: no file is redone, so only the global files are read up front and every other file when an
 * answer first reaches it — a full analysis asks about every file, but its answers reach only some (the 50k gateway's
 * 1,074 of 1,385 files), and the whole program (every file's imports resolved) is never made.
 */
export function fullScanChecker(workspace: Workspace, global: (file: ScannedFile) => boolean): NarrowChecker {
  return narrowChecker(workspace, () => NOTHING_REDONE, global);
}

/**
 * Whether the text may hold a `/// <reference lib="…" />` (read from the text, no tree: a superset): the whole program
 * adds the lib it names to every file's global scope, so the file is read up front with the global files.
 */
function mayReferenceLib(text: string): boolean {
  return text.includes("<reference") && /<reference\s+lib\s*=/.test(text);
}

/**
 * The narrow checker, each method first checking that the nodes it is asked about are of trees it can answer about
 * (`reach` reads and binds their files, `asked` is told of each); at the first that is not, `escape` gives the checker
 * that answers from then on.
 */
function guarded(narrow: ts.TypeChecker, reach: (tree: ts.SourceFile) => boolean, asked: (tree: ts.SourceFile) => void, escape: () => ts.TypeChecker): ts.TypeChecker {
  let answering = narrow;
  const methods = new Map<PropertyKey, (...args: unknown[]) => unknown>();
  const outside = (arg: unknown): boolean => {
    if (Array.isArray(arg)) return arg.some(outside);
    // a symbol's declarations: a file the checker cannot answer about is no question about that file
    if (isSymbol(arg)) {
      for (const declaration of arg.declarations ?? []) {
        const file = declaration.getSourceFile();
        if (reach(file)) asked(file);
      }
    }
    if (!isNode(arg)) return false;
    const file = sourceFileOf(arg);
    if (file === undefined || !reach(file)) return true;
    asked(file);
    return false;
  };
  return new Proxy(narrow, {
    get(target, property) {
      if (typeof Reflect.get(target, property) !== "function") return Reflect.get(answering, property);
      let method = methods.get(property);
      if (method === undefined) {
        method = (...args: unknown[]) => {
          if (answering === narrow && args.some(outside)) answering = escape();
          return (Reflect.get(answering, property) as (...a: unknown[]) => unknown).apply(answering, args);
        };
        methods.set(property, method);
      }
      return method;
    },
  });
}

function isSymbol(value: unknown): value is ts.Symbol {
  return typeof value === "object" && value !== null && typeof (value as { flags?: unknown }).flags === "number" && typeof (value as { escapedName?: unknown }).escapedName === "string";
}

function isNode(value: unknown): value is ts.Node {
  return typeof value === "object" && value !== null && typeof (value as { kind?: unknown }).kind === "number" && typeof (value as { pos?: unknown }).pos === "number";
}

/** The file holding a node; undefined for a node in no file (made, not parsed), which the narrow checker cannot answer about. */
function sourceFileOf(node: ts.Node): ts.SourceFile | undefined {
  let current: ts.Node | undefined = node;
  while (current !== undefined && !ts.isSourceFile(current)) current = current.parent;
  return current;
}
