import path from "node:path";
import { readRecordFile, writeRecord } from "./record-file.js";

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
  return readRecordFile<ExtractedRecord>(path.join(dir, RECORD));
}

export function recordExtracted(dir: string, name: string, record: ExtractedRecord): void {
  writeRecord(path.join(dir, RECORD), name, record);
}
