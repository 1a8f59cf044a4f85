import path from "node:path";
import type { InstallRecipe } from "./install-recipe.js";
import { readRecordFile, writeRecord } from "./record-file.js";

/**
 * DEPS/deps.json, written by `npm run corpus:deps`: how each copy's dependencies were installed and whether the
 * install finished. `npm run corpus -- --dir DEPS` reads it to name the install its "with deps" tsc ran against, and to
 * leave out an entry whose install failed (a half-installed node_modules would be a yardstick of nothing).
 */
export interface DepsRecord {
  commit: string;
  recipe: InstallRecipe;
  status: "ok" | "failed";
  seconds: number;
  /** Bytes on disk of the copy's node_modules folders (hard links counted once). */
  nodeModulesBytes?: number;
}

const RECORD = "deps.json";

export function readDepsRecords(dir: string): Record<string, DepsRecord> {
  return readRecordFile<DepsRecord>(path.join(dir, RECORD));
}

export function writeDepsRecord(dir: string, name: string, record: DepsRecord): void {
  writeRecord(path.join(dir, RECORD), name, record);
}

/** The install in one line, as the corpus report names it: `pnpm@10.33.4 install --frozen-lockfile …`. */
export function describeInstall(recipe: InstallRecipe): string {
  return `${recipe.manager}@${recipe.version} ${recipe.args.join(" ")}${recipe.dir ? ` (in ${recipe.dir})` : ""}${recipe.node ? ` on Node ${recipe.node}` : ""}`;
}
