import type { ts } from "ts-morph";
import type { FunctionRecord } from "./context.js";

/**
 * Where a record's function is in its file, when its node has not been found yet: a record taken over from a cache
 * entry (src/cache/state-codec.ts) is known by the span and kind its node was written with, and finding that node
 * needs the file's tree — which a run that takes the record over whole (nothing of its file redone) has no other use
 * for (docs/update-review.md).
 */
export interface NodePlace {
  readonly pos: number;
  readonly end: number;
  readonly kind: number;
}

const places = new WeakMap<FunctionRecord, NodePlace>();

/**
 * The record with its node found on first read (by `find`) instead of now; `place` is where the node is, so the engine
 * can match the record to a function it meets without finding it ({@link RecordTable}).
 */
export function withDeferredNode(record: Omit<FunctionRecord, "node">, place: NodePlace, find: () => ts.Node | undefined): FunctionRecord {
  Object.defineProperty(record, "node", {
    configurable: true,
    enumerable: true,
    get(this: FunctionRecord) {
      const node = find();
      setNode(this, node as ts.Node);
      return node;
    },
  });
  places.set(record as FunctionRecord, place);
  return record as FunctionRecord;
}

/** A copy of the record with `changes` (a deferred node stays deferred: a spread would find it). */
export function copyRecord(record: FunctionRecord, changes: Partial<FunctionRecord>): FunctionRecord {
  const copy = Object.defineProperties({}, Object.getOwnPropertyDescriptors(record)) as FunctionRecord;
  Object.assign(copy, changes);
  const place = places.get(record);
  if (place !== undefined) places.set(copy, place);
  return copy;
}

function setNode(record: FunctionRecord, node: ts.Node): void {
  Object.defineProperty(record, "node", { configurable: true, enumerable: true, writable: false, value: node });
  places.delete(record);
}

/** An analysis's records, as the engine asks for them (by node) and iterates them (in the order they were added). */
export interface Records {
  get(node: ts.Node): FunctionRecord | undefined;
  values(): IterableIterator<FunctionRecord>;
}

/**
 * The records of one analysis by their function's node. A record taken over with its node not found yet waits in its
 * file's bucket under its span and kind, and is matched when the engine first asks for a node there (the analysis
 * lists every function of every file, so each is asked for): its node is then the one asked with, found without a
 * lookup. Iteration (flows, egress points, notes, the entry written) is in the order records were added, whether
 * matched or not, as a map by node iterated them.
 */
export class RecordTable implements Records {
  private readonly byNode = new Map<ts.Node, FunctionRecord>();
  private readonly waiting = new Map<ts.SourceFile, Map<string, FunctionRecord>>();
  private readonly order = new Set<FunctionRecord>();

  get(node: ts.Node): FunctionRecord | undefined {
    const found = this.byNode.get(node);
    if (found !== undefined || this.waiting.size === 0) return found;
    const sf = node.getSourceFile();
    const bucket = this.waiting.get(sf);
    const key = placeKey(node);
    const record = bucket?.get(key);
    if (bucket === undefined || record === undefined) return undefined;
    bucket.delete(key);
    if (bucket.size === 0) this.waiting.delete(sf);
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
    const place = places.get(record);
    if (place === undefined) {
      this.byNode.set(record.node, record);
      return;
    }
    let bucket = this.waiting.get(record.file.sourceFile);
    if (bucket === undefined) this.waiting.set(record.file.sourceFile, (bucket = new Map()));
    bucket.set(`${place.pos}:${place.end}:${place.kind}`, record);
  }

  values(): IterableIterator<FunctionRecord> {
    return this.order.values();
  }

  get size(): number {
    return this.order.size;
  }
}

function placeKey(node: ts.Node): string {
  return `${node.pos}:${node.end}:${node.kind}`;
}
