import { ts } from "ts-morph";
import { declaresAmbient } from "./import-graph.js";
import type { ScannedFile } from "./scanned-file.js";

/**
 * Whether other files see the file's declarations without importing it — a declaration file, a script (not a module),
 * a module that declares ambient modules or globals, a JavaScript file whose top-level assignments declare globals —
 * so that the checker's answers about any file may depend on it (narrow-checker.ts reads every such file up front).
 *
 * For a TypeScript file the parse says it. For a JavaScript file only the binder does: it makes a file a CommonJS
 * module (`module.exports`, `exports.x`, `require`: `commonJsModuleIndicator`), which the parse leaves a script, and
 * it declares a global for a top-level assignment to a property of a name declared nowhere (`Registry.version = …`:
 * `jsGlobalAugmentations`) — these are what the checker merges into the global scope when it is created, besides a
 * script's own declarations. So a JavaScript file is seen without an import unless its tree has been bound (the whole
 * program's checker binds every file; a scan's memo binds the file alone before it asks: a full scan's entry has the
 * binder's verdict on each) and the binder found it a module declaring no global. Outline's server keeps 301 database migrations, CommonJS modules each (`module.exports =
 * { up, down }`), which the narrow checker no longer binds up front.
 */
export function seenWithoutImport(sf: ts.SourceFile): boolean {
  if (sf.isDeclarationFile || declaresAmbient(sf)) return true;
  if (!isJavaScript(sf.fileName)) return !ts.isExternalModule(sf);
  const bound = sf as ts.SourceFile & BinderProducts;
  if (bound.locals === undefined) return true; // not bound: its top-level assignments may declare globals
  return (bound.externalModuleIndicator === undefined && bound.commonJsModuleIndicator === undefined) || bound.jsGlobalAugmentations !== undefined;
}

/** What the parser and the binder leave on a file (not in the compiler's declared API; read only here). */
interface BinderProducts {
  /** The parser's: the file's first ES module syntax. */
  externalModuleIndicator?: unknown;
  /** Set on every file the binder has bound (a file's scope). */
  locals?: unknown;
  /** The first CommonJS export or `require` of a JavaScript file: it is a module. */
  commonJsModuleIndicator?: unknown;
  /** Globals declared by a JavaScript file's top-level assignments, merged into the global scope by the checker. */
  jsGlobalAugmentations?: unknown;
}

/** A JavaScript file (by its name, as the compiler tells its script kind). */
function isJavaScript(fileName: string): boolean {
  return /\.[cm]?jsx?$/i.test(fileName);
}

/**
 * The verdict memoised per loaded file: taken from `known` (a cache entry's, for a file whose text it was computed
 * from) when it has it — the file's tree is then not read —, else read from the file's tree. The verdict depends on the
 * file's text and name alone (its parse: program.ts `parseSource`, and for a JavaScript file its binding, which reads
 * the text alone), so an entry's holds for the same text.
 *
 * With `options` (the program's), a JavaScript file not bound when first asked about is bound alone first — the binder
 * only, as any checker over the program binds it (the binder leaves a bound file as it is, and binding reads the file
 * and the options alone) — so the verdict is the binder's: a full scan's checker binds only the files its answers reach
 * (narrow-checker.ts), and the entry it writes keeps these verdicts for every review after it. Without, such a file
 * keeps the verdict that it is seen.
 */
export function seenWithoutImportMemo(known: (file: ScannedFile) => boolean | undefined = () => undefined, options?: ts.CompilerOptions): (file: ScannedFile) => boolean {
  const verdicts = new Map<ScannedFile, boolean>();
  return (file) => {
    let verdict = verdicts.get(file);
    if (verdict === undefined) {
      verdict = known(file);
      if (verdict === undefined) {
        if (options !== undefined && isJavaScript(file.fileName)) bindAlone(file.sourceFile, options);
        verdict = seenWithoutImport(file.sourceFile);
      }
      verdicts.set(file, verdict);
    }
    return verdict;
  };
}

/** Binds the file with the binder alone (not in the compiler's declared API: without it the file stays unbound). */
function bindAlone(sf: ts.SourceFile, options: ts.CompilerOptions): void {
  const { bindSourceFile } = ts as unknown as { bindSourceFile?: (file: ts.SourceFile, options: ts.CompilerOptions) => void };
  if (typeof bindSourceFile === "function") bindSourceFile(sf, options);
}
