import parseDiff from "parse-diff";
import { editedLines } from "./edited-lines.js";

/** One file of an update, by its path in the head revision (relative to the scan root). */
export interface ChangedFile {
  /** Path in the head revision; for a deleted file, its path in the base. */
  path: string;
  /** Path in the base revision when it differs (renames, copies); undefined for added files. */
  basePath?: string;
  status: "added" | "modified" | "renamed" | "deleted";
  /** Head line numbers (1-based) that the update added or modified. */
  addedLines: Set<number>;
  /**
   * The added or modified head lines whose code the update edited, token by token (edited-lines.ts): without the
   * lines a formatter only re-indented, re-wrapped or re-quoted, or that hold code moved unchanged.
   */
  editedLines: Set<number>;
  /** Base line numbers (1-based) that the update removed or modified. */
  removedLines: Set<number>;
  /** Git reported a binary change: no lines to compare. */
  binary: boolean;
  /** The hunks, for reconstructing the base text from the head (see reverse-patch.ts). */
  chunks: parseDiff.Chunk[];
  /**
   * For a file modified in place that is a regular file on both sides (no mode change): the base version's object id,
   * when the diff names it in full (`git diff --full-index`), so its bytes can be read from the object store.
   */
  baseObject?: string;
}

/** The files an update changes, by head path. */
export type ChangedFiles = Map<string, ChangedFile>;

/**
 * Parses a unified diff (`git diff` output or a patch file) with parse-diff. Paths are taken relative to `prefix` (the
 * scan root inside the repository, "" for the top level): files outside it are left out. Handles renames (`diff --git
 * a/old b/new` with no hunks), additions, deletions, mode-only changes and binary files.
 */
export function parseChangedFiles(diffText: string, prefix = ""): ChangedFiles {
  const files: ChangedFiles = new Map();
  for (const file of parseDiff(diffText)) {
    const from = cleanPath(file.from);
    const to = cleanPath(file.to);
    const deleted = file.deleted === true || (to === undefined && from !== undefined);
    const added = file.new === true || (from === undefined && to !== undefined);
    const headPath = deleted ? from : to;
    if (headPath === undefined) continue;
    const relative = underPrefix(headPath, prefix);
    if (relative === undefined) continue;
    const baseRelative = from !== undefined ? underPrefix(from, prefix) : undefined;

    const addedLines = new Set<number>();
    const removedLines = new Set<number>();
    for (const chunk of file.chunks) {
      for (const change of chunk.changes) {
        if (change.type === "add") addedLines.add(change.ln);
        else if (change.type === "del") removedLines.add(change.ln);
      }
    }
    const status: ChangedFile["status"] = deleted ? "deleted" : added ? "added" : from !== to ? "renamed" : "modified";
    files.set(relative, {
      path: relative,
      ...(status === "renamed" && baseRelative !== undefined ? { basePath: baseRelative } : {}),
      status,
      addedLines,
      editedLines: editedLines(file.chunks),
      removedLines,
      binary: file.chunks.length === 0 && isBinaryIn(diffText, headPath),
      chunks: file.chunks,
      ...(status === "modified" ? regularBaseObject(file) : {}),
    });
  }
  return files;
}

/** Whether a location's lines touch code the update edited in that file (not only reformatted or moved). */
export function touchesChange(files: ChangedFiles, file: string, startLine: number, endLine: number): boolean {
  const changed = files.get(file);
  if (!changed || changed.status === "deleted") return false;
  if (changed.status === "added") return true;
  for (let line = startLine; line <= endLine; line++) if (changed.editedLines.has(line)) return true;
  return false;
}

/**
 * `index <base>..<head> <mode>`: the mode is written only when it did not change (else `old mode`/`new mode` lines);
 * a regular file is 100644 or 100755 (a symbolic link is 120000, a submodule 160000). Abbreviated ids are not kept.
 */
function regularBaseObject(file: parseDiff.File): { baseObject?: string } {
  const [ids, mode] = file.index ?? [];
  const base = ids?.split("..")[0];
  if (base === undefined || (mode !== "100644" && mode !== "100755")) return {};
  return /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/.test(base) && !/^0+$/.test(base) ? { baseObject: base } : {};
}

/** `/dev/null` means "no such side"; parse-diff has already taken off the `a/` and `b/` prefixes. */
function cleanPath(p: string | undefined): string | undefined {
  if (p === undefined || p === "/dev/null" || p.length === 0) return undefined;
  return p;
}

function underPrefix(p: string, prefix: string): string | undefined {
  if (prefix === "") return p;
  return p.startsWith(prefix) ? p.slice(prefix.length) : undefined;
}

/** git writes `Binary files a/x and b/x differ` (or `/dev/null and b/x`) for binary changes. */
function isBinaryIn(diffText: string, headPath: string): boolean {
  return diffText.split("\n").some((line) => line.startsWith("Binary files ") && line.includes(headPath) && line.endsWith(" differ"));
}
