import type { FunctionRecord } from "./context.js";

/**
 * How many readers, and readers of readers, are looked at to decide that a record waits: the search runs at every
 * queuing of a record that has readers, and a helper that every route handler calls (growthbook's request context: 554
 * readers) would otherwise be searched whole each time; past this the record is queued as it was before.
 */
const MAX_WAIT_SEARCH = 200;

/** A place in the heap: the record's rank when it was queued, and the order it was queued in among equal ranks. */
interface Entry {
  rec: FunctionRecord;
  rank: number;
  seq: number;
}

/**
 * The records to analyse again (a callee's summary or a store they read changed), taken callees first.
 *
 * Each record goes by its rank: the moment its first analysis ended. Callees are analysed on demand inside their
 * caller's run, so a callee's first analysis ends before its caller's, and taking the lowest rank first settles a
 * recursive cycle before the functions that call into it are analysed again. Taken in the order they were queued
 * instead, a caller whose callee was still changing ran once per change: a test file's top level that builds a whole
 * engine (`new RunEngine(…)`, a dozen systems calling one another over a store that dispatches to itself through its
 * interface) and calls its methods ran again each time one of them changed, up to the SCC-rounds budget, while the
 * cycle below it was still on its way to a fixpoint (docs/engine.md, "Order").
 *
 * A store's readers are no callees of its writers. Top levels are analysed in file order, and one runs earlier only
 * when another module's binding is first read (as an import runs it, `runModuleFirst` in interpret/core.ts: the
 * binding's readers then see on their first run what its module's top level writes); a store written again later (by a
 * writer's re-run, a class's fields, a top level still running in an import cycle) has readers ranked before its
 * writer: a tRPC router's module reads the routes other modules export, and ranked before them it ran
 * again after each route's change, where taken in order it ran once after all of them. So a reader queued by a write
 * of a later-ranked writer takes the writer's rank from then on: ahead of what comes after the writer, and with the
 * writer in the order they were queued (documenso's routers settle as they did). In a cycle through stores the ranks
 * meet, and its records go in the order they were queued.
 *
 * A record queued before its first analysis ended (a callee too deep to descend into, a record taken over from an
 * earlier analysis) is ranked when it is queued. The order is a function of the analysis alone, so scans of the same
 * code take records in the same order.
 *
 * A record whose summary no analysis has read (no dependents: a route handler, a closure handed to a library that calls
 * it later) gives the rest nothing but its flows and its stores' writes; its flows are the ones its last run finds. So,
 * unless its latest run changed a store (its readers then wait on its next writes), it waits until nothing else is
 * queued, and then runs once with what its callees have become: queued again each time one of them changed, it ran
 * once per change. In growthbook's query runners a closure of a
 * base method whose `this.m()` calls dispatch to every runner (`startQuery`'s `check`) ran nine times at the
 * cycle's full size, its summary read by nobody. A caller that reads a waiting record's summary takes it off the
 * wait: it is queued like any other (`needed`), so no caller reads a summary older than the worklist would give it.
 *
 * A record whose readers all wait (or would, if queued) waits too: nothing that runs before the wait ends reads its
 * summary, and the waiting records run by their ranks, so it runs before the readers that waited on it. growthbook's
 * general records of the runners' base, joined from their variants, whose few readers wait or would, were joined
 * again at each change of a variant while the variants' cycle settled (738 joins; now 170).
 */
export class Worklist {
  private readonly rank = new Map<FunctionRecord, number>();
  private nextRank = 0;
  private nextSeq = 0;
  /** A binary min-heap by rank, then order queued; an entry no longer in `queued` was replaced (re-ranked) or taken. */
  private readonly heap: Entry[] = [];
  private readonly queued = new Map<FunctionRecord, Entry>();
  /** Queued records nothing reads the summary of, in the order queued: taken once the heap is empty. */
  private readonly waiting = new Set<FunctionRecord>();
  /** The latest run of each record that changed a store (its readers were queued). */
  private readonly changedStore = new Map<FunctionRecord, number>();

  /** `rec`'s analysis has ended: the first time, that sets its rank. */
  finished(rec: FunctionRecord): void {
    this.rankOf(rec);
  }

  /** Queues `rec`; `writer`, for a reader of a store that writer changed: `rec` goes after it from now on. */
  add(rec: FunctionRecord, writer?: FunctionRecord): void {
    let rank = this.rankOf(rec);
    if (writer !== undefined) {
      const after = this.rankOf(writer);
      if (after > rank) this.rank.set(rec, (rank = after));
    }
    const present = this.queued.get(rec);
    if (present !== undefined && present.rank >= rank) return;
    if (present === undefined && this.mayWait(rec, new Set([rec]))) {
      this.waiting.add(rec);
      return;
    }
    this.enqueue(rec, rank);
  }

  /**
   * Whether `rec`, queued now, can wait: it has been analysed, its latest run changed no store, and nothing that runs
   * before the wait ends reads its summary — each record that read it waits, or would wait if it were queued (the same
   * test on its own readers; one met again on the way counts as waiting: a cycle whose readers outside it all wait).
   * `seen`: the records met so far; past {@link MAX_WAIT_SEARCH} of them the record does not wait.
   */
  private mayWait(rec: FunctionRecord, seen: Set<FunctionRecord>): boolean {
    if (rec.runs === 0 || this.changedStore.get(rec) === rec.runs) return false;
    for (const reader of rec.dependents) {
      if (seen.has(reader) || this.waiting.has(reader)) continue;
      if (this.queued.has(reader) || reader.status !== "done") return false;
      seen.add(reader);
      if (seen.size > MAX_WAIT_SEARCH || !this.mayWait(reader, seen)) return false;
    }
    return true;
  }

  /** `rec`'s run changed a store. */
  changed(rec: FunctionRecord): void {
    this.changedStore.set(rec, rec.runs);
  }

  /** A caller reads `rec`'s summary: if it waits (above), it is queued now. */
  needed(rec: FunctionRecord): void {
    if (this.waiting.delete(rec)) this.enqueue(rec, this.rankOf(rec));
  }

  /** The queued record of the lowest rank, taken off the list; once none is left, the waiting ones are queued. */
  take(): FunctionRecord | undefined {
    for (;;) {
      for (let entry = this.pop(); entry !== undefined; entry = this.pop()) {
        if (this.queued.get(entry.rec) !== entry) continue; // re-ranked since: its later entry stands
        this.queued.delete(entry.rec);
        return entry.rec;
      }
      if (this.waiting.size === 0) return undefined;
      for (const rec of this.waiting) this.enqueue(rec, this.rankOf(rec));
      this.waiting.clear();
    }
  }

  get size(): number {
    return this.queued.size + this.waiting.size;
  }

  *[Symbol.iterator](): IterableIterator<FunctionRecord> {
    yield* this.queued.keys();
    yield* this.waiting;
  }

  private enqueue(rec: FunctionRecord, rank: number): void {
    this.waiting.delete(rec);
    const entry = { rec, rank, seq: this.nextSeq++ };
    this.queued.set(rec, entry);
    this.push(entry);
  }

  private rankOf(rec: FunctionRecord): number {
    let rank = this.rank.get(rec);
    if (rank === undefined) this.rank.set(rec, (rank = this.nextRank++));
    return rank;
  }

  private push(entry: Entry): void {
    const heap = this.heap;
    let i = heap.length;
    heap.push(entry);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(entry, heap[parent]!)) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = entry;
  }

  private pop(): Entry | undefined {
    const heap = this.heap;
    const top = heap[0];
    if (top === undefined) return undefined;
    const last = heap.pop()!;
    if (heap.length === 0) return top;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child = right < heap.length && before(heap[right]!, heap[left]!) ? right : left;
      if (!before(heap[child]!, last)) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = last;
    return top;
  }
}

function before(a: Entry, b: Entry): boolean {
  return a.rank < b.rank || (a.rank === b.rank && a.seq < b.seq);
}
