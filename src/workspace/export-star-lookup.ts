import path from "node:path";
import { ts } from "ts-morph";
import type { ModuleShape } from "./import-graph.js";
import { scannedFileOf, type ScannedFile } from "./scanned-file.js";

/**
 * Imports of a barrel resolved without the barrel's export table. The checker resolves `import { ProfilingModule } from
 * "@novu/application-generic"` — for the name's symbol, a use of it, a call through it — by building the table of
 * everything the barrel exports, every `export *` module's exports united, so every module of the barrel's closure is
 * parsed and bound (novu's cached review: 463 of the 505 files its narrow checker bound, for two imports). The table is
 * built to look one name up, and which module the name comes from follows from the rule it is built by; which modules
 * cannot hold the name is known from their module shapes (the analysis cache keeps each file's: the names it declares
 * or forwards, its `export *` modules), without their trees.
 *
 * The rule (the checker's `getExportsOfModuleWorker`): a module's own exports (declared, forwarded by name, `export * as
 * ns`) come first; then its `export *` modules in order, each visited depth first (its own exports before its stars), a
 * module visited once per table (a later path to it adds nothing), the first module found with the name giving it
 * (`default` never passes through a star). The lookup follows that order. A module whose shape says it has neither the
 * name nor a star is passed without being read, and so is a barrel none of whose stars' modules has the name by their
 * shapes, when the shapes' resolutions are the checker's (`resolvedByShapes`); any other module is asked of the checker
 * as the table asks it (its module symbol, from the export declaration's specifier) and its bound exports are read.
 *
 * The answer is handed to the checker where it would have used the table: before the checker is asked about a file's
 * nodes or symbols, each import of a barrel in the file is resolved by the checker itself — its target and its
 * immediate target, which it keeps for every later question — with the import's module resolved, that once, to the
 * module the lookup found the name in (lazy-checker.ts, `redirected`). The checker then looks the name up in that
 * module's table: the very export symbol the barrel's table holds, which it resolves as it would have (`resolveSymbol`).
 * Nothing else of those answers depends on the module the name was looked up in but whether it came through a
 * type-only star (`export type *`). A name the barrel forwards by name beside its stars (`export { X } from "./x"`:
 * relative, not renamed, nothing type-only) is looked up in the forwarded module's table by the same rule and the import
 * redirected to the module found: the barrel's hop leaves the alias chain (the import's immediate target is that
 * module's export), which changes no answer of provenance — a relative hop leads into the project under the same name
 * (`throughForward`). So an import is left to the checker (which builds the table) where the lookup
 * cannot tell or the redirect could differ: the name declared by the barrel itself (its table is the one to spare),
 * found through a type-only star or in no module; `default` or an escaped name (`__x`); a barrel with `export =` or
 * whose symbol is also a variable; a specifier an ambient module of the same name answers, one resolving to no loaded
 * file or to a file the checker may refuse as a star's target (JavaScript, JSON: its `getResolutionDiagnostic`); and
 * every import when an up-front file augments a module (`declare module "./x"` in a module adds names no shape lists).
 *
 * What is not spared: the type of an import's alias is found by resolving the import again, unremembered (the
 * checker's `getTypeOfAlias`), so a question about the type of a barrel's name builds the table then — the same answer.
 */
export interface StarLookupInputs {
  checker: ts.TypeChecker;
  /** The resolution the checker's host gives a specifier written in a file (undefined: unresolved). */
  resolution(file: ts.SourceFile, specifier: ts.StringLiteralLike): ts.ResolvedModuleFull | undefined;
  /** `ask()` with the checker's first resolution of `moduleName` written in `file` answered by `resolvedModule`. */
  redirected<T>(file: ts.SourceFile, moduleName: string, resolvedModule: ts.ResolvedModuleFull, ask: () => T): T;
  /** The loaded file of an absolute file name. */
  loaded(fileName: string): ScannedFile | undefined;
  /** A loaded file's module shape when its text is the one the shape was found from (the cache entry's). */
  shape(file: ScannedFile): ModuleShape | undefined;
  /**
   * The loaded file at a path relative to the root, when the shapes' resolutions are the checker's: found over the same
   * file set (the entry's tree resolved against the files in scope, which are the loaded files), with the same resolver.
   */
  resolvedByShapes?: (relative: string) => ScannedFile | undefined;
  /** The files the checker merged into the global scope when it was created (lib files included). */
  global: readonly ts.SourceFile[];
}

/** Resolves, once per file, the file's imports of barrels without the barrels' tables (see above). */
export function importsThroughStars(inputs: StarLookupInputs): (file: ts.SourceFile) => void {
  const { checker } = inputs;
  const { ambient, augmented } = ambientModules(inputs.global);
  const done = new WeakSet<ts.SourceFile>();

  /** The loaded file a specifier resolves to as the checker resolves it; undefined where this lookup cannot tell. */
  const target = (specifier: ts.StringLiteralLike): { resolved: ts.ResolvedModuleFull; file: ScannedFile } | undefined => {
    if (!ts.isExternalModuleNameRelative(specifier.text) && ambient.has(specifier.text)) return undefined;
    const resolved = inputs.resolution(specifier.getSourceFile(), specifier);
    if (resolved === undefined || !TABLE_READS.has(resolved.extension)) return undefined;
    const file = inputs.loaded(resolved.resolvedFileName);
    return file !== undefined ? { resolved, file } : undefined;
  };

  /** The module symbol of a loaded module as the checker resolves the specifier; "none" for a script; undefined. */
  const moduleAt = (specifier: ts.StringLiteralLike): ts.Symbol | "none" | undefined => {
    if (target(specifier) === undefined) return undefined;
    const symbol = checker.getSymbolAtLocation(specifier);
    if (symbol === undefined) return "none";
    if (symbol.exports === undefined || symbol.exports.has(ts.InternalSymbolName.ExportEquals) || symbol.flags & ts.SymbolFlags.Variable) return undefined;
    return symbol.flags & ts.SymbolFlags.Module ? symbol : undefined;
  };

  /**
   * Whether the shapes say that no module a module's table unites (itself, its stars' modules, theirs) has the name;
   * false where they cannot tell (no shape, CommonJS, a star the shapes' resolutions are not known to be the checker's).
   */
  const lacks = (file: ScannedFile, name: string, seen: Set<ScannedFile>): boolean => {
    if (seen.has(file)) return true;
    seen.add(file);
    const known = inputs.shape(file);
    if (known === undefined || known.commonJs || known.own.has(name) || known.forwarded.has(name)) return false;
    for (const star of known.stars) {
      const reached = star.length === 1 ? inputs.resolvedByShapes?.(star[0]!) : undefined;
      if (reached === undefined || !lacks(reached, name, seen)) return false;
    }
    return true;
  };

  interface Found {
    module: ts.Symbol;
    typeOnly: boolean;
  }

  /** The module whose own export `name` a module's table holds (the table's rule, above); undefined when none; "fail". */
  const lookUp = (module: ts.Symbol, name: string, visited: Set<ts.Symbol | string>, typeOnly: boolean): Found | undefined | "fail" => {
    if (visited.has(module)) return undefined;
    visited.add(module);
    const exports = module.exports!;
    if (exports.has(name as ts.__String)) return { module, typeOnly };
    for (const declaration of exports.get(ts.InternalSymbolName.ExportStar)?.declarations ?? []) {
      if (!ts.isExportDeclaration(declaration) || declaration.moduleSpecifier === undefined || !ts.isStringLiteral(declaration.moduleSpecifier)) return "fail";
      const specifier = declaration.moduleSpecifier;
      const reached = target(specifier);
      if (reached === undefined) return "fail";
      const fileName = reached.resolved.resolvedFileName;
      if (visited.has(fileName)) continue;
      visited.add(fileName);
      // a module with neither the name nor a star, or whose stars reach none with it, adds nothing under it: passed unread
      if (lacks(reached.file, name, new Set())) continue;
      const star = moduleAt(specifier);
      if (star === undefined) return "fail";
      if (star === "none") continue;
      const found = lookUp(star, name, visited, typeOnly || declaration.isTypeOnly);
      if (found !== undefined) return found;
    }
    return undefined;
  };

  /**
   * The module whose own export a name comes from when a barrel forwards it by name (`export { X } from "./x"`): the
   * export's target is looked up in the forwarded module's table, by the same rule (a table of its own, lookUp). Only a
   * relative specifier, the name not renamed, nothing type-only: the barrel's hop then leads into the project under the
   * same name, where provenance follows it through (model/provenance.ts, `externalOfAlias`), so leaving it out of the
   * alias chain changes no answer. A name the barrel declares, or forwards otherwise, is left to the checker.
   */
  const throughForward = (barrel: ts.Symbol, exported: ts.Symbol, name: string): Found | undefined | "fail" => {
    const declaration = exported.declarations?.length === 1 ? exported.declarations[0]! : undefined;
    if (declaration === undefined || !ts.isExportSpecifier(declaration) || declaration.isTypeOnly || declaration.parent.parent.isTypeOnly) return undefined;
    const property = declaration.propertyName;
    if (property !== undefined && !(ts.isIdentifier(property) && property.escapedText === name)) return undefined;
    const forwardedFrom = declaration.parent.parent.moduleSpecifier;
    if (forwardedFrom === undefined || !ts.isStringLiteral(forwardedFrom) || !forwardedFrom.text.startsWith(".")) return undefined;
    const forwarded = moduleAt(forwardedFrom);
    if (forwarded === undefined || forwarded === "none" || forwarded === barrel) return undefined;
    return lookUp(forwarded, name, new Set(), false);
  };

  const resolveImport = (file: ts.SourceFile, specifier: ts.StringLiteral, element: ts.ImportSpecifier): void => {
    const nameNode = element.propertyName ?? element.name;
    if (!ts.isIdentifier(nameNode)) return;
    const name = nameNode.escapedText as string;
    if (name === "default" || name.startsWith("__")) return;
    const barrel = target(specifier);
    if (barrel === undefined) return;
    // a module known to have no star: its table is its own exports, nothing to spare
    const known = inputs.shape(barrel.file);
    if (known !== undefined && !known.commonJs && known.stars.length === 0) return;
    const module = moduleAt(specifier);
    if (module === undefined || module === "none" || !module.exports!.has(ts.InternalSymbolName.ExportStar)) return;
    const own = module.exports!.get(name as ts.__String);
    const found = own === undefined ? lookUp(module, name, new Set(), false) : throughForward(module, own, name);
    // found in a module with stars of its own, its table is read whole: still far less than the barrel's
    if (found === undefined || found === "fail" || found.typeOnly) return;
    const declaring = found.module.valueDeclaration;
    if (declaring === undefined || !ts.isSourceFile(declaring)) return;
    const alias = checker.getSymbolAtLocation(element.name);
    if (alias === undefined || !(alias.flags & ts.SymbolFlags.Alias) || alias.declarations?.length !== 1) return;
    const resolvedModule: ts.ResolvedModuleFull = { resolvedFileName: declaring.fileName, extension: extensionOf(declaring.fileName), isExternalLibraryImport: false };
    // its target, and its immediate target (the table's entry, which provenance follows one step at a time)
    inputs.redirected(file, specifier.text, resolvedModule, () => checker.getAliasedSymbol(alias));
    inputs.redirected(file, specifier.text, resolvedModule, () => checker.getImmediateAliasedSymbol(alias));
  };

  return (file) => {
    if (augmented || done.has(file)) return;
    done.add(file);
    // a loaded file's tree (a tree parsed outside the workspace is not the checker's to ask about)
    const scanned = scannedFileOf(file);
    if (scanned === undefined || inputs.loaded(file.fileName) !== scanned) return;
    for (const statement of file.statements) {
      if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
      const bindings = statement.importClause?.namedBindings;
      if (bindings === undefined || !ts.isNamedImports(bindings)) continue;
      for (const element of bindings.elements) resolveImport(file, statement.moduleSpecifier, element);
    }
  };
}

/** Extensions of the files the checker reads a resolution to without a diagnostic that drops it (`getResolutionDiagnostic`). */
const TABLE_READS = new Set<string>([ts.Extension.Ts, ts.Extension.Tsx, ts.Extension.Dts, ts.Extension.Mts, ts.Extension.Cts, ts.Extension.Dmts, ts.Extension.Dcts]);

function extensionOf(fileName: string): ts.Extension {
  for (const extension of [ts.Extension.Dts, ts.Extension.Dmts, ts.Extension.Dcts]) if (fileName.endsWith(extension)) return extension;
  return path.extname(fileName) as ts.Extension;
}

/**
 * The names of the ambient modules the global files declare (`declare module "x"` in a script: it answers an import of
 * "x" before resolution does), and whether a module augments another (`declare module "./x"` in a module).
 */
function ambientModules(files: readonly ts.SourceFile[]): { ambient: Set<string>; augmented: boolean } {
  const ambient = new Set<string>();
  let augmented = false;
  for (const file of files) {
    for (const statement of file.statements) {
      if (!ts.isModuleDeclaration(statement) || !ts.isStringLiteral(statement.name)) continue;
      if (ts.isExternalModule(file)) augmented = true;
      else ambient.add(statement.name.text);
    }
  }
  return { ambient, augmented };
}
