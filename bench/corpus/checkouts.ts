import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * DIR/extracted.json, written by `npm run corpus:extract`: which commit each checkout folder DIR/<name> holds and
 * which files the snapshot lacked. `npm run corpus` reads it to say what it measured.
 */
export interface ExtractedRecord {
  repository: string;
  commit: string;
  files: number;
  leftOut: string[];
}

const RECORD = "extracted.json";

export function readExtracted(dir: string): Record<string, ExtractedRecord> {
  const file = path.join(dir, RECORD);
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Record<string, ExtractedRecord>) : {};
}

export function recordExtracted(dir: string, name: string, record: ExtractedRecord): void {
  writeFileSync(path.join(dir, RECORD), JSON.stringify({ ...readExtracted(dir), [name]: record }, null, 2) + "\n");
}
