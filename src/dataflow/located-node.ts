import type { ts } from "ts-morph";
import { locationOf, type SourceLocation } from "../location.js";
import { ScannedFile } from "../workspace/scanned-file.js";
import type { FileRef } from "./trace.js";

/**
 * A syntax node of a record taken over from a cache entry, known by where it is and not found in its file's tree: what
 * the report reads of the flows of a record nothing redid (src/dataflow/analyze.ts `buildFlows`) — a sink argument's
 * span, and the location of the source, the sink argument and each step — is its file, position, end, kind and start
 * (the node's first token, after its leading trivia, as `getStart` gives it), which the entry writes with the node
 * (src/cache/graph-codec.ts). So a review's report needs no tree of a file whose records it takes over whole: the
 * location is worked out from the file's text alone (ScannedFile.lineAndCharacter), as the tree would give it. It
 * stands where the engine's flow records hold a node, and only there: nothing but the report and the next entry reads
 * the flows of a record taken over (a redone record's flows are its new analysis's, with nodes).
 */
export class LocatedNode {
  constructor(
    readonly file: FileRef,
    readonly pos: number,
    readonly end: number,
    readonly kind: number,
    /** Where its first token starts (`getStart`): pos ≤ start ≤ end. */
    readonly start: number,
  ) {}
}

/** The node's location in `file` (its file), a {@link LocatedNode}'s from the text, any other's from its tree. */
export function nodeLocation(node: ts.Node | LocatedNode, file: FileRef): SourceLocation {
  if (!(node instanceof LocatedNode)) return locationOf(node, file.sourceFile, file.path);
  const at = (pos: number) => (file instanceof ScannedFile ? file.lineAndCharacter(pos) : file.sourceFile.getLineAndCharacterOfPosition(pos));
  const start = at(node.start);
  const end = at(node.end);
  return { file: file.path, startLine: start.line + 1, startColumn: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1 };
}

/**
 * Whether two trace steps stand at the same node: the same object, or, when one of them or both are located, one place
 * of one file — a summary's step taken over located sits in a trace next to the steps its caller's new analysis adds
 * with nodes, and the node a decoder finds by a place is the one the analysis met there (the outermost of that span and
 * kind, graph-codec.ts `nodeLookup`), so a run without the entry has one object where this has a node and its place.
 */
export function sameNode(a: { readonly node: ts.Node | LocatedNode; readonly file: FileRef }, b: { readonly node: ts.Node | LocatedNode; readonly file: FileRef }): boolean {
  if (a.node === b.node) return true;
  if (!(a.node instanceof LocatedNode) && !(b.node instanceof LocatedNode)) return false;
  return a.node.pos === b.node.pos && a.node.end === b.node.end && a.node.kind === b.node.kind && a.file.path === b.file.path;
}
