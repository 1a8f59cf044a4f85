import type { ts } from "ts-morph";
import { scannedFileOf } from "../workspace/scanned-file.js";
import type { FileRef } from "./trace.js";

/**
 * The files of one analysis, found from a node by the file its tree is the parse of (scanned-file.ts): knowing which
 * files are the analysis's reads none of their trees, so a file nothing in the analysis reaches is never parsed.
 */
export class EngineFiles {
  private readonly members = new Set<FileRef>();

  add(file: FileRef): void {
    this.members.add(file);
  }

  /** The analysis's file whose parse `sf` is; undefined for any other tree (a lib file, a dependency's). */
  get(sf: ts.SourceFile): FileRef | undefined {
    const file = scannedFileOf(sf);
    return file !== undefined && this.members.has(file) ? file : undefined;
  }

  has(sf: ts.SourceFile): boolean {
    return this.get(sf) !== undefined;
  }

  /** Whether `file` (an earlier analysis's or a cache entry's) is one of this analysis's: the same loaded file. */
  holds(file: FileRef): boolean {
    return this.members.has(file);
  }
}
