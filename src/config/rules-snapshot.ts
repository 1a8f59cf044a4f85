import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { PACKAGE_ROOT, RULES_DIR } from "../package-root.js";
import { once } from "./shipped.js";

/**
 * The shipped packs, models and checks (rules/packs, rules/models, rules/checks), already parsed and validated, written
 * by `npm run build` (write-rules-snapshot.ts) next to the compiled code. Parsing 50 model files with the YAML library costs a cold
 * process about 0.2 s, more than a small project's analysis; the snapshot is plain JSON. Each entry carries the SHA-256
 * of the text it was made from and is used only while the file still has that text, so an edited rule file is read
 * (and validated) from its YAML until the next build.
 */
export const SNAPSHOT_FILE = path.join(PACKAGE_ROOT, "dist", "rules-snapshot.json");

interface Snapshot {
  files: Record<string, { sha256: string; data: unknown }>;
}

const snapshot = once((): Snapshot | undefined => {
  try {
    return JSON.parse(readFileSync(SNAPSHOT_FILE, "utf8")) as Snapshot;
  } catch {
    return undefined; // not built (tests run from src/) or unreadable: the YAML is read instead
  }
});

/** The snapshot's data for a rule file (its absolute path and current text), or undefined when it has none or is stale. */
export function snapshotData(absolute: string, text: string): { data: unknown } | undefined {
  const entry = snapshot()?.files[snapshotKey(absolute)];
  return entry !== undefined && entry.sha256 === sha256(text) ? { data: entry.data } : undefined;
}

/** Writes the snapshot of the given rule files (absolute path → text and its validated data). */
export function writeSnapshot(files: Iterable<[string, { text: string; data: unknown }]>, file = SNAPSHOT_FILE): void {
  const entries: Snapshot["files"] = {};
  for (const [absolute, { text, data }] of files) entries[snapshotKey(absolute)] = { sha256: sha256(text), data };
  writeFileSync(file, JSON.stringify({ files: entries }));
}

function snapshotKey(absolute: string): string {
  return path.relative(RULES_DIR, absolute).split(path.sep).join("/");
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
