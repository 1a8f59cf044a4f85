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
 *
 * The program is the closure of the redone files' imports, which for a file near the root of the import graph is
 * nearly the whole project (novu's `app.module.ts`: 1,792 files), while the checker's answers follow only some of the
 * imports (there 506 files). So its files are bound as the checker reaches them (`lazilyBound`), not all up front.
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
    const { checker, bind } = lazilyBound(program, new Set(roots));
    return guarded(checker, new Set(program.getSourceFiles()), bind, () => {
      escaped = true;
      return workspace.checker();
    });
  });
  return { workspace: { ...workspace, checker }, escaped: () => escaped };
}

/** The compiler's own functions a lazily binding checker is made of (not in its declared API; present in TypeScript 5 and 6). */
interface CompilerInternals {
  createTypeChecker?: (host: ts.Program) => ts.TypeChecker;
  bindSourceFile?: (file: ts.SourceFile, options: ts.CompilerOptions) => void;
}

/**
 * A checker over the program that binds a file only when it first needs it. `program.getTypeChecker()` binds every file
 * of the program when it is created (half a second for novu's 1,792 files), though a binder's work on a module is read
 * only through that module: a file's locals, exports and declarations' symbols are reached by resolving an import of
 * it (the checker's one call of `getSourceFile`), by a question about one of its nodes, or by a symbol of a file
 * bound already — and binding is the same whenever it is done (the binder reads the file and the options alone, and
 * skips a file bound before). What is merged into the global scope when the checker is created is bound up front, as
 * the whole program's checker does: declaration files, scripts (not ES modules), modules that declare ambient modules
 * or globals, JavaScript files (whose top-level assignments may declare globals: `jsGlobalAugmentations`), and the
 * roots. Every other use of the file list after creation (error messages' alternative containers) binds the rest first.
 * Without the compiler functions (another TypeScript), or with `stableTypeOrdering` (the file order numbers types), the
 * checker binds everything as before.
 */
function lazilyBound(program: ts.Program, roots: ReadonlySet<ts.SourceFile>): { checker: ts.TypeChecker; bind: (file: ts.SourceFile) => void } {
  const options = program.getCompilerOptions();
  const { createTypeChecker, bindSourceFile } = ts as unknown as CompilerInternals;
  if (typeof createTypeChecker !== "function" || typeof bindSourceFile !== "function" || (options as { stableTypeOrdering?: boolean }).stableTypeOrdering) {
    return { checker: program.getTypeChecker(), bind: () => undefined };
  }
  const all = program.getSourceFiles();
  const upFront = all.filter((file) => roots.has(file) || seenWithoutImport(file) || isJavaScript(file));
  // the binder leaves a file it has bound (its locals set) as it is
  const bind = (file: ts.SourceFile) => bindSourceFile(file, options);
  let creating = true;
  const host: ts.Program = Object.create(program) as ts.Program;
  host.getSourceFiles = () => {
    if (creating) return upFront;
    for (const file of all) bind(file);
    return all;
  };
  host.getSourceFile = (fileName) => {
    const file = program.getSourceFile(fileName);
    if (file !== undefined) bind(file);
    return file;
  };
  const checker = createTypeChecker(host);
  creating = false;
  return { checker, bind };
}

function isJavaScript(sf: ts.SourceFile): boolean {
  return /\.[cm]?jsx?$/i.test(sf.fileName);
}

/** Whether other files see the file's declarations without importing it (so the checker's answers may depend on it). */
function seenWithoutImport(sf: ts.SourceFile): boolean {
  return sf.isDeclarationFile || !ts.isExternalModule(sf) || declaresAmbient(sf);
}

/**
 * The narrow checker, each method first checking that the nodes it is asked about are the program's (and binding their
 * files); at the first that is not, `escape` gives the checker that answers from then on.
 */
function guarded(narrow: ts.TypeChecker, files: ReadonlySet<ts.SourceFile>, bind: (file: ts.SourceFile) => void, escape: () => ts.TypeChecker): ts.TypeChecker {
  let answering = narrow;
  const methods = new Map<PropertyKey, (...args: unknown[]) => unknown>();
  // a node of the program: its file bound before the checker reads it
  const outside = (arg: unknown): boolean => {
    if (Array.isArray(arg)) return arg.some(outside);
    if (!isNode(arg)) return false;
    const file = sourceFileOf(arg);
    if (file === undefined || !files.has(file)) return true;
    bind(file);
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

function isNode(value: unknown): value is ts.Node {
  return typeof value === "object" && value !== null && typeof (value as { kind?: unknown }).kind === "number" && typeof (value as { pos?: unknown }).pos === "number";
}

/** The file holding a node; undefined for a node in no file (made, not parsed), which no narrow program holds. */
function sourceFileOf(node: ts.Node): ts.SourceFile | undefined {
  let current: ts.Node | undefined = node;
  while (current !== undefined && !ts.isSourceFile(current)) current = current.parent;
  return current;
}
