import { ts } from "ts-morph";
import { canCollectModuleReferences, moduleNamesOf, moduleReferencesOf } from "./module-references.js";
import { scannedFileOf, type ScannedFile } from "./scanned-file.js";
import type { Workspace } from "./workspace.js";
import { keepingSymbols } from "./kept-symbols.js";

/**
 * A type checker over the loaded files that parses, binds and resolves the imports of a file only when its answers
 * first reach it. The whole program's checker needs every file parsed (the program's creation reads each file's
 * imports to resolve them) and binds every file when it is created; but a binder's products on a module (its locals,
 * exports, the symbols of its declarations) are read only through that module — by resolving an import of it (the
 * checker asks its host for the file then), by a question about one of its nodes, or through a symbol of a file bound
 * already — and parsing, binding and resolving a file are the same whenever they are done (each reads the file and the
 * options alone). So the checker is made with the compiler's `createTypeChecker` over a host that is the workspace's
 * program in all but its files:
 *
 * - what is merged into the global scope when the checker is created is read up front, as the whole program reads it:
 *   `upFront` (declaration files, scripts, modules declaring ambient modules or globals, JavaScript files whose
 *   top-level assignments declare globals — `jsGlobalAugmentations` — or which the binder has not told apart, and any
 *   file that may name a lib with `/// <reference lib>`, chosen by the caller) through a program over them alone, made like the whole program (same
 *   options and compiler host, program.ts): its file list is the lib files the whole program has, in its order (the
 *   lib references of every other file are not followed: `mayReferenceLib` says which files may have one), then the
 *   up-front files in the loaded order — the order the whole program merges them in (global augmentations merge in
 *   file order);
 * - `getSourceFile`, the checker's one way to another file, serves any loaded file: parsed through its `ScannedFile`
 *   (the tree the analysis reads), given the names a program gives a file it holds (`path`, `resolvedPath`,
 *   `originalFileName`), bound;
 * - `getResolvedModule` answers for a file outside the up-front program what the whole program recorded when it
 *   collected the file's module references (module-references.ts): the compiler host's resolution (the project
 *   resolver, whose answers the imported files' memo and the import graph asked already) of each specifier the file
 *   names, keyed by specifier and resolution mode, and nothing for a specifier the program would not have resolved;
 * - after creation, any use of the file list (the alternative containers of an error message) reads and binds every
 *   loaded file first, as the whole program's list has them.
 *
 * What the program's creation does and this host leaves out, and why it changes no answer: the implied node format and
 * package.json scope (set from the options the compiler host ignores: flowgate's trees carry none, so the whole
 * program's files have none either); redirects and project references (the program is made without references);
 * type reference directives (the compiler host resolves none); `/// <reference path>` (the program resolves nothing,
 * `noResolve`); JSON modules (`resolveJsonModule` is off); the program's diagnostics (never asked).
 *
 * Undefined without the compiler functions it is made of (not in its declared API; present in TypeScript 5 and 6) or
 * with `stableTypeOrdering` (the file order numbers types): the caller uses the whole program's checker.
 */
export interface LazyChecker {
  checker: ts.TypeChecker;
  /**
   * Whether the checker can be asked about a node of the tree: a loaded file's (read and bound first when the checker
   * had not reached it) or a lib file's; not a tree parsed outside the workspace.
   */
  reach(tree: ts.SourceFile): boolean;
  /** The resolution the checker is given for a specifier written in a file it has read (undefined: unresolved). */
  resolution(file: ts.SourceFile, specifier: ts.StringLiteralLike): ts.ResolvedModuleFull | undefined;
  /**
   * `ask()`, the first resolution the checker asks for `moduleName` written in `file` answered with `resolvedModule`
   * (export-star-lookup.ts: an import resolved at the module that declares the name instead of through its barrel).
   */
  redirected<T>(file: ts.SourceFile, moduleName: string, resolvedModule: ts.ResolvedModuleFull, ask: () => T): T;
  /** The files read up front, merged into the global scope when the checker was created (the lib files among them). */
  global: readonly ts.SourceFile[];
}

/** The compiler's own functions a lazily reading checker is made of. */
interface CompilerInternals {
  createTypeChecker?: (host: ts.Program) => ts.TypeChecker;
  bindSourceFile?: (file: ts.SourceFile, options: ts.CompilerOptions) => void;
  getNormalizedAbsolutePath?: (fileName: string, currentDirectory: string) => string;
  toPath?: (fileName: string, currentDirectory: string, getCanonicalFileName: (fileName: string) => string) => string;
}

type Resolution = ts.ResolvedModuleWithFailedLookupLocations;

/** The program's answer to the checker's one question about resolution (not in its declared API). */
interface ResolvingProgram extends ts.Program {
  getResolvedModule(file: ts.SourceFile, moduleName: string, mode: ts.ResolutionMode): Resolution | undefined;
}

/** A program's names for a file it holds, which the checker reads (`path` keys its resolutions). */
interface FileNames {
  path?: string;
  resolvedPath?: string;
  originalFileName?: string;
}

export function lazyChecker(workspace: Pick<Workspace, "loaded" | "programParts">, upFront: readonly ScannedFile[]): LazyChecker | undefined {
  const { options, host: compilerHost } = workspace.programParts();
  const { createTypeChecker, bindSourceFile, getNormalizedAbsolutePath, toPath } = ts as unknown as CompilerInternals;
  if (
    typeof createTypeChecker !== "function" ||
    typeof bindSourceFile !== "function" ||
    typeof getNormalizedAbsolutePath !== "function" ||
    typeof toPath !== "function" ||
    !canCollectModuleReferences ||
    (options as { stableTypeOrdering?: boolean }).stableTypeOrdering
  ) {
    return undefined;
  }
  // a program adds the lib files only when it has root names: with no file up front (a full scan of a project with no
  // global file), an empty script stands in as its root and is left out of the files the checker is made over — the
  // lib files alone, in the program's order
  const stand = upFront.length === 0 ? ts.createSourceFile(`${compilerHost.getCurrentDirectory()}/__flowgate_no_file_up_front__.ts`, "", ts.ScriptTarget.Latest) : undefined;
  const frontHost: ts.CompilerHost =
    stand === undefined
      ? compilerHost
      : {
          ...compilerHost,
          getSourceFile: (fileName, ...rest) => (fileName === stand.fileName ? stand : compilerHost.getSourceFile(fileName, ...rest)),
          fileExists: (fileName) => fileName === stand.fileName || compilerHost.fileExists(fileName),
        };
  const front = ts.createProgram({ rootNames: stand ? [stand.fileName] : upFront.map((file) => file.fileName), options, host: frontHost }) as ResolvingProgram;
  if (typeof front.getResolvedModule !== "function") return undefined;
  const frontFiles = front.getSourceFiles().filter((file) => file !== stand);
  const inFront = new Set(frontFiles);
  const loaded = new Set(workspace.loaded);
  const currentDirectory = compilerHost.getCurrentDirectory();
  const reached = new Set<ts.SourceFile>(frontFiles);
  // the binder leaves a file it has bound (its locals set) as it is
  const bind = (file: ts.SourceFile) => bindSourceFile(file, options);
  const admit = (file: ts.SourceFile): ts.SourceFile => {
    if (reached.has(file)) return file;
    const names = file as FileNames;
    // as the program names a file it holds (its `findSourceFile`; the parser leaves them empty); a file an earlier
    // program held has these already, the same
    if (!names.path) names.path = toPath(file.fileName, currentDirectory, (fileName) => compilerHost.getCanonicalFileName(fileName));
    if (!names.resolvedPath) names.resolvedPath = names.path;
    if (!names.originalFileName) names.originalFileName = file.fileName;
    moduleReferencesOf(file, options);
    reached.add(file);
    return file;
  };
  const resolutions = new WeakMap<ts.SourceFile, Map<string, Resolution>>();
  // as the program resolves a file's module names (its `processImportedModules`): a name the file declares as an
  // ambient module resolves to nothing, the others through the compiler host, each kept by name and resolution mode
  const resolutionsOf = (file: ts.SourceFile): Map<string, Resolution> => {
    const held = resolutions.get(file);
    if (held !== undefined) return held;
    const known = new Map<string, Resolution>();
    resolutions.set(file, known);
    const references = moduleReferencesOf(file, options);
    const names = moduleNamesOf(references);
    if (names.length === 0) return known;
    const own = new Set(references.ambientModuleNames);
    const asked = names.filter((name) => !own.has(name.text));
    const containing = getNormalizedAbsolutePath((file as FileNames).originalFileName || file.fileName, currentDirectory);
    const answers = asked.length > 0 ? resolveModules(compilerHost, asked, containing, options, file) : [];
    let next = 0;
    for (const name of names) {
      const resolution = own.has(name.text) ? { resolvedModule: undefined } : answers[next++]!;
      known.set(modeKey(name.text, ts.getModeForUsageLocation(file, name, options)), resolution);
    }
    return known;
  };
  let creating = true;
  let everyFile: readonly ts.SourceFile[] | undefined;
  const host = Object.create(front) as ResolvingProgram;
  host.getSourceFiles = () => {
    if (creating) return frontFiles;
    everyFile ??= [...frontFiles.filter((file) => front.isSourceFileDefaultLibrary(file)), ...workspace.loaded.map((file) => admit(file.sourceFile))];
    for (const file of everyFile) bind(file);
    return everyFile;
  };
  host.getSourceFile = (fileName) => {
    const file = front.getSourceFile(fileName) ?? compilerHost.getSourceFile(fileName, ts.ScriptTarget.Latest);
    if (file === undefined) return undefined;
    if (!inFront.has(file) && !loaded.has(scannedFileOf(file)!)) return undefined;
    bind(admit(file));
    return file;
  };
  // one resolution handed over in place of the host's, for the next time the checker asks it (redirected)
  let redirect: { file: ts.SourceFile; moduleName: string; resolution: Resolution } | undefined;
  host.getResolvedModule = (file, moduleName, mode) => {
    if (redirect !== undefined && redirect.file === file && redirect.moduleName === moduleName) {
      const { resolution } = redirect;
      redirect = undefined;
      return resolution;
    }
    return inFront.has(file) ? front.getResolvedModule(file, moduleName, mode) : resolutionsOf(admit(file)).get(modeKey(moduleName, mode));
  };
  const checker = keepingSymbols(createTypeChecker(host));
  creating = false;
  return {
    checker,
    reach(tree) {
      if (!reached.has(tree)) {
        const scanned = scannedFileOf(tree);
        if (scanned === undefined || !loaded.has(scanned)) return false;
        admit(tree);
      }
      bind(tree);
      return true;
    },
    resolution: (file, specifier) => host.getResolvedModule(file, specifier.text, host.getModeForUsageLocation(file, specifier))?.resolvedModule,
    redirected(file, moduleName, resolvedModule, ask) {
      redirect = { file, moduleName, resolution: { resolvedModule } };
      try {
        return ask();
      } finally {
        redirect = undefined;
      }
    },
    global: frontFiles,
  };
}

/** A resolution's key: its module name and resolution mode, as the program's mode-aware cache keys it. */
function modeKey(moduleName: string, mode: ts.ResolutionMode): string {
  return `${mode ?? ""}\0${moduleName}`;
}

/** The compiler host's answers for the names (as the program asks it: by literal, from the file's absolute name). */
function resolveModules(
  host: ts.CompilerHost,
  names: readonly ts.StringLiteralLike[],
  containingFile: string,
  options: ts.CompilerOptions,
  file: ts.SourceFile,
): readonly ts.ResolvedModuleWithFailedLookupLocations[] {
  if (host.resolveModuleNameLiterals === undefined) throw new Error("the workspace's compiler host resolves module names by literal");
  return host.resolveModuleNameLiterals(names, containingFile, undefined, options, file, undefined);
}
