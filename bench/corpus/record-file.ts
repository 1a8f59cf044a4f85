import { existsSync, readFileSync, writeFileSync } from "node:fs";

/**
 * A JSON file of one record per corpus entry, next to the checkouts (extracted.json, deps.json): each command that
 * does something to an entry's folder writes down what, and later commands read it to say what they measured.
 */
export function readRecordFile<T>(file: string): Record<string, T> {
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Record<string, T>) : {};
}

/** Sets one entry's record, keeping the others'. */
export function writeRecord<T>(file: string, name: string, record: T): void {
  writeFileSync(file, JSON.stringify({ ...readRecordFile<T>(file), [name]: record }, null, 2) + "\n");
}
