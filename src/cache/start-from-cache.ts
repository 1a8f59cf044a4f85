import type { Policy } from "../config/policy.js";
import type { Budgets } from "../dataflow/budgets.js";
import type { AnalysisState, Reuse } from "../dataflow/reuse.js";
import { affectedFiles } from "../diff/affected-files.js";
import type { ChangedFile, ChangedFiles } from "../diff/changed-lines.js";
import type { Notification } from "../result.js";
import type { SourceSet } from "../workspace/source-set.js";
import type { ScannedFile, Workspace } from "../workspace/workspace.js";
import { AnalysisCache, type CacheOptions } from "./analysis-cache.js";
import { cacheKey, importsKey, type TextHashes } from "./cache-key.js";
import { decodeShape, encodeShape } from "./shape-codec.js";
import { CacheFormatError } from "./graph-codec.js";
import { createProjectResolver } from "../workspace/module-resolution.js";
import { moduleShapes, type ModuleShape } from "../workspace/import-graph.js";
import type { EntryReads } from "./entry-reads.js";
import type { EntryShapes } from "../workspace/narrow-checker.js";
import { addedMethods, changedNames, declarationHashes, typesKept } from "../workspace/declaration-hashes.js";
import type { FileMemberFacts } from "../model/member-facts.js";
import { decodeMemberFacts, encodeMemberFacts } from "./member-facts-codec.js";
import type { BackReferenceFacts } from "../dataflow/back-references.js";
import { decodeBackReferenceFacts, encodeBackReferenceFacts } from "./back-reference-facts-codec.js";
import { decodeOutline, encodeOutline, type FileOutline } from "./outline-codec.js";

/** What one scan does with the cache: where its analysis starts, and how its result is kept afterwards. */
export interface CacheUse {
  /** The entry's state and what the files changed since then can reach; undefined: analyse everything. */
  reuse?: Reuse;
  notes: Notification[];
  /** A file's part of the member index as the entry has it, when the file is unchanged since (model/member-facts.ts). */
  memberFacts?: (file: ScannedFile) => FileMemberFacts | undefined;
  /** A scanned file's facts for the back-references as the entry has them, when the file is unchanged since. */
  backReferenceFacts?: (file: ScannedFile) => BackReferenceFacts | undefined;
  /** A loaded file's outline as the entry has it, when the file is unchanged since. */
  outline?: (file: ScannedFile) => FileOutline | undefined;
  /**
   * The entry's module shapes: a scanned file's when the file is unchanged since (what it exports, by name), and whether
   * their resolutions were found over this tree's file set (import-graph.ts).
   */
  shapes?: EntryShapes;
  /**
   * Writes the finished analysis as this tree's entry (not when `complete` is false: an internal error hid some), with
   * every loaded file's part of the member index and outline and every scanned file's facts for the back-references
   * (`facts`: the run's, which work out what the entry it started from did not hold).
   */
  save(state: AnalysisState, complete: boolean, facts: FileFacts): Notification[];
}

/** What an entry keeps per file besides the analysis: how the run found it, for the files the entry did not hold. */
export interface FileFacts {
  members(file: ScannedFile): FileMemberFacts;
  references(file: ScannedFile): BackReferenceFacts;
  global(file: ScannedFile): boolean;
  heritage(file: ScannedFile): readonly string[];
}

/**
 * Looks up the entry for this workspace. When its tree is this one, every record is taken over (reuse.ts) and nothing
 * is analysed; when files changed since, they are widened to the files that import them (affected-files.ts, the same
 * import graph update review uses) and those are analysed again, with everything that used what they redo.
 */
export function startFromCache(
  options: CacheOptions,
  workspace: Workspace,
  policy: Policy,
  budgets: Budgets,
  sources: SourceSet,
  exactOnly = false,
  reads?: EntryReads,
  hashes?: TextHashes,
): CacheUse {
  const cache = new AnalysisCache(options, reads);
  const key = cacheKey({ workspace, policy, budgets, tsconfigs: sources.tsconfigs, ...(hashes ? { hashes } : {}) });
  const byPath = new Map(workspace.files.map((f) => [f.path, f]));
  // the scanned files by path, each parsed only when the import graph reads its tree (a file without a known shape)
  const files = () => new Map(workspace.files.map((f) => [f.path, f]));
  const imports = importsKey(workspace.root, sources);
  // this tree's module shapes, when the reach below built its import graph over this file set alone
  let shapes: ReadonlyMap<string, ModuleShape> | undefined;
  const save: CacheUse["save"] = (state, complete, facts) => {
    if (!complete) return [];
    const note = cache.save(
      key,
      state,
      (file) => (byPath.get(file.path) === file ? file.path : undefined),
      () => Object.fromEntries(workspace.files.map((f) => [f.path, declarationHashes(f.sourceFile)])),
      () => {
        const resolver = createProjectResolver(workspace.root, sources.inScope, sources.tsconfigs.optionsFor, sources.workspacePackages);
        const all = shapes ?? moduleShapes(workspace.root, files(), [resolver]);
        return { key: imports, shapes: Object.fromEntries([...all].map(([p, shape]) => [p, encodeShape(shape)])) };
      },
      // every loaded file by its path, declaration files too (as the key names them)
      () => Object.fromEntries(workspace.loaded.map((file) => [file.path, encodeMemberFacts(facts.members(file))])),
      () => Object.fromEntries(workspace.files.map((file) => [file.path, encodeBackReferenceFacts(facts.references(file))])),
      () => Object.fromEntries(workspace.loaded.map((file) => [file.path, encodeOutline({ global: facts.global(file), heritage: facts.heritage(file) })])),
    );
    return note ? [note] : [];
  };
  const loaded = cache.load(key, (p) => byPath.get(p), exactOnly);
  const notes = loaded.note ? [loaded.note] : [];
  const hit = loaded.hit;
  if (!hit) return { notes, save };
  // the member facts of the files the entry was computed from hold whether or not its analysis is taken over
  const memberFacts = (file: ScannedFile) => decodedOrNone(hit.memberFacts(file.path), decodeMemberFacts);
  const backReferenceFacts = (file: ScannedFile) => decodedOrNone(hit.backReferenceFacts(file.path), decodeBackReferenceFacts);
  const outline = (file: ScannedFile) => decodedOrNone(hit.outline(file.path), decodeOutline);
  const entryShapes: EntryShapes = { of: (file) => decodedOrNone(hit.shape(file.path), decodeShape), resolvedHere: hit.imports.key === imports };
  const known = { memberFacts, backReferenceFacts, outline, shapes: entryShapes };
  if (exactOnly && hit.changed.length > 0) return { notes, ...known, save };
  // the newest entry of the environment may be another project's (same policy and settings): worth starting from only
  // when most files are the same
  if (hit.changed.length * 2 > workspace.files.length) return { notes, ...known, save };
  if (hit.changed.length === 0) {
    return { reuse: { prior: hit.state, affectedFiles: new Set(), cutOff: true, sameTree: true, owned: true }, notes: [...notes, hit.note], ...known, save };
  }
  const changes: ChangedFiles = new Map();
  for (const c of hit.changed) changes.set(c.path, changedFile(c.path, c.status));
  // the entry holds no texts: the import graph is the new tree's, each import resolved against both file sets
  // and a file whose changed exports no other file imports reaches no other file (declaration-hashes.ts)
  const modified = new Set(hit.changed.filter((c) => c.status === "modified").map((c) => c.path));
  const changedExports = (p: string) => {
    const file = modified.has(p) ? byPath.get(p) : undefined;
    return file ? changedNames(hit.declarations[p], file.sourceFile) : undefined;
  };
  // the entry's module shapes of the files that did not change, when the file set (and so every resolution) is the same
  const sameFiles = hit.imports.key === imports && hit.changed.every((c) => c.status === "modified");
  const knownShapes = (p: string) => decodedOrNone(sameFiles && !modified.has(p) ? hit.imports.shapes[p] : undefined, decodeShape);
  const affected = affectedFiles({
    root: workspace.root,
    head: sources,
    headFiles: files(),
    changes,
    baseTexts: () => new Map(),
    changedNames: changedExports,
    knownShapes,
    typesKept: (p) => {
      const file = modified.has(p) ? byPath.get(p) : undefined;
      return file !== undefined && typesKept(hit.declarations[p], file.sourceFile);
    },
    addedMethods: (p) => {
      const file = modified.has(p) ? byPath.get(p) : undefined;
      return file !== undefined ? addedMethods(hit.declarations[p], file.sourceFile) : new Map();
    },
    text: (p) => byPath.get(p)?.text,
  });
  // with added or deleted files the graph resolved against both file sets: not this tree's alone
  if ("files" in affected && hit.changed.every((c) => c.status === "modified")) shapes = affected.shapes;
  if ("whole" in affected) {
    return {
      notes: [...notes, { id: "analysis-cache", level: "note", message: `The cache entry was not used: ${affected.whole}.` }],
      ...known,
      save,
    };
  }
  // a changed file that only its own change reaches keeps the records of the statements its change kept whole
  return { reuse: { prior: hit.state, affectedFiles: affected.files, keptWhole: affected.bySelf, cutOff: true, owned: true }, notes: [...notes, hit.note], ...known, save };
}

/**
 * A per-file part of the entry (a module shape, member facts) decoded; undefined when the entry does not hold it, or
 * not in its form: it is then found again from the file, like a part the entry does not hold at all.
 */
function decodedOrNone<E, T>(encoded: E | undefined, decode: (encoded: E) => T): T | undefined {
  if (encoded === undefined) return undefined;
  try {
    return decode(encoded);
  } catch (error) {
    if (error instanceof CacheFormatError) return undefined;
    throw error;
  }
}

function changedFile(path: string, status: ChangedFile["status"]): ChangedFile {
  return { path, status, addedLines: new Set(), editedLines: new Set(), removedLines: new Set(), binary: false, chunks: [] };
}
