import path from "node:path";
import type { ts } from "ts-morph";
import { autoImports } from "../workspace/auto-imports.js";
import { isDeclarationFile, SOURCE_EXTENSIONS } from "../workspace/find-files.js";
import { buildImportGraph, type GraphFile, type ImportGraph, type ModuleShape } from "../workspace/import-graph.js";
import { parseSource } from "../workspace/program.js";
import { createProjectResolver } from "../workspace/module-resolution.js";
import type { SourceSet } from "../workspace/source-set.js";
import type { ChangedFiles } from "./changed-lines.js";

/**
 * The files whose analysis an update can change. The engine reaches code in another file only through an import
 * (imports, re-exports, requires, constructor-parameter types — provenance is resolved along imports), so a file that
 * neither changed nor imports a changed file, directly or through others, is analysed the same before and after the
 * update. Update review analyses the head in full, then re-analyses on the base only what lies in the affected files
 * (src/dataflow/reuse.ts keeps the rest). Imports count name by name through barrels (import-graph.ts).
 *
 * Changes the import graph cannot follow give `whole` with the reason: compiler settings, .gitignore, declaration
 * files, global scripts, ambient declarations and a framework's auto-imported files (Nitro's `server/utils/`,
 * workspace/auto-imports.ts) are seen by files that never import them.
 */
/**
 * The files an update reaches, the import graph's module shapes, and `bySelf`: the changed files nothing but their own
 * change reaches (no changed export of another file read, no affected file imported, no dispatch into a changed class).
 */
export type AffectedFiles = { files: ReadonlySet<string>; shapes: ReadonlyMap<string, ModuleShape>; bySelf: ReadonlySet<string> } | { whole: string };

export interface AffectedFilesInputs {
  root: string;
  /** The head's files in scope (the paths, for resolution). */
  head: SourceSet;
  /** The head's files as its scan loaded them, each parsed only if its shape is not among `knownShapes`. */
  headFiles: ReadonlyMap<string, GraphFile>;
  changes: ChangedFiles;
  /** The base revision's texts of some files (those that exist there). */
  baseTexts: (relatives: readonly string[]) => Map<string, string>;
  /**
   * Which of a changed file's exports changed (declaration-hashes.ts); undefined for a file: any may have. Without it,
   * every file that imports a changed file is affected; with it, only those importing a changed export (or the module
   * whole). The files those reach are affected whatever they import: their own exports' types may have changed.
   */
  changedNames?: (relative: string) => ReadonlySet<string> | undefined;
  /** Module shapes an earlier graph over the same file sets found (import-graph.ts `known`). */
  knownShapes?: (relative: string) => ModuleShape | undefined;
  /**
   * Whether a changed file's change left its classes and interfaces as they were, adding or removing none
   * (declaration-hashes.ts `typesKept`); without it, none did. The files whose calls dispatch into such a file's
   * classes run the same bodies, so they are not affected by its change: a body whose analysis changes is redone as
   * the changed file's record, and its callers with it when its summary differs (the cache's cut-off, reuse.ts).
   */
  typesKept?: (relative: string) => boolean;
  /**
   * Of a changed file's changed exports, the classes whose change only added methods, with those methods' names
   * (declaration-hashes.ts `addedMethods`), and the text of a file in the head: a file that reads only such classes
   * of the changed file, or sees them through an importer of them, and names none of the added methods in its text is
   * not affected through them (`addedMethodsOf`).
   */
  addedMethods?: (relative: string) => ReadonlyMap<string, ReadonlySet<string>>;
  text?: (relative: string) => string | undefined;
}

const SOURCE = new Set<string>(SOURCE_EXTENSIONS);
const AUTO_IMPORTED = "is auto-imported by Nitro into the server's files, or decides which files are (visible without an import)";
const PACKAGE_FILES = new Set(["package.json", "package-lock.json", "npm-shrinkwrap.json"]);

export function affectedFiles(inputs: AffectedFilesInputs): AffectedFiles {
  const { root, head, changes } = inputs;
  const changed = new Set<string>();
  const baseVersions: string[] = [];
  const reason = unfollowableChange(changes);
  if (reason !== undefined) return { whole: reason };
  for (const change of changes.values()) {
    for (const file of [change.path, change.basePath]) if (file !== undefined && isSource(file)) changed.add(file);
    const basePath = change.status === "renamed" ? change.basePath : change.status === "added" ? undefined : change.path;
    if (basePath !== undefined && isSource(basePath)) baseVersions.push(basePath);
  }

  // The base's file set differs from the head's by the update's added, deleted and renamed files.
  const baseFiles = new Set(head.inScope);
  for (const change of changes.values()) {
    if (change.status === "added") baseFiles.delete(change.path);
    if (change.status === "deleted") baseFiles.add(change.path);
    if (change.status === "renamed") {
      baseFiles.delete(change.path);
      if (change.basePath !== undefined) baseFiles.add(change.basePath);
    }
  }
  const resolvers = [
    createProjectResolver(root, head.inScope, head.tsconfigs.optionsFor, head.workspacePackages),
    createProjectResolver(root, baseFiles, head.tsconfigs.optionsFor, head.workspacePackages),
  ];
  const baseParsed = new Map<string, ts.SourceFile>();
  for (const [file, text] of inputs.baseTexts(baseVersions)) {
    baseParsed.set(file, parseSource(path.join(root, file), text));
  }
  const graph = buildImportGraph(root, inputs.headFiles, baseParsed, resolvers, inputs.knownShapes);
  for (const file of changed) {
    const why = graph.unfollowable.get(file);
    if (why !== undefined) return { whole: `${file} ${why}` };
  }
  // a framework's auto-imported files are read by files that never import them, and its config decides which those are
  const framework = autoImports(new Set([...head.inScope, ...baseFiles]), (relative) => inputs.headFiles.get(relative)?.sourceFile ?? baseParsed.get(relative));
  for (const file of changed) if (framework.isAutoImported(file)) return { whole: `${file} ${AUTO_IMPORTED}` };

  const { found, reached } = reaching(graph, changed, inputs.changedNames ?? (() => undefined), inputs.typesKept ?? (() => false), addedMethodsOf(inputs));
  return { files: found, shapes: graph.shapes, bySelf: new Set([...changed].filter((file) => !reached.has(file))) };
}

/**
 * The files whose analysis depends on the `seeds` (the seeds included): those reading a changed export of a seed (or a
 * seed whole), those importing such a file, directly or through others, those whose imports pass through a seed that is
 * a barrel, and those whose calls dispatch into any of these (class hierarchy: their code, not their exports' types).
 */
function reaching(
  graph: ImportGraph,
  seeds: ReadonlySet<string>,
  changedNames: (file: string) => ReadonlySet<string> | undefined,
  typesKept: (file: string) => boolean,
  added: AddedMethods = { of: () => undefined, names: () => false },
): { found: Set<string>; reached: Set<string> } {
  const users = new Map<string, string[]>();
  const forwardedTo = new Map<string, string[]>();
  const dispatchers = new Map<string, string[]>();
  for (const [file, deps] of graph.dependencies) {
    for (const dep of deps.uses) push(users, dep, file);
    for (const barrel of deps.forwardedBy) push(forwardedTo, barrel, file);
    for (const sub of deps.dispatch) push(dispatchers, sub, file);
  }
  const found = new Set(seeds);
  // found through a seed (and so a seed that another seed, or itself, reaches besides its own change)
  const reached = new Set<string>();
  const add = (file: string) => {
    found.add(file);
    reached.add(file);
  };
  // files every user of which is affected: reached through a seed's changed exports, a barrel, or another such file
  const whole = new Set<string>();
  const pending: string[] = [];
  // files that see a class only gained methods without naming them, with the methods (carry, below)
  const carried = new Map<string, Set<string>>();
  const reach = (file: string) => {
    add(file);
    if (whole.has(file)) return;
    whole.add(file);
    pending.push(file);
    // a file whose calls dispatch into this one's classes runs its code: affected, but its own declarations are not
    for (const dispatcher of dispatchers.get(file) ?? []) add(dispatcher);
  };
  for (const seed of seeds) {
    for (const importer of forwardedTo.get(seed) ?? []) reach(importer);
    // a seed whose classes the change left as they were (an export added beside them) is dispatched into as before
    if (!typesKept(seed)) for (const dispatcher of dispatchers.get(seed) ?? []) add(dispatcher);
    const changed = changedNames(seed);
    if (changed === undefined) {
      reach(seed);
      continue;
    }
    for (const importer of users.get(seed) ?? []) {
      const read = graph.dependencies.get(importer)?.names.get(seed);
      if (read === undefined || read === "all") reach(importer);
      else {
        const methods = new Set<string>();
        let onlyAdded = true;
        for (const name of read) {
          if (!changed.has(name)) continue;
          const of = added.of(seed, name);
          if (of === undefined) onlyAdded = false;
          else for (const m of of) methods.add(m);
        }
        if (!onlyAdded) reach(importer);
        else if (methods.size > 0) carry(importer, methods);
      }
    }
  }
  // files that may see a class that only gained methods through the types of what they import, without naming any of
  // those methods: not affected; the files importing them may see it too (an exported function typed with the class)
  function carry(file: string, methods: ReadonlySet<string>): void {
    const stack: [string, ReadonlySet<string>][] = [[file, methods]];
    while (stack.length > 0) {
      const [f, ms] = stack.pop()!;
      if (whole.has(f)) continue;
      // another changed file: redone as a file the change reaches (not its own change alone: `bySelf`)
      if (seeds.has(f) || added.names(f, ms)) {
        reach(f);
        continue;
      }
      const seen = carried.get(f) ?? new Set<string>();
      const fresh = [...ms].filter((m) => !seen.has(m));
      if (fresh.length === 0) continue;
      for (const m of fresh) seen.add(m);
      carried.set(f, seen);
      // a class of the file may inherit an added method: a call dispatching into the file's classes is redone
      for (const dispatcher of dispatchers.get(f) ?? []) add(dispatcher);
      for (const importer of users.get(f) ?? []) stack.push([importer, new Set(fresh)]);
      for (const importer of forwardedTo.get(f) ?? []) stack.push([importer, new Set(fresh)]);
    }
  }
  while (pending.length > 0) for (const importer of users.get(pending.pop() as string) ?? []) reach(importer);
  return { found, reached };
}

/** The classes of changed files that only gained methods (declaration-hashes.ts `addedMethods`), and who names them. */
interface AddedMethods {
  /** The methods a changed file's changed export gained, when that is all its change did to it. */
  of(seed: string, name: string): ReadonlySet<string> | undefined;
  /** Whether a file's text names any of these methods (names compared as text). */
  names(file: string, methods: ReadonlySet<string>): boolean;
}

/**
 * An importer that reads of a changed file only classes whose change added methods and nothing else (declaration-hashes.ts
 * `addedMethods`) sees the earlier classes but for those methods, and so does every file that sees them through it (an
 * exported function typed with the class, a class extending it): where the file's text names none of the added methods
 * (a call, a string, `keyof` written out — compared as text, so a local of the same name only makes it redo more), the
 * checker's answers about its nodes are the earlier ones and it is not affected; a file that names one is affected, and
 * every file importing it (as for any affected file). What the added methods and the rest of the changed file now do is
 * the changed file's records' to say: the records taken over wait on them and are analysed again when a summary they
 * took differs (reuse.ts), and a record naming a node of the changed class is stale (the statement is not kept) and is
 * analysed again. A call that dispatches into the class stays affected by its code (`typesKept` is false for the file).
 */
function addedMethodsOf(inputs: AffectedFilesInputs): AddedMethods | undefined {
  const { addedMethods, text } = inputs;
  if (addedMethods === undefined || text === undefined) return undefined;
  const bySeed = new Map<string, ReadonlyMap<string, ReadonlySet<string>>>();
  return {
    of: (seed, name) => {
      let added = bySeed.get(seed);
      if (added === undefined) bySeed.set(seed, (added = addedMethods(seed)));
      return added.get(name);
    },
    names: (file, methods) => {
      const t = text(file);
      return t === undefined || [...methods].some((m) => t.includes(m));
    },
  };
}

/**
 * A change whose reach no import graph can tell, by the changed files' names alone (compiler settings, .gitignore,
 * declaration files): the reason, else undefined. Global scripts and ambient declarations are found in the graph.
 */
export function unfollowableChange(changes: ChangedFiles): string | undefined {
  for (const change of changes.values()) {
    for (const file of [change.path, change.basePath]) {
      const reason = file === undefined ? undefined : wholeProjectReason(file);
      if (reason !== undefined) return reason;
    }
  }
  return undefined;
}

function wholeProjectReason(file: string): string | undefined {
  const name = file.slice(file.lastIndexOf("/") + 1);
  if (name === ".gitignore") return `${file} changed (it decides which files are scanned)`;
  if (name.endsWith(".json") && !PACKAGE_FILES.has(name)) return `${file} changed (compiler and path settings reach every file)`;
  if (isSource(file) && isDeclarationFile(file)) return `${file} changed (declarations are visible without an import)`;
  return undefined;
}

function push(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function isSource(file: string): boolean {
  const dot = file.lastIndexOf(".");
  return dot > 0 && SOURCE.has(file.slice(dot));
}
