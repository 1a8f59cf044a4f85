import type { ModuleShape } from "../workspace/import-graph.js";
import { CacheFormatError } from "./graph-codec.js";

/**
 * A file's module shape (import-graph.ts) as JSON, for the analysis cache: a later scan over the same file set takes
 * the unchanged files' shapes from the entry instead of resolving every import of the project again.
 * `[whole, named, own, forwarded, stars, commonJs, heritage, unfollowable]`, a reference being `[files, name]`.
 */
export type EncodedShape = [string[], Reference[], string[], [string, Reference[]][], string[][], boolean, Reference[], string | null];
type Reference = [string[], string];

export function encodeShape(shape: ModuleShape): EncodedShape {
  const reference = (r: { files: string[]; name: string }): Reference => [r.files, r.name];
  return [
    shape.whole,
    shape.named.map(reference),
    [...shape.own],
    [...shape.forwarded].map(([name, from]) => [name, from.map(reference)]),
    shape.stars,
    shape.commonJs,
    shape.heritage.map(reference),
    shape.unfollowable ?? null,
  ];
}

export function decodeShape(encoded: EncodedShape): ModuleShape {
  if (!Array.isArray(encoded) || encoded.length !== 8) throw new CacheFormatError("a module shape does not have its eight parts");
  const [whole, named, own, forwarded, stars, commonJs, heritage, unfollowable] = encoded;
  const reference = (r: Reference) => {
    if (!Array.isArray(r) || !Array.isArray(r[0]) || typeof r[1] !== "string") throw new CacheFormatError("a module shape's reference is malformed");
    return { files: r[0], name: r[1] };
  };
  if (![whole, named, own, forwarded, stars, heritage].every(Array.isArray) || typeof commonJs !== "boolean") {
    throw new CacheFormatError("a module shape's parts are malformed");
  }
  return {
    whole,
    named: named.map(reference),
    own: new Set(own),
    forwarded: new Map(forwarded.map(([name, from]) => [name, from.map(reference)])),
    stars,
    commonJs,
    heritage: heritage.map(reference),
    ...(typeof unfollowable === "string" ? { unfollowable } : {}),
  };
}
