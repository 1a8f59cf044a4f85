import path from "node:path";
import type { Notification } from "../result.js";
import { findFiles } from "./find-files.js";
import { fileNotification } from "./notifications.js";
import { MAX_NESTING_DEPTH, nestingDepth } from "./nesting.js";
import { MAX_FILE_BYTES, readSource } from "./read-source.js";
import { ownPackageNames, workspacePackages, type WorkspacePackage } from "./own-packages.js";
import { readTsconfigs, type Tsconfigs } from "./tsconfigs.js";

export interface WorkspaceScope {
  include: string[];
  exclude: string[];
}

/** The files in scope, read: what the workspace parses, and what update review builds its import graph from. */
export interface SourceSet {
  tsconfigs: Tsconfigs;
  /** Files the policy's include/exclude select (outside build output), relative, sorted; loaded or not. */
  inScope: string[];
  /** The readable ones' texts, by relative path, in `inScope` order. */
  texts: Map<string, string>;
  /** Names of the project's own packages (own-packages.ts): imports of them are first-party, not libraries. */
  ownPackages: string[];
  /** The packages of the scanned tree, with their folders: imports of them by name resolve there. */
  workspacePackages: WorkspacePackage[];
  /** Why files were not read (too large, binary, unreadable, nesting too deep), and config problems. */
  notifications: Notification[];
}

export interface SourceSetOptions {
  /** Files larger than this many bytes are skipped with a notification (default MAX_FILE_BYTES, 5 MB). */
  maxFileBytes?: number;
}

/** Finds the files in scope and reads them; problems with single files or configs become notifications. */
export async function readSourceSet(root: string, scope: WorkspaceScope, options: SourceSetOptions = {}): Promise<SourceSet> {
  const found = await findFiles(root, scope.include, scope.exclude);
  const tsconfigs = readTsconfigs(root, found.tsconfigs);
  const notifications: Notification[] = [...found.notifications, ...tsconfigs.notifications];
  const inScope = found.files.filter((file) => !tsconfigs.outDirs.some((dir) => file.startsWith(`${dir}/`)));

  const texts = new Map<string, string>();
  for (const relative of inScope) {
    const read = readSource(path.join(root, relative), relative, options.maxFileBytes ?? MAX_FILE_BYTES);
    if (read.notification) notifications.push(read.notification);
    if (!read.ok) continue;
    // nesting deeper than the parser's stack allows: skipped, named, never a crash (docs/hardening.md)
    const depth = nestingDepth(read.text);
    if (depth > MAX_NESTING_DEPTH) {
      notifications.push(tooDeep(relative, `nests brackets ${depth} levels deep, over the limit of ${MAX_NESTING_DEPTH}`));
    } else {
      texts.set(relative, read.text);
    }
  }
  const packages = workspacePackages(root, found.manifests); // each manifest under the root read once
  return { tsconfigs, inScope, texts, ownPackages: ownPackageNames(root, packages), workspacePackages: packages, notifications };
}

export function tooDeep(relative: string, why: string): Notification {
  return fileNotification("nesting-too-deep", "warning", relative, `${why}; not scanned`);
}
