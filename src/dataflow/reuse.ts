import type { ts } from "ts-morph";
import type { FunctionRecord } from "./context.js";
import type { FileRef } from "./trace.js";
import { copyRecord, nodeOf, type Records } from "./record-table.js";
import type { FunctionList } from "./function-list.js";
import { copyEntry, heldUndefined, LazyMap } from "./lazy-map.js";
import { EMPTY, joinValues, valueLeq, type Value } from "./value.js";

/** What a finished analysis leaves for a later one over mostly the same code (update review: head, then base). */
export interface AnalysisState {
  readonly records: Records;
  readonly store: ReadonlyMap<string, Value>;
  readonly storeReaders: ReadonlyMap<string, ReadonlySet<FunctionRecord>>;
  /** Each store's writers with their parts (context.ts); a part undefined when not known (an entry could not hold it). */
  readonly storeWriters: ReadonlyMap<string, ReadonlyMap<FunctionRecord, Value | undefined>>;
  readonly setterNames: ReadonlySet<string>;
  /** A file's functions as the analysis listed them (function-list.ts); undefined for a file it does not know. */
  readonly functionList: (file: FileRef) => FunctionList | undefined;
  /** The back-references the analysis placed paths by (back-references.ts `backReferenceNames`). */
  readonly backReferences: ReadonlySet<string>;
}

/** An earlier analysis, and where the difference between the two lies. */
export interface Reuse {
  prior: AnalysisState;
  /** Files (relative paths) whose analysis the difference can change: their records are redone. */
  affectedFiles: ReadonlySet<string>;
  /**
   * Changed files (of `affectedFiles`) that nothing but their own change reaches, whose records in statements the change
   * kept whole are taken over (the analysis cache's: such a record comes back finished, src/cache/state-codec.ts).
   */
  keptWhole?: ReadonlySet<string>;
  /**
   * The earlier analysis was of these very files, text for text (the analysis cache's entry of this tree): what is
   * read from every file's syntax alone (the back-references) is the earlier analysis's, and no file is walked for it.
   */
  sameTree?: boolean;
  /** Nodes the question now answers differently for: the records of the bodies containing them are redone. */
  changedNodes?: ReadonlySet<ts.Node>;
  /**
   * Callers and store readers of what is redone are taken over too, and analysed again only when what they used comes
   * out different (a summary's key, a store's value). Only for an earlier analysis whose records refer to no node of a
   * changed file (the analysis cache's: such a record comes back unfinished, src/cache/state-codec.ts): a record taken
   * over whose trace ran through a changed body would show the earlier code.
   */
  cutOff?: boolean;
  /**
   * The earlier analysis is this run's alone (the analysis cache's entry, decoded for this run: cache/state-codec.ts):
   * its records are taken as they are, and their callers, variant users and stores' readers and writers cut to the
   * records taken over in place, rather than copied. An analysis of this process (the head's, which the base's run
   * takes over) is still read by others afterwards, and is copied.
   */
  owned?: boolean;
  /**
   * Told, once the records are taken over and before anything is analysed, the files holding the records to be
   * analysed (those not taken over, and those revisited): a cached analysis's checker is a program over them
   * (workspace/narrow-checker.ts).
   */
  onRedo?(files: ReadonlySet<string>): void;
}

/** What a new analysis starts from: finished records, and the stores they wrote with who reads them. */
export interface TakenOver {
  records: FunctionRecord[];
  store: LazyMap<string, Value>;
  storeReaders: Map<string, Set<FunctionRecord>>;
  /** The writers taken over with their parts, by the stores they wrote (the redone ones register again as they write). */
  storeWriters: Map<string, Map<FunctionRecord, Value>>;
  /** With `cutOff`: the redone functions' earlier summaries and callers (the engine's context adopts them). */
  earlier?: EarlierRecords;
  /** With `cutOff`: stores rebuilt from scratch, their earlier values and readers (compared when the analysis settles). */
  rebuiltStores?: Map<string, { earlier: Value | undefined; readers: Set<FunctionRecord> }>;
  /** Records taken over that must be analysed again all the same (they used a variant, or a function now gone). */
  revisit: FunctionRecord[];
}

/**
 * The redone functions as the earlier analysis had them, found by node (same parsed file) or by qualified name (a
 * changed file, parsed anew): a new record adopts the earlier summary key and callers, so the callers are analysed again
 * only if its summary comes out different.
 */
export class EarlierRecords {
  private readonly byNode = new Map<ts.Node, Earlier>();
  private readonly byName = new Map<string, Earlier>();
  private readonly adopted = new Set<Earlier>();

  add(node: ts.Node | undefined, name: string | undefined, earlier: Earlier): void {
    if (node !== undefined) this.byNode.set(node, earlier);
    else if (name !== undefined) this.byName.set(name, earlier);
  }

  /** Called by the engine for every record it creates. */
  adopt(rec: FunctionRecord): void {
    const earlier = this.byNode.get(rec.node) ?? this.byName.get(rec.name);
    if (earlier === undefined || this.adopted.has(earlier)) return;
    this.adopted.add(earlier);
    if (earlier.key !== undefined) rec.earlierKey = earlier.key;
    for (const caller of earlier.callers) rec.dependents.add(caller);
    for (const caller of earlier.variantUsers) rec.variantUsers.add(caller);
  }

  /** Callers of earlier functions no record adopted (deleted, renamed): they must be analysed again. */
  orphanedCallers(): FunctionRecord[] {
    const out: FunctionRecord[] = [];
    for (const earlier of [...this.byNode.values(), ...this.byName.values()]) if (!this.adopted.has(earlier)) out.push(...earlier.callers);
    return out;
  }
}

interface Earlier {
  /** Undefined: the earlier summary's key is unknown, so any new summary counts as changed. */
  key: string | undefined;
  callers: FunctionRecord[];
  variantUsers: FunctionRecord[];
}

/**
 * The earlier analysis's records that hold for this one too. Records are keyed by their syntax node, so only records
 * of files both workspaces share (the same loaded file, scanned-file.ts) can match at all. Of those, a record is redone when
 *  - its file is affected (changed, or importing a changed file: the engine reaches other files only along imports) —
 *    but for a record of a changed file that its change alone reaches, in a statement the change kept whole (`keptWhole`),
 *  - a function whose summary it used is redone (its callers are redone with it), or
 *  - it read a flow-insensitive store (module binding, class fields, CommonJS exports) that a redone record wrote,
 *  - it wrote such a store that a redone record wrote too, and the earlier analysis does not know its part: the
 *    earlier value holds the redone record's old part, which a join cannot take out, so the store is rebuilt — from the
 *    parts of the writers taken over and what the redone ones write again, or by all its writers when a part is
 *    unknown — or
 *  - its body contains a node the question now answers differently for (`changedNodes`: sanitizer calls, when the
 *    sanitizer-less run reuses the sanitized one).
 * Every other record is taken over finished (summary, flows, egress). So are the stores only kept records wrote,
 * with their readers registered: when a redone record writes something new there, the engine's worklist analyses the
 * readers again, as it would in any run. Nothing is taken over when the set of setter names differs, since that
 * changes how assignments are read everywhere, or the set of back-references (one file's change can undo one, and
 * every path through it was placed by it).
 */
export function takeOver(
  reuse: Reuse,
  fileOf: (file: FileRef) => FileRef | undefined,
  setterNames: ReadonlySet<string>,
  backReferences: ReadonlySet<string>,
): TakenOver {
  const { prior, affectedFiles } = reuse;
  const none: TakenOver = { records: [], store: new LazyMap(), storeReaders: new Map(), storeWriters: new Map(), revisit: [] };
  if (!sameNames(prior.setterNames, setterNames) || !sameNames(prior.backReferences, backReferences)) return none;

  const redo = new Set<FunctionRecord>();
  const pending: FunctionRecord[] = [];
  const mark = (r: FunctionRecord) => {
    if (redo.has(r)) return;
    redo.add(r);
    pending.push(r);
  };
  // a finished record of a changed file is one in a statement its change kept whole: redone unless that change alone reaches the file
  const keptWhole = reuse.keptWhole ?? new Set<string>();
  // the records in a list, stepped by index (a `for…of` step allocates, in code that runs once)
  const all = [...prior.records.values()];
  for (let i = 0; i < all.length; i++) {
    const r = all[i]!;
    if (r.status !== "done" || (affectedFiles.has(r.file.path) && !keptWhole.has(r.file.path)) || fileOf(r.file) === undefined) mark(r);
  }
  // a body and every body around it (local closures are interpreted inline by the bodies that contain them)
  for (const node of reuse.changedNodes ?? []) {
    for (let n: ts.Node | undefined = node; n !== undefined; n = n.parent) {
      const r = prior.records.get(n);
      if (r !== undefined) mark(r);
    }
  }
  const keysWrittenBy = new Map<FunctionRecord, string[]>();
  for (const [key, writers] of prior.storeWriters) {
    for (const w of writers.keys()) {
      const keys = keysWrittenBy.get(w);
      if (keys) keys.push(key);
      else keysWrittenBy.set(w, [key]);
    }
  }
  const dirty = new Set<string>();
  const cutOff = reuse.cutOff === true;
  while (pending.length > 0) {
    const r = pending.pop() as FunctionRecord;
    // with the cut-off, a caller waits for the new summary (adopted below) and a reader for the rebuilt store; a store
    // is rebuilt, since a value joined into cannot shrink: from the parts of the writers taken over, or (a part
    // unknown) by all its writers
    if (!cutOff) for (const caller of r.dependents) mark(caller);
    for (const key of keysWrittenBy.get(r) ?? []) {
      if (dirty.has(key)) continue;
      dirty.add(key);
      const writers = prior.storeWriters.get(key);
      if (writers !== undefined && [...writers.keys()].some((w) => heldUndefined(writers, w))) for (const writer of writers.keys()) mark(writer);
      if (!cutOff) for (const reader of prior.storeReaders.get(key) ?? []) mark(reader);
    }
  }

  // copies: the new run's callers and readers register on them without touching the earlier run's records — but for
  // an earlier analysis this run owns (`owned`), whose records are taken as they are (themselves their copies)
  const copies = new Map<FunctionRecord, FunctionRecord>();
  const records: FunctionRecord[] = [];
  // whether a record of the earlier analysis is not taken over: the sets of those taken over must then drop it
  let dropped = false;
  for (let i = 0; i < all.length; i++) {
    const r = all[i]!;
    const file = fileOf(r.file);
    if (redo.has(r) || file === undefined) {
      dropped = true;
      continue;
    }
    let copy: FunctionRecord;
    if (reuse.owned === true && file === r.file) {
      copy = r;
      // a record's notes may be the entry's own list, which the decoding a later read of the entry starts from shares
      // (entry-reads.ts): a record analysed again adds to its notes
      if (r.notes.length > 0) r.notes = [...r.notes];
    } else {
      copy = copyRecord(r, { file, dependents: new Set(), variantUsers: new Set(), notes: [...r.notes] });
    }
    copies.set(r, copy);
    records.push(copy);
  }
  for (let i = 0; i < all.length; i++) {
    const r = all[i]!;
    const copy = copies.get(r);
    if (copy === undefined) continue;
    if (copy === r) {
      if (dropped) {
        keepCopies(r.dependents, copies);
        keepCopies(r.variantUsers, copies);
      }
      continue;
    }
    for (const caller of r.dependents) {
      const callerCopy = copies.get(caller);
      if (callerCopy) copy.dependents.add(callerCopy);
    }
    for (const caller of r.variantUsers) {
      const callerCopy = copies.get(caller);
      if (callerCopy) copy.variantUsers.add(callerCopy);
    }
  }
  // values and parts an entry holds are carried over unbuilt (lazy-map.ts): built when the analysis reads them
  const store = new LazyMap<string, Value>();
  const storeReaders = new Map<string, Set<FunctionRecord>>();
  const rebuiltStores: NonNullable<TakenOver["rebuiltStores"]> = new Map();
  const copiesOf = (rs: Iterable<FunctionRecord>) => {
    const kept = new Set<FunctionRecord>();
    for (const r of rs) {
      const copy = copies.get(r);
      if (copy) kept.add(copy);
    }
    return kept;
  };
  // a store's readers: an owned analysis's set itself, without the records not taken over
  const readersOf = (readers: ReadonlySet<FunctionRecord>) => (reuse.owned === true ? (dropped ? keepCopies(readers as Set<FunctionRecord>, copies) : (readers as Set<FunctionRecord>)) : copiesOf(readers));
  for (const key of prior.store.keys()) if (!dirty.has(key)) copyEntry(prior.store, key, store, key);
  // the writers taken over stay writers with their parts (a later analysis starting from this one, the next cache
  // entry, rebuilds a store from them); a rebuilt store starts as the join of their parts, in the order they first
  // wrote, and the redone writers write into it again
  const storeWriters = new Map<string, Map<FunctionRecord, Value>>();
  for (const [key, writers] of prior.storeWriters) {
    // a store only read (an entry lists every store's writers, none for most)
    if (writers.size === 0) continue;
    const kept = new LazyMap<FunctionRecord, Value>();
    let value: Value = EMPTY;
    for (const writer of writers.keys()) {
      const copy = copies.get(writer);
      if (copy === undefined || heldUndefined(writers, writer)) continue;
      copyEntry(writers as ReadonlyMap<FunctionRecord, Value>, writer, kept, copy);
      if (dirty.has(key)) value = joinValues(value, kept.get(copy) as Value);
    }
    if (kept.size > 0) storeWriters.set(key, kept);
    // as the engine stores it: a write that adds nothing (no data, no function below it: `valueLeq` EMPTY) never sets a
    // store (EngineContext.writeStore), and the parts join to such a value exactly when every write was one — else the
    // readers taken over would see a store their earlier analysis never had, and all be analysed again
    if (dirty.has(key) && !valueLeq(value, EMPTY)) store.set(key, value);
  }
  for (const [key, readers] of prior.storeReaders) {
    if (!dirty.has(key)) storeReaders.set(key, readersOf(readers));
    else if (cutOff) rebuiltStores.set(key, { earlier: prior.store.get(key), readers: readersOf(readers) });
  }
  if (!cutOff) return { records, store, storeReaders, storeWriters, revisit: [] };

  // names of records the earlier analysis had more than once (overloads, same-named closures) cannot be matched by name
  const names = new Map<string, number>();
  for (let i = 0; i < all.length; i++) names.set(all[i]!.name, (names.get(all[i]!.name) ?? 0) + 1);
  const earlier = new EarlierRecords();
  const revisit: FunctionRecord[] = [];
  for (const r of redo) {
    const callers = [...copiesOf(r.dependents)];
    const variantUsers = [...copiesOf(r.variantUsers)];
    // variants are not kept: a caller that used one is analysed again when the function is
    revisit.push(...variantUsers);
    const sameNode = r.status === "done" && fileOf(r.file) !== undefined;
    if (sameNode || names.get(r.name) === 1) {
      earlier.add(sameNode ? nodeOf(r) : undefined, r.name, { key: r.earlierKey ?? (r.status === "done" ? r.summary?.key : undefined), callers, variantUsers });
    } else {
      revisit.push(...callers);
    }
  }
  return { records, store, storeReaders, storeWriters, earlier, rebuiltStores, revisit };
}

/**
 * The set's records that are taken over, each as its copy, in place (an owned analysis's set: `Reuse.owned`), in the
 * order they were added. Indexed by `forEach`, which allocates nothing per member (a `for…of` step does, in code that
 * runs once).
 */
function keepCopies(set: Set<FunctionRecord>, copies: ReadonlyMap<FunctionRecord, FunctionRecord>): Set<FunctionRecord> {
  let copied = false;
  set.forEach((r) => {
    const copy = copies.get(r);
    if (copy === undefined) set.delete(r);
    else if (copy !== r) copied = true;
  });
  if (copied) {
    const members = [...set];
    set.clear();
    for (const r of members) set.add(copies.get(r) as FunctionRecord);
  }
  return set;
}

function sameNames(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a.size !== b.size) return false;
  for (const n of a) if (!b.has(n)) return false;
  return true;
}
