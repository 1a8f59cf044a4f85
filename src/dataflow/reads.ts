import type { FunctionRecord } from "./context.js";
import { sameCallbackKeys, sameSinkKeys, sameValueKeys, type Summary } from "./summary.js";
import { identicalValues, readPath, type Value } from "./value.js";

/**
 * What each record read of its callees' summaries and of the flow-insensitive stores, part by part, so that the
 * worklist analyses a record again only when a part it read changed — not whenever a callee's summary or a store it
 * touched changed somewhere. For the scan only: nothing here is cached. A record taken over from an earlier analysis
 * (reuse.ts) has no parts noted and counts as having read everything, as before.
 *
 * A run of a record is a function of what it read, so a record whose parts did not change would give back what it gave
 * before. Parts, for a callee's summary: the return value, unless every call of it in the reader drops it
 * (`await this.save(row);`, `if (await isAllowed(u))`, `!x()`, a comparison); the effects on `this` and on each
 * parameter, unless the call's receiver or that argument is no path the effects could be written at (`f(g())`, a
 * literal); and the sinks, callbacks and channel messages, always. For a store: the field a `this.f` or `binding.f`
 * read takes (`readThisField`, `evalExpr`'s `field`); for `this` as the receiver of a `this.m()` call applied through
 * m's summary, the paths of `this` the summary's symbolic facts read (`receiverRead`, to {@link RECEIVER_PATH_DEPTH}
 * fields); else the whole value.
 */
export class Reads {
  /** By callee, then reader: the summary parts the reader's calls of it take ({@link SummaryParts}). */
  private readonly summaries = new Map<FunctionRecord, Map<FunctionRecord, number>>();
  /** By store key, then reader: the paths it read and the store's value at its latest read, or every part ({@link WHOLE}). */
  private readonly stores = new Map<string, Map<FunctionRecord, PathsRead | typeof WHOLE>>();

  /** `reader` took these parts of `callee`'s summary at a call. */
  summaryRead(callee: FunctionRecord, reader: FunctionRecord, parts: number): void {
    let readers = this.summaries.get(callee);
    if (!readers) this.summaries.set(callee, (readers = new Map()));
    readers.set(reader, (readers.get(reader) ?? 0) | parts);
  }

  /** Whether `reader` took one of these parts of `callee`'s summary (a reader nothing was noted of took them all). */
  readsSummary(callee: FunctionRecord, reader: FunctionRecord, changed: number): boolean {
    const parts = this.summaries.get(callee)?.get(reader);
    return parts === undefined || (parts & changed) !== 0;
  }

  /** By reader: the callees whose summaries it read at its calls. */
  calleesByReader(): Map<FunctionRecord, FunctionRecord[]> {
    const out = new Map<FunctionRecord, FunctionRecord[]>();
    for (const [callee, byReader] of this.summaries) {
      for (const reader of byReader.keys()) {
        const list = out.get(reader);
        if (list) list.push(callee);
        else out.set(reader, [callee]);
      }
    }
    return out;
  }

  /** `reader` read store `key`, whose value is `value`: field `field` of it, or (undefined) all of it. */
  storeRead(key: string, reader: FunctionRecord, value: Value, field: string | undefined): void {
    const readers = this.readers(key);
    if (field === undefined) return void readers.set(reader, WHOLE);
    const read = pathsRead(readers, reader, value);
    if (read !== undefined && !read.paths.has(field)) read.paths.set(field, [field]);
  }

  /** `reader` read store `key`, whose value is `value`, at these paths (a path stands for everything below it). */
  storePathsRead(key: string, reader: FunctionRecord, value: Value, paths: Iterable<readonly string[]>): void {
    const read = pathsRead(this.readers(key), reader, value);
    if (read !== undefined) for (const path of paths) read.paths.set(path.join("\0"), path);
  }

  /**
   * `reader` reads store `key` now and says at which paths once the read is done (`receiverRead`, calls.ts): until
   * then any change of the store counts as read, so that a write while the call is applied still queues the reader.
   * Ends with {@link storePathsRead} or {@link storeRead}, then {@link readDone}.
   */
  readPending(key: string, reader: FunctionRecord, value: Value): void {
    const readers = this.readers(key);
    const read = readers.get(reader);
    if (read === WHOLE) return;
    if (read === undefined) readers.set(reader, { paths: new Map(), value, pending: 1 });
    else read.pending++;
  }

  /** The end of a read begun with {@link readPending}. */
  readDone(key: string, reader: FunctionRecord): void {
    const read = this.stores.get(key)?.get(reader);
    if (read !== undefined && read !== WHOLE) read.pending--;
  }

  /** Whether a part of store `key` that `reader` read differs in its new value `now` (traces included). */
  storeChanged(key: string, reader: FunctionRecord, now: Value, fieldDepth: number): boolean {
    const read = this.stores.get(key)?.get(reader);
    if (read === undefined || read === WHOLE || read.pending > 0) return true;
    for (const path of read.paths.values()) {
      if (!identicalValues(readPath(now, path, fieldDepth), readPath(read.value, path, fieldDepth))) return true;
    }
    return false;
  }

  private readers(key: string): Map<FunctionRecord, PathsRead | typeof WHOLE> {
    let readers = this.stores.get(key);
    if (!readers) this.stores.set(key, (readers = new Map()));
    return readers;
  }
}

/**
 * The paths `reader` read of a store, the store's value now standing for all of them — a write since an earlier read
 * that changed one of them queued the reader already; undefined where it read the whole store.
 */
function pathsRead(readers: Map<FunctionRecord, PathsRead | typeof WHOLE>, reader: FunctionRecord, value: Value): PathsRead | undefined {
  const read = readers.get(reader);
  if (read === WHOLE) return undefined;
  if (read === undefined) {
    const first: PathsRead = { paths: new Map(), value, pending: 0 };
    readers.set(reader, first);
    return first;
  }
  read.value = value;
  return read;
}

interface PathsRead {
  /** By the path's fields joined. */
  readonly paths: Map<string, readonly string[]>;
  value: Value;
  /** Reads begun and not yet said (`readPending`). */
  pending: number;
}

/**
 * How deep the paths of `this` read by a `this.m()` call's substitution are noted: a shorter path stands for the
 * longer ones below it. On growthbook the query runners' variants read `this.context.models.<model>`; what the
 * handlers that build runners wrote again was the request context's other models and fields.
 */
export const RECEIVER_PATH_DEPTH = 3;

const WHOLE = Symbol("whole");

/**
 * Parts of a summary as bits: a reader's parts are or-ed over its calls. Parameters past the 25th share one bit (a
 * reader of one of them counts as reading all of them: more re-runs, never fewer).
 */
export const SummaryParts = {
  returns: 1,
  sinks: 2,
  callbacks: 4,
  channels: 8,
  this: 16,
  /** The effects on parameter `i`. */
  parameter: (i: number): number => 2 ** (5 + Math.min(i, 25)),
  all: 2 ** 31 - 1,
} as const;

/** The parts of a summary that always count as read at a call: sinks, callbacks, messages put on channels. */
export const ALWAYS_READ = SummaryParts.sinks | SummaryParts.callbacks | SummaryParts.channels;

/** The bit of an effects root of a summary: `this`, `p<i>`, or a channel's key. */
function effectsPart(root: string): number {
  if (root === "this") return SummaryParts.this;
  const i = /^p(\d+)$/.exec(root);
  return i ? SummaryParts.parameter(Number(i[1])) : SummaryParts.channels;
}

/**
 * The parts in which two summaries of one function differ (by their canonical keys, traces ignored, compared without
 * spelling the keys: summary.ts, sameValueKeys); none exactly when the summaries' keys are equal.
 */
export function changedParts(before: Summary, after: Summary): number {
  let out = 0;
  // pairs of subtrees found equal, for the whole summary: its parts share subtrees as their keys shared ids
  const equal = new Map<Value, Value>();
  if (!sameValueKeys(before.returns, after.returns, equal)) out |= SummaryParts.returns;
  for (const [root, v] of after.effects) {
    const old = before.effects.get(root);
    if (old === undefined || !sameValueKeys(old, v, equal)) out |= effectsPart(root);
  }
  for (const root of before.effects.keys()) if (!after.effects.has(root)) out |= effectsPart(root);
  if (!sameSinkKeys(before.sinks, after.sinks)) out |= SummaryParts.sinks;
  if (!sameCallbackKeys(before.callbacks, after.callbacks)) out |= SummaryParts.callbacks;
  return out;
}
