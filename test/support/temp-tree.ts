import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/** A file tree for a test: relative path → contents (string as UTF-8, or raw bytes). */
export type Tree = Record<string, string | Uint8Array>;

/** Writes the tree into a fresh temporary directory and returns its path; `removeTree` deletes it. */
export function writeTree(tree: Tree, prefix = "flowgate-test-"): string {
  const root = mkdtempSync(path.join(os.tmpdir(), prefix));
  for (const [relative, contents] of Object.entries(tree)) {
    const absolute = path.join(root, relative);
    mkdirSync(path.dirname(absolute), { recursive: true });
    writeFileSync(absolute, contents);
  }
  return root;
}

export function removeTree(root: string): void {
  rmSync(root, { recursive: true, force: true });
}
