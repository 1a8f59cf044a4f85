import { CacheFormatError } from "./graph-codec.js";

/**
 * What a run needs to know of every loaded file to choose the few whose trees it reads: whether other files see it
 * without an import (the narrow checker's global files, workspace/seen-without-import.ts), and the names its classes
 * and interfaces are listed by in the class hierarchy (model/class-hierarchy.ts `heritageNames`). Kept per file in the
 * analysis cache's entry, so a run from the entry reads neither from an unchanged file's tree.
 */
export interface FileOutline {
  readonly global: boolean;
  readonly heritage: readonly string[];
}

/** `[global, heritage]`. */
export type EncodedOutline = [boolean, string[]];

export function encodeOutline(outline: FileOutline): EncodedOutline {
  return [outline.global, [...outline.heritage]];
}

/** The outline again; a CacheFormatError when it is not in this form (the file's tree is then read instead). */
export function decodeOutline(encoded: EncodedOutline): FileOutline {
  if (!Array.isArray(encoded) || encoded.length !== 2) throw new CacheFormatError("a file's outline does not have its two parts");
  const [global, heritage] = encoded;
  if (typeof global !== "boolean" || !Array.isArray(heritage) || !heritage.every((name) => typeof name === "string")) {
    throw new CacheFormatError("a file's outline is malformed");
  }
  return { global, heritage };
}
