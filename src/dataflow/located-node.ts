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

/** Whether two trace steps' nodes are the same node: the same object, or two located nodes of one place. */
export function sameNode(a: ts.Node | LocatedNode, b: ts.Node | LocatedNode): boolean {
  if (a === b) return true;
  return a instanceof LocatedNode && b instanceof LocatedNode && a.file === b.file && a.pos === b.pos && a.end === b.end && a.kind === b.kind;
}
