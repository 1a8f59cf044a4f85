import path from "node:path";
import { ts } from "ts-morph";
import type { ProjectResolver } from "./module-resolution.js";
import type { ScannedFile } from "./scanned-file.js";
import { forEachDeclaredType } from "./symbols.js";
import { exportedNames } from "./declaration-hashes.js";

/**
 * Which project files each file depends on, name by name through barrels. `import { formatAccount } from
 * "../account"` depends on the barrel `account/index.ts` and on the file that declares `formatAccount`, not on every
 * file the barrel re-exports: a NestJS gateway imports most things through barrels, and a file-level graph would make
 * every change reach half the project. Imports that take a whole module (`import * as`, default-less side-effect
 * imports, `require`, `import()`, `import x = require`, `/// <reference path>`) depend on the module and, through a
 * barrel, on everything it re-exports. A file that depends on a project interface or class also depends on the files
 * whose classes implement or extend it (calls through the type reach them: class-hierarchy dispatch).
 */
export interface ImportGraph {
  /** File → the project files it depends on (relative paths). */
  dependencies: Map<string, Dependencies>;
  /** Files whose top-level declarations other files see without an import: global scripts, `declare global`. */
  unfollowable: Map<string, string>;
  /** Each file's module shape (of `files`' versions), which a later graph over the same file set may take as it is. */
  shapes: Map<string, ModuleShape>;
}

/**
 * `uses`: files whose code the file's analysis reads (declarations it imports, whole modules). `forwardedBy`: barrels
 * its imports pass through on the way — they matter only when they themselves change (a forwarding file has no code
 * of its own to analyse differently).
 */
export interface Dependencies {
  uses: Set<string>;
  forwardedBy: Set<string>;
  /**
   * Per file in `uses`: the names it declares that this file reads, or "all" (a whole module, a class hierarchy). A file
   * whose exports changed reaches this one only if one of them is among these (affected-files.ts).
   */
  names: Map<string, Set<string> | "all">;
  /**
   * Files whose classes extend or implement a type this file depends on (class-hierarchy dispatch runs their code):
   * a dependency on their code only, not on their declarations' types, so it does not pass on to this file's importers.
   */
  dispatch: Set<string>;
}

/**
 * A file's module shape: what it imports from where (resolved), and what it exports. It depends on the file's text, the
 * compiler options it is resolved with, the set of project files and the workspace packages — nothing else.
 */
export interface ModuleShape {
  /** Specifiers used as a whole (namespace, side-effect, require, import(), reference paths), resolved. */
  whole: string[];
  /** Named imports: local or imported name → resolved files and the name there. */
  named: { files: string[]; name: string }[];
  /** Names declared here and exported (`default` included). */
  own: Set<string>;
  /** `export { a as b } from "./x"` and `import { a } …; export { a as b }`: exported name → where it comes from. */
  forwarded: Map<string, { files: string[]; name: string }[]>;
  /** `export * from "./x"`, resolved. */
  stars: string[][];
  /** Uses CommonJS exports: any name may be its own. */
  commonJs: boolean;
  /** Imported names its classes and interfaces extend or implement (`class SmtpSender implements EmailSender`). */
  heritage: { files: string[]; name: string }[];
  /** Why other files may depend on this one without importing it, if they may. */
  unfollowable?: string;
}

const OTHER_IMPORTS = /\brequire\s*\(|\bimport\s*\(|\bimport\s+[\w$]+\s*=\s*require\b/;
const COMMON_JS = /\bmodule\.exports\b|\bexports\.[\w$]+\s*=|\bexports\[/;
const MODULE_SYNTAX = /\bexport\b|\bmodule\.exports\b|\bexports\.[\w$]+\s*=|\bexports\[/;

/**
 * A file the graph reads: its tree, parsed when first read (a {@link ScannedFile}; a tree already parsed will do). A
 * file whose shape is `known` is never read, so a cached review parses only the files without one (the changed ones).
 */
export type GraphFile = Pick<ScannedFile, "sourceFile">;

/**
 * Builds the graph over `files` (relative path → the file). `resolve` lists the project files a specifier written
 * in a file may resolve to (update review asks both sides' file sets). A file may appear in several versions
 * (`extra`, e.g. the base's versions of changed files): their dependencies are united. `known`: shapes an earlier
 * graph found for some of `files` (the analysis cache keeps them), valid only when it resolved against the same file
 * sets and packages, and each file's text and options are the same; the tree of a file with a known shape is not read.
 */
export function buildImportGraph(
  root: string,
  files: ReadonlyMap<string, GraphFile>,
  extra: ReadonlyMap<string, ts.SourceFile>,
  resolvers: readonly ProjectResolver[],
  known?: (relative: string) => ModuleShape | undefined,
): ImportGraph {
  const { shapes, fileShapes, unfollowable } = shapesOf(root, files, extra, resolvers, known);
  const starIndexes = new Map<string, StarIndex>();
  const exportsOf = new Map<string, Set<string> | "any">();

  const dependencies = new Map<string, Dependencies>();
  for (const [relative, versions] of shapes) {
    const deps: Dependencies = { uses: new Set(), forwardedBy: new Set(), names: new Map(), dispatch: new Set() };
    for (const shape of versions) {
      for (const file of shape.whole) wholeModule(file, deps, new Set());
      for (const { files: targets, name } of shape.named) for (const file of targets) exported(file, name, deps, new Set());
    }
    deps.uses.delete(relative);
    deps.forwardedBy.delete(relative);
    deps.names.delete(relative);
    dependencies.set(relative, deps);
  }
  // A call through a project interface or base class runs the implementations below it (class-hierarchy dispatch): a
  // file that depends on a type depends on the code of every file whose classes extend or implement it, whatever in it
  // changed. Kept per declaring file and name ("*": any name of the file).
  const extenders = new Map<string, Map<string, Set<string>>>();
  for (const [relative, versions] of shapes) {
    for (const shape of versions) {
      for (const { files: targets, name } of shape.heritage) {
        const declaring: Dependencies = { uses: new Set(), forwardedBy: new Set(), names: new Map(), dispatch: new Set() };
        for (const file of targets) exported(file, name, declaring, new Set());
        for (const [file, names] of declaring.names) {
          if (file === relative) continue;
          let byName = extenders.get(file);
          if (!byName) extenders.set(file, (byName = new Map()));
          for (const n of names === "all" ? ["*"] : names) {
            const set = byName.get(n);
            if (set) set.add(relative);
            else byName.set(n, new Set([relative]));
          }
        }
      }
    }
  }
  if (extenders.size > 0) {
    for (const [relative, deps] of dependencies) {
      const pending: [string, Set<string> | "all"][] = [[relative, "all"], ...deps.names];
      while (pending.length > 0) {
        const [file, names] = pending.pop() as [string, Set<string> | "all"];
        const byName = extenders.get(file);
        if (byName === undefined) continue;
        const subs = names === "all" ? [...byName.values()] : [...names, "*"].map((n) => byName.get(n) ?? new Set<string>());
        for (const set of subs) {
          for (const sub of set) {
            if (sub === relative || deps.dispatch.has(sub)) continue;
            deps.dispatch.add(sub);
            pending.push([sub, "all"]);
          }
        }
      }
    }
  }
  return { dependencies, unfollowable, shapes: fileShapes };

  /** The module and, through its re-exports, everything it forwards. */
  function wholeModule(file: string, deps: Dependencies, seen: Set<string>): void {
    if (seen.has(file)) return;
    seen.add(file);
    deps.uses.add(file);
    deps.names.set(file, "all");
    for (const shape of shapes.get(file) ?? []) {
      for (const star of shape.stars) for (const f of star) wholeModule(f, deps, seen);
      for (const list of shape.forwarded.values()) for (const f of list) for (const target of f.files) wholeModule(target, deps, seen);
    }
  }

  /** The files that decide what `name` exported by `file` is: its declaration's file, and the barrels on the way. */
  function exported(file: string, name: string, deps: Dependencies, seen: Set<string>): void {
    const key = `${file}\0${name}`;
    if (seen.has(key)) return;
    seen.add(key);
    const versions = shapes.get(file);
    if (versions === undefined) return; // not a project file in scope
    const own = versions.some((s) => s.own.has(name) || s.commonJs);
    if (own) {
      deps.uses.add(file);
      const names = deps.names.get(file);
      if (names === undefined) deps.names.set(file, new Set([name]));
      else if (names !== "all") names.add(name);
    } else deps.forwardedBy.add(file);
    let forwarded = false;
    for (const shape of versions) {
      for (const f of shape.forwarded.get(name) ?? []) {
        for (const target of f.files) exported(target, f.name, deps, seen);
        forwarded = true;
      }
    }
    if (forwarded || own) return;
    // not declared or forwarded by name: one of the `export *` modules has it (or none does: then all of them count)
    const index = starIndex(file, versions);
    const having = [...(index.byName.get(name) ?? []), ...index.anyName];
    if (having.length > 0) for (const star of having) exported(star, name, deps, seen);
    else for (const star of index.stars) wholeModule(star, deps, new Set());
  }

  /**
   * A barrel's `export *` modules, by the names each exports (a CommonJS module: any name), once per barrel — a
   * gateway's barrels forward hundreds of modules, and every import through one asks which of them has its name.
   */
  function starIndex(file: string, versions: ModuleShape[]): StarIndex {
    let index = starIndexes.get(file);
    if (index !== undefined) return index;
    index = { stars: versions.flatMap((s) => s.stars.flat()), byName: new Map(), anyName: [] };
    for (const star of index.stars) {
      const names = exportedNames(star, new Set());
      if (names === "any") index.anyName.push(star);
      else for (const name of names) push(index.byName, name, star);
    }
    starIndexes.set(file, index);
    return index;
  }

  /**
   * The names `file` exports (declared, forwarded or through a star), or "any" (CommonJS), memoised. In a cycle of
   * `export *` a module's names are complete only once the walk is back at the module it started from: a module whose
   * walk was cut short at another module on the way is not memoised.
   */
  function exportedNames(file: string, visiting: Set<string>): Set<string> | "any" {
    return namesOf(file, visiting).names;
  }

  function namesOf(file: string, visiting: Set<string>): { names: Set<string> | "any"; cut: boolean } {
    const known = exportsOf.get(file);
    if (known !== undefined) return { names: known, cut: false };
    if (visiting.has(file)) return { names: new Set(), cut: true };
    visiting.add(file);
    const versions = shapes.get(file) ?? [];
    let names: Set<string> | "any" = new Set();
    let cut = false;
    if (versions.some((s) => s.commonJs)) names = "any";
    else {
      for (const s of versions) {
        for (const n of s.own) names.add(n);
        for (const n of s.forwarded.keys()) names.add(n);
        for (const star of s.stars.flat()) {
          const more = namesOf(star, visiting);
          cut ||= more.cut;
          if (more.names === "any") {
            names = "any";
            break;
          }
          for (const n of more.names) names.add(n);
        }
        if (names === "any") break;
      }
    }
    visiting.delete(file);
    // the walk that started here has seen every module it reaches (a cut led back to one on its way)
    if (!cut || visiting.size === 0) exportsOf.set(file, names);
    return { names, cut };
  }
}

interface StarIndex {
  stars: string[];
  byName: Map<string, string[]>;
  /** Stars any name may come from (CommonJS). */
  anyName: string[];
}

function push(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The module shapes of `files` alone (what the analysis cache keeps of a tree's import graph). */
export function moduleShapes(root: string, files: ReadonlyMap<string, GraphFile>, resolvers: readonly ProjectResolver[]): Map<string, ModuleShape> {
  return shapesOf(root, files, new Map(), resolvers).fileShapes;
}

/** Every version's shape per file, the first (`files`') version's, and the files other files may depend on unseen. */
function shapesOf(
  root: string,
  files: ReadonlyMap<string, GraphFile>,
  extra: ReadonlyMap<string, ts.SourceFile>,
  resolvers: readonly ProjectResolver[],
  known?: (relative: string) => ModuleShape | undefined,
): { shapes: Map<string, ModuleShape[]>; fileShapes: Map<string, ModuleShape>; unfollowable: Map<string, string> } {
  const shapes = new Map<string, ModuleShape[]>();
  const fileShapes = new Map<string, ModuleShape>();
  const unfollowable = new Map<string, string>();
  // one resolution per directory and specifier: files of one directory share their tsconfig, hence the answer
  const resolved = new Map<string, string[]>();
  const resolve = (specifier: string, relative: string): string[] => {
    const containing = path.join(root, relative);
    const key = `${path.dirname(containing)}\0${specifier}`;
    let found = resolved.get(key);
    if (found === undefined) {
      const out = new Set<string>();
      for (const r of resolvers) {
        const resolution = r([specifier], containing)[0];
        if (resolution !== undefined && !resolution.isExternalLibraryImport) out.add(toRelative(root, resolution.resolvedFileName));
      }
      resolved.set(key, (found = [...out]));
    }
    return found;
  };
  const add = (relative: string, file: GraphFile, earlier?: ModuleShape) => {
    // the tree is read (and so parsed, for a ScannedFile) only when no earlier graph found the shape
    const shape = earlier ?? shapeOf(root, relative, file.sourceFile, (specifier) => resolve(specifier, relative));
    const list = shapes.get(relative);
    if (list) list.push(shape);
    else shapes.set(relative, [shape]);
    if (shape.unfollowable !== undefined) unfollowable.set(relative, shape.unfollowable);
    return shape;
  };
  for (const [relative, file] of files) fileShapes.set(relative, add(relative, file, known?.(relative)));
  for (const [relative, sourceFile] of extra) add(relative, { sourceFile });
  return { shapes, fileShapes, unfollowable };
}

function shapeOf(root: string, relative: string, sf: ts.SourceFile, resolve: (specifier: string) => string[]): ModuleShape {
  const containing = path.join(root, relative);
  const shape: ModuleShape = { whole: [], named: [], own: new Set(), forwarded: new Map(), stars: [], commonJs: COMMON_JS.test(sf.text), heritage: [] };
  const importedAs = new Map<string, { files: string[]; name: string }>();
  const byStatement = new Map<string, number>(); // specifier → uses by import/export statements
  const count = (specifier: string) => byStatement.set(specifier, (byStatement.get(specifier) ?? 0) + 1);

  for (const statement of sf.statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
      const specifier = statement.moduleSpecifier.text;
      count(specifier);
      const files = resolve(specifier);
      const clause = statement.importClause;
      const bindings = clause?.namedBindings;
      if (clause === undefined || (bindings !== undefined && ts.isNamespaceImport(bindings))) {
        shape.whole.push(...files);
        continue;
      }
      if (clause.name) {
        shape.named.push({ files, name: "default" });
        importedAs.set(clause.name.text, { files, name: "default" });
      }
      if (bindings !== undefined && ts.isNamedImports(bindings)) {
        for (const element of bindings.elements) {
          const name = (element.propertyName ?? element.name).text;
          shape.named.push({ files, name });
          importedAs.set(element.name.text, { files, name });
        }
      }
    } else if (ts.isExportDeclaration(statement)) {
      const specifier = statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier) ? statement.moduleSpecifier.text : undefined;
      if (specifier !== undefined) count(specifier);
      const files = specifier !== undefined ? resolve(specifier) : [];
      const clause = statement.exportClause;
      if (clause === undefined) {
        if (specifier !== undefined) shape.stars.push(files);
      } else if (ts.isNamespaceExport(clause)) {
        shape.own.add(clause.name.text);
        shape.whole.push(...files);
      } else {
        for (const element of clause.elements) {
          const exportedName = element.name.text;
          const local = (element.propertyName ?? element.name).text;
          const from = specifier !== undefined ? { files, name: local } : importedAs.get(local);
          if (from === undefined) shape.own.add(exportedName);
          else forward(shape, exportedName, from);
        }
      }
    } else if (ts.isExportAssignment(statement)) {
      shape.own.add("default");
    } else {
      for (const name of exportedNames(statement)) shape.own.add(name);
    }
  }
  for (const name of heritageNames(sf)) {
    const from = importedAs.get(name);
    if (from !== undefined) shape.heritage.push(from);
  }
  // every other use of a specifier (require, import(), import x = require) takes the module as a whole; the scanner
  // pass that lists them is skipped when the text cannot contain one
  const importedFiles = OTHER_IMPORTS.test(sf.text) ? ts.preProcessFile(sf.text, true, true).importedFiles : [];
  const uses = new Map<string, number>();
  for (const imported of importedFiles) uses.set(imported.fileName, (uses.get(imported.fileName) ?? 0) + 1);
  for (const [specifier, n] of uses) if (n > (byStatement.get(specifier) ?? 0)) shape.whole.push(...resolve(specifier));
  for (const reference of sf.referencedFiles) shape.whole.push(toRelative(root, path.resolve(path.dirname(containing), reference.fileName)));
  const why = unfollowableReason(sf, byStatement.size > 0 || importedFiles.length > 0);
  return why !== undefined ? { ...shape, unfollowable: why } : shape;
}

/** Names in the `extends`/`implements` clauses of the file's classes and interfaces, as written (`ns` of `ns.Base`). */
function heritageNames(sf: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  const add = (clauses: ts.NodeArray<ts.HeritageClause> | undefined) => {
    for (const clause of clauses ?? []) {
      for (const type of clause.types) {
        let expression: ts.Expression = type.expression;
        while (ts.isPropertyAccessExpression(expression)) expression = expression.expression;
        if (ts.isIdentifier(expression)) names.add(expression.text);
      }
    }
  };
  forEachDeclaredType(sf, (declaration) => add(declaration.heritageClauses));
  return names;
}

function forward(shape: ModuleShape, name: string, from: { files: string[]; name: string }): void {
  const list = shape.forwarded.get(name);
  if (list) list.push(from);
  else shape.forwarded.set(name, [from]);
}

/** Why other files may depend on this one without importing it, if they may. */
function unfollowableReason(sf: ts.SourceFile, imports: boolean): string | undefined {
  const isModule = imports || ts.isExternalModule(sf) || MODULE_SYNTAX.test(sf.text);
  if (!isModule) return "is a global script (its declarations are visible without an import)";
  if (declaresAmbient(sf)) return "declares ambient modules or globals (visible without an import)";
  return undefined;
}

/** Whether a module declares ambient modules or augments one or the globals (`declare module "x"`, `declare global`). */
export function declaresAmbient(sf: ts.SourceFile): boolean {
  return sf.statements.some((statement) => ts.isModuleDeclaration(statement) && (ts.isStringLiteral(statement.name) || statement.name.text === "global"));
}

function toRelative(root: string, absolute: string): string {
  return path.relative(root, absolute).split(path.sep).join("/");
}
