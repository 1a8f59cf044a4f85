import type { BackReferenceFacts } from "../dataflow/back-references.js";
import { CacheFormatError } from "./graph-codec.js";

/**
 * A file's facts for the back-references (dataflow/back-references.ts) as JSON, for the analysis cache: a later run takes
 * the unchanged files' facts from the entry instead of walking every file again, and reads no tree when no file has an
 * owner. `[assigned, owners, declared]`: assigned is `[name, parents]` per member name the file assigns.
 */
export type EncodedBackReferenceFacts = [[string, string[]][], string[], string[]];

export function encodeBackReferenceFacts(facts: BackReferenceFacts): EncodedBackReferenceFacts {
  return [[...facts.assigned].map(([name, parents]) => [name, [...parents]]), [...facts.owners], [...facts.declared]];
}

/** The facts again; a CacheFormatError when they are not in this form (the file is then walked instead). */
export function decodeBackReferenceFacts(encoded: EncodedBackReferenceFacts): BackReferenceFacts {
  if (!Array.isArray(encoded) || encoded.length !== 3) throw new CacheFormatError("a file's back-reference facts do not have their three parts");
  const [assigned, owners, declared] = encoded;
  if (!Array.isArray(assigned) || !strings(owners) || !strings(declared)) throw new CacheFormatError("a file's back-reference facts are malformed");
  const byName = new Map<string, string[]>();
  for (const entry of assigned) {
    if (!Array.isArray(entry) || entry.length !== 2 || typeof entry[0] !== "string" || !strings(entry[1])) {
      throw new CacheFormatError("an assigned member of a file's back-reference facts is malformed");
    }
    byName.set(entry[0], entry[1]);
  }
  return { assigned: byName, owners, declared };
}

function strings(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === "string");
}
