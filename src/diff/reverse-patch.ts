import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type parseDiff from "parse-diff";
import picomatch from "picomatch";
import { UsageError } from "../errors.js";
import { DEFAULT_EXCLUDES } from "../workspace/find-files.js";
import type { MaterializedTree } from "./base-tree.js";
import type { ChangedFiles } from "./changed-lines.js";

/**
 * `--diff update.patch`: the scanned directory is the head (the patch applied); the base is rebuilt by taking the
 * patch back out of a copy of it. Each hunk's head lines are checked against the file, so a patch that does not
 * describe the scanned tree is a clear error rather than a silently wrong comparison.
 */
export function materializeBeforePatch(root: string, files: ChangedFiles, patchName: string): MaterializedTree {
  const dir = mkdtempSync(path.join(os.tmpdir(), "flowgate-base-"));
  const dispose = () => rmSync(dir, { recursive: true, force: true });
  try {
    const excluded = picomatch(DEFAULT_EXCLUDES, { dot: true });
    cpSync(root, dir, {
      recursive: true,
      verbatimSymlinks: true,
      filter: (source) => {
        const relative = path.relative(root, source).split(path.sep).join("/");
        return relative === "" || !(excluded(relative) || excluded(`${relative}/x`));
      },
    });
    for (const file of files.values()) {
      const headAbsolute = path.join(dir, ...file.path.split("/"));
      const baseAbsolute = path.join(dir, ...(file.basePath ?? file.path).split("/"));
      if (file.binary) continue; // no text to restore; the scan skips binaries anyway
      if (file.status === "added") {
        rmSync(headAbsolute, { force: true });
        continue;
      }
      const headText = file.status === "deleted" ? "" : readHead(root, file.path, patchName);
      const baseText = baseTextOf(headText, file.chunks, file.path, patchName);
      if (file.status === "renamed") rmSync(headAbsolute, { force: true });
      mkdirSync(path.dirname(baseAbsolute), { recursive: true });
      writeFileSync(baseAbsolute, baseText);
    }
  } catch (err) {
    dispose();
    throw err;
  }
  return { dir, files: files.size, dispose };
}

/**
 * `\\ No newline at end of file` follows the last line of the side that lacks one (parse-diff gives the marker the
 * type of the change before it): after a removed or context line, the base lacks it; after only an added line, the
 * base's last line was replaced and had one. Without a marker, the base ends like the head.
 */
function baseEndsWithNewline(chunks: parseDiff.Chunk[], headEndsWithNewline: boolean): boolean {
  const markers = chunks.flatMap((c) => c.changes).filter((c) => c.content.startsWith("\\"));
  if (markers.some((m) => m.type === "del" || m.type === "normal")) return false;
  if (markers.some((m) => m.type === "add")) return true;
  return headEndsWithNewline;
}

function readHead(root: string, relative: string, patchName: string): string {
  const absolute = path.join(root, ...relative.split("/"));
  if (!existsSync(absolute)) {
    throw new UsageError(`${patchName} changes ${relative}, which is not in the scanned directory: apply the patch first, then scan`);
  }
  return readFileSync(absolute, "utf8");
}

/** The text before the patch: every hunk's head lines replaced by its base lines, after checking they match. */
export function baseTextOf(headText: string, chunks: parseDiff.Chunk[], file: string, patchName: string): string {
  const eol = headText.includes("\r\n") ? "\r\n" : "\n";
  const endsWithNewline = headText.length === 0 || headText.endsWith("\n");
  const head = headText.length === 0 ? [] : headText.replace(/\r?\n$/, "").split(/\r?\n/);
  const out: string[] = [];
  let next = 1; // next head line (1-based) not yet copied
  for (const chunk of chunks) {
    const changes = chunk.changes.filter((c) => !c.content.startsWith("\\"));
    // An empty new range (`+N,0`) sits after line N; otherwise the hunk starts at line N.
    const start = chunk.newLines === 0 ? chunk.newStart + 1 : chunk.newStart;
    while (next < start && next <= head.length) out.push(head[next++ - 1] as string);
    next = Math.max(next, start);
    for (const change of changes) {
      const text = change.content.slice(1);
      if (change.type === "del") {
        out.push(text);
        continue;
      }
      const actual = head[next - 1];
      if (actual !== text) {
        throw new UsageError(
          `${patchName} does not match the scanned ${file} at line ${next} (expected ${JSON.stringify(text)}): scan the tree the patch was applied to`,
        );
      }
      if (change.type === "normal") out.push(text);
      next++;
    }
  }
  while (next <= head.length) out.push(head[next++ - 1] as string);
  return out.length === 0 ? "" : out.join(eol) + (baseEndsWithNewline(chunks, endsWithNewline) ? eol : "");
}
