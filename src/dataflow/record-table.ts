import type { ts } from "ts-morph";
import { Kind } from "../compiler-direct.js";
import { scannedFileOf } from "../workspace/scanned-file.js";
import type { FunctionRecord } from "./context.js";
import type { FileRef } from "./trace.js";

/**
 * Where a record's function is in its file, when its node has not been found yet: a record taken over from a cache
 * entry (src/cache/state-codec.ts) is known by the span and kind its node was written with, and finding that node
 * needs the file's tree — which a run that takes the record over whole (nothing of its file redone) has no other use
 * for (docs/update-review.md). A file's top level (kind SourceFile) is the whole file, whatever span is given.
 */
export interface NodePlace {
  readonly pos: number;
  readonly end: number;
  readonly kind: number;
}

/** The records whose node is not found yet: where it is, and how to find it. */
const deferred = new WeakMap<FunctionRecord, { place: NodePlace; find: () => ts.Node | undefined }>();

/**
 * The record (its `node` undefined until found) with its node found by `find` when {@link nodeOf} first asks, or taken
 * from the engine when it meets the function ({@link RecordTable}); `place` is where the node is. The record stays a
 * plain object of the engine's shape (a getter would make every record taken over a slower dictionary object).
 */
export function withDeferredNode(record: FunctionRecord, place: NodePlace, find: () => ts.Node | undefined): FunctionRecord {
  deferred.set(record, { place, find });
  return record;
}

/** The record's node, found first if it was deferred. */
export function nodeOf(record: FunctionRecord): ts.Node {
  const later = deferred.get(record);
  if (later !== undefined) setNode(record, later.find() as ts.Node);
  return record.node;
}

/** Where the record's function is while its node is deferred; undefined once found (or never deferred). */
export function placeOf(record: FunctionRecord): NodePlace | undefined {
  return deferred.get(record)?.place;
}

/** A copy of the record with `changes`; a deferred node stays deferred. */
export function copyRecord(record: FunctionRecord, changes: Partial<FunctionRecord>): FunctionRecord {
  const copy = { ...record, ...changes };
  const later = deferred.get(record);
  if (later !== undefined) deferred.set(copy, later);
  return copy;
}

function setNode(record: FunctionRecord, node: ts.Node): void {
  (record as { node: ts.Node }).node = node;
  deferred.delete(record);
}

/** An analysis's records, as the engine asks for them (by node) and iterates them (in the order they were added). */
export interface Records {
  get(node: ts.Node): FunctionRecord | undefined;
  values(): IterableIterator<FunctionRecord>;
}

/**
 * The records of one analysis by their function's node. A record taken over with its node not found yet waits in its
 * file's bucket under its span and kind, and is matched when the engine first asks for a node there (the analysis
 * lists every function it analyses, and the engine every function a call reaches): its node is then the one asked with,
 * found without a lookup; a record never asked for keeps its node deferred (nodeOf finds it). Iteration (flows, egress points, notes, the entry written) is in the order records were added, whether
 * matched or not, as a map by node iterated them.
 */
export class RecordTable implements Records {
  private readonly byNode = new Map<ts.Node, FunctionRecord>();
  private readonly waiting = new Map<FileRef, Map<string, FunctionRecord>>();
  private readonly order = new Set<FunctionRecord>();

  get(node: ts.Node): FunctionRecord | undefined {
    const found = this.byNode.get(node);
    if (found !== undefined || this.waiting.size === 0) return found;
    // the file whose parse holds the node (scanned-file.ts): a record waits in its file's bucket
    const file = scannedFileOf(node.getSourceFile());
    const bucket = file !== undefined ? this.waiting.get(file) : undefined;
    const key = placeKey(node.pos, node.end, node.kind);
    const record = bucket?.get(key);
    if (file === undefined || bucket === undefined || record === undefined) return undefined;
    bucket.delete(key);
    if (bucket.size === 0) this.waiting.delete(file);
    setNode(record, node);
    this.byNode.set(node, record);
    return record;
  }

  /** A new record of `node`. */
  set(node: ts.Node, record: FunctionRecord): void {
    this.byNode.set(node, record);
    this.order.add(record);
  }

  /**
   * A record taken over: by its node, or while its node is deferred in its file's bucket. `keyed` false: a record kept
   * only for what refers to it (an unfinished one of the entry, analysed again through its callers), under no node.
   */
  add(record: FunctionRecord, keyed = true): void {
    this.order.add(record);
    if (!keyed) return;
    const place = deferred.get(record)?.place;
    if (place === undefined) {
      this.byNode.set(record.node, record);
      return;
    }
    let bucket = this.waiting.get(record.file);
    if (bucket === undefined) this.waiting.set(record.file, (bucket = new Map()));
    bucket.set(placeKey(place.pos, place.end, place.kind), record);
  }

  /** Whether the file's top level has a record waiting for its node (taken over: nothing needs the tree to start it). */
  topLevelWaiting(file: FileRef): boolean {
    return this.waiting.get(file)?.has(placeKey(0, 0, Kind.SourceFile)) ?? false;
  }

  /**
   * Whether every function at these places (a file's list, function-list.ts: position, end and kind of each) has a
   * record waiting for its node: the file's functions are then all taken over, and nothing needs its tree to list them.
   */
  allWaiting(file: FileRef, places: readonly number[]): boolean {
    const bucket = this.waiting.get(file);
    if (bucket === undefined) return places.length === 0;
    for (let i = 0; i < places.length; i += 3) if (!bucket.has(placeKey(places[i] as number, places[i + 1] as number, places[i + 2] as number))) return false;
    return true;
  }

  values(): IterableIterator<FunctionRecord> {
    return this.order.values();
  }

  get size(): number {
    return this.order.size;
  }
}

/** A place's key in its file's bucket; a top level's is its kind alone (an entry writes no span for it: graph-codec.ts). */
function placeKey(pos: number, end: number, kind: number): string {
  return kind === Kind.SourceFile ? "top" : `${pos}:${end}:${kind}`;
}
