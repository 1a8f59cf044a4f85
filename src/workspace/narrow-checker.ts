import { ts } from "ts-morph";
import { lazy } from "../lazy.js";
import { declaresAmbient } from "./import-graph.js";
import type { Workspace } from "./workspace.js";

/**
 * The type checker of an analysis that starts from the cache and redoes a few files. Creating the checker over the
 * whole program binds every file (and then every file must be parsed): on a one-file update review that was most of
 * what the analysis cost. The checker's answer about a node depends only on the file holding it, the files it reaches
 * (imports, `import()`, reference paths: the program follows them as the whole program does) and the declarations
 * every file sees without an import — declaration files, global scripts and modules that declare ambient modules or
 * globals. So a program over the redone files and those global files answers every question about a node of one of
 * its files as the whole program's checker does.
 *
 * A question about a node outside it (a record redone in another file: a caller whose callee's summary changed, a
 * store's reader) cannot be answered so: from then on the whole program's checker answers, and `escaped()` tells the
 * caller to do that analysis again over the whole program — answers of two checkers must never meet in one analysis
 * (their symbols and types are different objects).
 */
export interface NarrowChecker {
  /** The workspace with the narrow checker, over the files `redone` names when it is first asked. */
  workspace: Workspace;
  /** Whether a question reached beyond the narrow program: the analysis that asked it must be done again. */
  escaped(): boolean;
}

export function narrowChecker(workspace: Workspace, redone: () => ReadonlySet<string>): NarrowChecker {
  let escaped = false;
  const checker = lazy(() => {
    const roots = workspace.loaded.map((file) => file.sourceFile).filter(seenWithoutImport);
    const files = redone();
    for (const file of workspace.files) if (files.has(file.path)) roots.push(file.sourceFile);
    const program = workspace.programOver(roots);
    return guarded(program.getTypeChecker(), new Set(program.getSourceFiles()), () => {
      escaped = true;
      return workspace.checker();
    });
  });
  return { workspace: { ...workspace, checker }, escaped: () => escaped };
}

/** Whether other files see the file's declarations without importing it (so the checker's answers may depend on it). */
function seenWithoutImport(sf: ts.SourceFile): boolean {
  return sf.isDeclarationFile || !ts.isExternalModule(sf) || declaresAmbient(sf);
}

/**
 * The narrow checker, each method first checking that the nodes it is asked about are the program's; at the first that
 * is not, `escape` gives the checker that answers from then on.
 */
function guarded(narrow: ts.TypeChecker, files: ReadonlySet<ts.SourceFile>, escape: () => ts.TypeChecker): ts.TypeChecker {
  let answering = narrow;
  const methods = new Map<PropertyKey, (...args: unknown[]) => unknown>();
  const outside = (arg: unknown): boolean => {
    if (Array.isArray(arg)) return arg.some(outside);
    if (!isNode(arg)) return false;
    const file = sourceFileOf(arg);
    return file === undefined || !files.has(file);
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

function isNode(value: unknown): value is ts.Node {
  return typeof value === "object" && value !== null && typeof (value as { kind?: unknown }).kind === "number" && typeof (value as { pos?: unknown }).pos === "number";
}

/** The file holding a node; undefined for a node in no file (made, not parsed), which no narrow program holds. */
function sourceFileOf(node: ts.Node): ts.SourceFile | undefined {
  let current: ts.Node | undefined = node;
  while (current !== undefined && !ts.isSourceFile(current)) current = current.parent;
  return current;
}
