import path from "node:path";
import type { Notification } from "../result.js";
import type { LibraryModel } from "../config/policy.js";
import { modelledPackages } from "../model/packages.js";
import { compareStrings, findFiles } from "./find-files.js";
import { fileNotification } from "./notifications.js";
import { MAX_NESTING_DEPTH, nestingDepth } from "./nesting.js";
import { MAX_FILE_BYTES, readSource, sourceFromBytes, type ReadSource } from "./read-source.js";
import { importedFiles, importedNotifications, type ImportTargets } from "./imported-files.js";
import { ownPackageNames, workspacePackages, type WorkspacePackage } from "./own-packages.js";
import { packagesOutsideRoot } from "./packages-outside-root.js";
import { readTsconfigs, type Tsconfigs } from "./tsconfigs.js";
import type { JsDocReaders } from "./jsdoc-tags.js";
import type { ParseVerdicts } from "./parse-verdicts.js";

export interface WorkspaceScope extends JsDocReaders {
  include: string[];
  exclude: string[];
  /** The policy's library models: a package of the tree one of them describes stays a library (imported-files.ts). */
  models?: readonly LibraryModel[];
}

/** The files in scope, read: what the workspace parses, and what update review builds its import graph from. */
export interface SourceSet {
  tsconfigs: Tsconfigs;
  /**
   * Files the policy's include/exclude select (outside build output), and those outside the include that they import
   * (`imported`), relative, sorted; loaded or not.
   */
  inScope: string[];
  /** The files of `inScope` that are there only because scanned code imports them (imported-files.ts), sorted. */
  imported: string[];
  /** Files the include leaves out but nothing excludes (outside build output): candidates for `imported`, sorted. */
  outside: string[];
  /** The readable ones' texts, by relative path, in `inScope` order. */
  texts: Map<string, string>;
  /** Names of the project's own packages (own-packages.ts): imports of them are first-party, not libraries. */
  ownPackages: string[];
  /** The packages of the scanned tree, with their folders: imports of them by name resolve there. */
  workspacePackages: WorkspacePackage[];
  /** Why files were not read (too large, binary, unreadable, nesting too deep), and config problems. */
  notifications: Notification[];
  /** Earlier runs' parse verdicts on these texts (the imported files' memo), which the loader uses and adds to. */
  parses?: ParseVerdicts;
}

export interface SourceSetOptions {
  /** Files larger than this many bytes are skipped with a notification (default MAX_FILE_BYTES, 5 MB). */
  maxFileBytes?: number;
  /**
   * Files to read as if the include selected them (update review: the head's imported files, when the base is read
   * from a tree of only the changed files, whose imports cannot be followed there).
   */
  alsoInclude?: readonly string[];
  /** The imported files' memo of earlier runs (cache/imports-memo.ts), with the analysis cache. */
  importsMemo?: ImportsMemoUse;
  /** Told how much was read, before anything is parsed (ScanOptions.onSourcesRead). */
  onRead?: (read: SourcesRead) => void;
}

/** How much a source set holds: files read, and their texts' length in characters. */
export interface SourcesRead {
  files: number;
  characters: number;
  /** Of the files, those whose text an earlier run of this build read (the imported files' memo judged it). */
  known?: number;
}

/** What resolving imports depends on besides the files' texts (cache-key.ts `importsKey`). */
export type ResolutionInputs = Pick<SourceSet, "inScope" | "tsconfigs" | "workspacePackages">;

/**
 * A memo of the imported-files pass: its answers for one pass over some files; then the loader's parse verdicts on them,
 * and written back once the files are loaded (`keep`).
 */
export interface ImportsMemoUse extends ParseVerdicts {
  under(root: string, files: ResolutionInputs): ImportTargets;
  /** Notes about the memo, once the pass is done (one ignored). */
  finish(): Notification[];
}

/** Finds the files in scope and reads them; problems with single files or configs become notifications. */
export async function readSourceSet(root: string, scope: WorkspaceScope, options: SourceSetOptions = {}): Promise<SourceSet> {
  const found = await findFiles(root, scope.include, scope.exclude);
  const packages = workspacePackages(root, found.manifests); // each manifest under the root read once
  const tsconfigs = readTsconfigs(root, found.tsconfigs, packages);
  const notBuilt = (file: string) => !tsconfigs.outDirs.some((dir) => file.startsWith(`${dir}/`));
  const maxBytes = options.maxFileBytes ?? MAX_FILE_BYTES;
  const sources = selectSources({
    root,
    scope,
    selected: found.files.filter(notBuilt),
    outside: found.outside.filter(notBuilt),
    tsconfigs,
    packages,
    notifications: [...found.notifications, ...tsconfigs.notifications],
    readFile: (relative) => readSource(path.join(root, relative), relative, maxBytes),
    alsoInclude: options.alsoInclude ?? [],
    ...(options.importsMemo ? { importsMemo: options.importsMemo } : {}),
  });
  tellRead(sources, options);
  return sources;
}

/**
 * Tells `options.onRead` how much a source set holds, as readSourceSet does once it has read it (update review reads
 * the head's files before it knows the trusted policy, and tells them when the policy's scope turns out the same).
 */
export function tellRead(sources: SourceSet, options: Pick<SourceSetOptions, "onRead" | "importsMemo">): void {
  if (!options.onRead) return;
  let characters = 0;
  let known = 0;
  for (const [relative, text] of sources.texts) {
    characters += text.length;
    if (options.importsMemo?.judged(relative, text)) known++;
  }
  options.onRead({ files: sources.texts.size, characters, ...(options.importsMemo ? { known } : {}) });
}

/**
 * The base's versions of source files an update modified or added, given as bytes (read from git's object store), as
 * readSourceSet would read them from a tree of only those files: each is selected, or a candidate for the imported
 * files, exactly when the head's listing has its path so — which holds because the caller passes files whose path the
 * update did not change, and only when the update changed no file that decides scope or resolution (tsconfig and
 * package.json files, .gitignore). The head's imported files are read as if included (`alsoInclude`), as for such a
 * tree.
 */
export function sourceSetOfChanged(root: string, scope: WorkspaceScope, head: SourceSet, bytes: ReadonlyMap<string, Buffer>, maxFileBytes = MAX_FILE_BYTES): SourceSet {
  const imported = new Set(head.imported);
  const selected = new Set(head.inScope.filter((file) => !imported.has(file)));
  const outside = new Set(head.outside);
  const files = [...bytes.keys()].sort(compareStrings);
  return selectSources({
    root,
    scope,
    selected: files.filter((file) => selected.has(file)),
    outside: files.filter((file) => outside.has(file)),
    tsconfigs: head.tsconfigs,
    packages: head.workspacePackages,
    notifications: [],
    readFile: (relative) => sourceFromBytes(bytes.get(relative) ?? Buffer.alloc(0), relative, maxFileBytes),
    alsoInclude: head.imported,
  });
}

/** What selectSources reads: the listing's verdicts, the compiler settings and packages, and how a file is read. */
interface Listing {
  root: string;
  scope: WorkspaceScope;
  /** Files the include selects (outside build output), sorted. */
  selected: readonly string[];
  /** Files outside the include that may be imported (imported-files.ts), sorted. */
  outside: readonly string[];
  tsconfigs: Tsconfigs;
  packages: WorkspacePackage[];
  notifications: Notification[];
  readFile(relative: string): ReadSource;
  alsoInclude: readonly string[];
  importsMemo?: ImportsMemoUse;
}

/** Reads the selected files, and those outside the include that they import. */
function selectSources(listing: Listing): SourceSet {
  const { root, scope, tsconfigs, packages } = listing;
  const notifications = [...listing.notifications];
  const also = new Set(listing.alsoInclude);
  const read = (relative: string): string | undefined => {
    const result = listing.readFile(relative);
    if (result.notification) notifications.push(result.notification);
    if (!result.ok) return undefined;
    // nesting deeper than the parser's stack allows: skipped, named, never a crash (docs/hardening.md); a text an
    // earlier run judged was counted then (parse-verdicts.ts)
    if (listing.importsMemo?.judged(relative, result.text)) return result.text;
    const depth = nestingDepth(result.text);
    if (depth > MAX_NESTING_DEPTH) {
      notifications.push(tooDeep(relative, `nests brackets ${depth} levels deep, over the limit of ${MAX_NESTING_DEPTH}`));
      return undefined;
    }
    return result.text;
  };
  const texts = new Map<string, string>();
  const asked = new Map<string, string>();
  for (const relative of listing.selected) {
    const text = read(relative);
    if (text !== undefined) texts.set(relative, text);
  }
  for (const relative of listing.outside.filter((file) => also.has(file))) {
    const text = read(relative);
    if (text !== undefined) asked.set(relative, text);
  }
  const candidates = listing.outside.filter((file) => !asked.has(file));
  const scanned = new Map([...texts, ...asked]);
  // the resolver's file set: the readable files and the candidates
  const memo = listing.importsMemo?.under(root, { inScope: [...scanned.keys(), ...candidates], tsconfigs, workspacePackages: packages });
  const libraries = modelledPackages(scope.models ?? []);
  const imports = importedFiles(root, scanned, candidates, tsconfigs.optionsFor, packages, libraries, read, memo);
  if (listing.importsMemo) notifications.push(...listing.importsMemo.finish());
  const imported = [...asked.keys(), ...imports.keys()].sort(compareStrings);
  for (const [relative, text] of [...asked, ...imports]) texts.set(relative, text);
  notifications.push(...importedNotifications(imported, packages));
  const inScope = [...listing.selected, ...imported].sort(compareStrings);
  const sorted = new Map([...texts].sort(([a], [b]) => compareStrings(a, b)));
  const ownPackages = ownPackageNames(root, packages);
  notifications.push(...packagesOutsideRoot(sorted, ownPackages, packages, libraries));
  return {
    tsconfigs,
    inScope,
    imported,
    outside: [...listing.outside],
    texts: sorted,
    ownPackages,
    workspacePackages: packages,
    notifications,
    ...(listing.importsMemo ? { parses: listing.importsMemo } : {}),
  };
}

export function tooDeep(relative: string, why: string): Notification {
  return fileNotification("nesting-too-deep", "warning", relative, `${why}; not scanned`);
}
