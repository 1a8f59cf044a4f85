import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import picomatch from "picomatch";
import { UsageError } from "../errors.js";
import { DEFAULT_EXCLUDES, isSourceFile, SOURCE_EXTENSIONS } from "../workspace/find-files.js";
import { firstLine, runGit, type Repository } from "./git.js";
import type { ChangedFiles } from "./changed-lines.js";
import { splitBatch } from "./revision-objects.js";

/** A revision's files written to a temporary directory, so the unchanged pipeline can scan it like any directory. */
export interface MaterializedTree {
  dir: string;
  files: number;
  dispose(): void;
}

/**
 * Writes the files of `rev` under the scan root's prefix into a fresh temporary directory.
 *
 * Why this way: `git worktree add` would write into the user's repository (administrative files, a lock) and check out
 * everything, binaries included; `git archive` needs tar. Two git processes instead — `ls-tree` for the list and one
 * `cat-file --batch` for all contents — read the object store only, and only the files a scan reads are written:
 * sources, JSON (tsconfig files and what they extend), .gitignore files. Paths under the workspace's default excludes
 * (node_modules, dist, …) are skipped, as the scan would skip them anyway. With `only`, just those source files are
 * written (update review's changed files), besides the JSON and .gitignore files that decide resolution and scope.
 */
export function materializeRevision(repo: Repository, rev: string, only?: ReadonlySet<string>): MaterializedTree {
  const listing = runGit(repo.top, ["ls-tree", "-r", "-z", "--full-tree", rev, ...(repo.prefix ? ["--", repo.prefix] : [])]);
  if (listing.status !== 0) throw new UsageError(`cannot list the files of ${rev}: ${firstLine(listing.stderr)}`);
  const excluded = picomatch(DEFAULT_EXCLUDES, { dot: true });
  const wanted: { oid: string; relative: string }[] = [];
  for (const entry of listing.stdout.toString("utf8").split("\0")) {
    // `<mode> SP <type> SP <oid> TAB <path>`; symbolic links (120000) and submodules (commit) are not followed.
    const match = /^(100644|100755) blob ([0-9a-f]+)\t(.*)$/s.exec(entry);
    if (!match) continue;
    const relative = (match[3] as string).slice(repo.prefix.length);
    if (!isScanInput(relative) || excluded(relative)) continue;
    if (only !== undefined && isSourceFile(relative) && !only.has(relative)) continue;
    wanted.push({ oid: match[2] as string, relative });
  }

  const dir = mkdtempSync(path.join(os.tmpdir(), "flowgate-base-"));
  const dispose = () => rmSync(dir, { recursive: true, force: true });
  try {
    if (wanted.length > 0) {
      const contents = readObjects(repo, wanted.map((w) => w.oid), rev);
      wanted.forEach((file, i) => {
        const absolute = path.join(dir, ...file.relative.split("/"));
        // ls-tree paths never contain `..`, but a scanned repository is untrusted input: stay inside the directory.
        if (!absolute.startsWith(dir + path.sep)) return;
        mkdirSync(path.dirname(absolute), { recursive: true });
        writeFileSync(absolute, contents[i] ?? Buffer.alloc(0));
      });
    }
  } catch (err) {
    dispose();
    throw err;
  }
  return { dir, files: wanted.length, dispose };
}

/**
 * The base versions of the source files an update modified, by path, read from the object store by the ids the diff
 * names — one `git cat-file --batch`, nothing written — when that is all the base needs besides the head's files:
 * every other change is an added source file (absent from the base) or a file no scan reads (documentation, images).
 * Undefined when a change is anything else — a deleted or renamed source file, a changed mode, a changed JSON or
 * .gitignore file (they decide scope and resolution) — and the changed files' tree is written instead.
 */
export function modifiedSourceObjects(changes: ChangedFiles): Map<string, string> | undefined {
  const objects = new Map<string, string>();
  for (const change of changes.values()) {
    if (!isScanInput(change.path) && (change.basePath === undefined || !isScanInput(change.basePath))) continue;
    if (change.status === "added" && isSourceFile(change.path)) continue;
    if (change.status !== "modified" || !isSourceFile(change.path) || change.baseObject === undefined) return undefined;
    objects.set(change.path, change.baseObject);
  }
  return objects;
}

/** The objects' bytes, in order, from one `git cat-file --batch` (empty for an id that names none). */
export function readObjects(repo: Repository, oids: readonly string[], rev: string): Buffer[] {
  if (oids.length === 0) return [];
  const batch = runGit(repo.top, ["cat-file", "--batch"], oids.join("\n") + "\n");
  if (batch.status !== 0) throw new UsageError(`cannot read the files of ${rev}: ${firstLine(batch.stderr)}`);
  // `<oid> missing`: cannot happen for ls-tree's own oids, but keep the order
  return splitBatch(batch.stdout).map((object) => object?.bytes ?? Buffer.alloc(0));
}

const SCAN_INPUT_EXTENSIONS = new Set<string>([...SOURCE_EXTENSIONS, ".json"]);

function isScanInput(relative: string): boolean {
  const base = relative.slice(relative.lastIndexOf("/") + 1);
  if (base === ".gitignore") return true;
  const dot = base.lastIndexOf(".");
  return dot > 0 && SCAN_INPUT_EXTENSIONS.has(base.slice(dot));
}
