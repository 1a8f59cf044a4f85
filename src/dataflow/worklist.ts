import type { FunctionRecord } from "./context.js";

/**
 * The records to analyse again (a callee's summary or a store they read changed), taken callees first.
 *
 * Each record goes by the moment its first analysis ended: callees are analysed on demand inside their caller's run,
 * so a callee's first analysis ends before its caller's, and taking the earliest first settles a recursive cycle or a
 * store before the functions that call into it are analysed again. Taken in the order they were added instead, a
 * caller whose callee was still changing ran once per change: a test file's top level that builds a whole engine
 * (`new RunEngine(…)`, a dozen systems calling one another and a store that dispatches to itself through its
 * interface) and calls its methods ran again each time one of them changed, up to the SCC-rounds budget, at a
 * second of CPU a run, while the cycle below it was still on its way to a fixpoint (docs/engine.md, "Cost").
 *
 * A record added before its first analysis has ended (a callee too deep to descend into, a record taken over from an
 * earlier analysis) goes by when it was added. The order is a function of the analysis alone, so scans of the same
 * code take records in the same order.
 */
export class Worklist {
  private readonly rank = new Map<FunctionRecord, number>();
  private nextRank = 0;
  /** A binary min-heap by rank; `queued` holds the same records, for membership and iteration. */
  private readonly heap: FunctionRecord[] = [];
  private readonly queued = new Set<FunctionRecord>();

  /** `rec`'s analysis has ended: the first time, that sets its place in the order. */
  finished(rec: FunctionRecord): void {
    this.rankOf(rec);
  }

  add(rec: FunctionRecord): void {
    if (this.queued.has(rec)) return;
    this.queued.add(rec);
    const rank = this.rankOf(rec);
    const heap = this.heap;
    let i = heap.length;
    heap.push(rec);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.rankOf(heap[parent]!) <= rank) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = rec;
  }

  /** The queued record whose first analysis ended earliest, taken off the list. */
  take(): FunctionRecord | undefined {
    const heap = this.heap;
    const top = heap[0];
    if (top === undefined) return undefined;
    this.queued.delete(top);
    const last = heap.pop()!;
    if (heap.length > 0) {
      const rank = this.rankOf(last);
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        if (left >= heap.length) break;
        const right = left + 1;
        const child = right < heap.length && this.rankOf(heap[right]!) < this.rankOf(heap[left]!) ? right : left;
        if (this.rankOf(heap[child]!) >= rank) break;
        heap[i] = heap[child]!;
        i = child;
      }
      heap[i] = last;
    }
    return top;
  }

  get size(): number {
    return this.queued.size;
  }

  [Symbol.iterator](): IterableIterator<FunctionRecord> {
    return this.queued.values();
  }

  private rankOf(rec: FunctionRecord): number {
    let rank = this.rank.get(rec);
    if (rank === undefined) this.rank.set(rec, (rank = this.nextRank++));
    return rank;
  }
}
