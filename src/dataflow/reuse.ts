import type { ts } from "ts-morph";
import type { FunctionRecord } from "./context.js";
import type { FileRef } from "./trace.js";
import type { Value } from "./value.js";

/** What a finished analysis leaves for a later one over mostly the same code (update review: head, then base). */
export interface AnalysisState {
  readonly records: ReadonlyMap<ts.Node, FunctionRecord>;
  readonly store: ReadonlyMap<string, Value>;
  readonly storeReaders: ReadonlyMap<string, ReadonlySet<FunctionRecord>>;
  readonly storeWriters: ReadonlyMap<string, ReadonlySet<FunctionRecord>>;
  readonly setterNames: ReadonlySet<string>;
}

/** An earlier analysis, and where the difference between the two lies. */
export interface Reuse {
  prior: AnalysisState;
  /** Files (relative paths) whose analysis the difference can change: their records are redone. */
  affectedFiles: ReadonlySet<string>;
  /** Nodes the question now answers differently for: the records of the bodies containing them are redone. */
  changedNodes?: ReadonlySet<ts.Node>;
}

/** What a new analysis starts from: finished records, and the stores they wrote with who reads them. */
export interface TakenOver {
  records: FunctionRecord[];
  store: Map<string, Value>;
  storeReaders: Map<string, Set<FunctionRecord>>;
}

/**
 * The earlier analysis's records that hold for this one too. Records are keyed by their syntax node, so only records
 * of files both workspaces share (the same parsed SourceFile) can match at all. Of those, a record is redone when
 *  - its file is affected (changed, or importing a changed file: the engine reaches other files only along imports),
 *  - a function whose summary it used is redone (its callers are redone with it), or
 *  - it read a flow-insensitive store (module binding, class fields, CommonJS exports) that a redone record wrote, or
 *  - its body contains a node the question now answers differently for (`changedNodes`: sanitizer calls, when the
 *    sanitizer-less run reuses the sanitized one).
 * Every other record is taken over finished (summary, flows, egress). So are the stores only kept records wrote,
 * with their readers registered: when a redone record writes something new there, the engine's worklist analyses the
 * readers again, as it would in any run. Nothing is taken over when the set of setter names differs, since that
 * changes how assignments are read everywhere.
 */
export function takeOver(reuse: Reuse, fileOf: (sf: ts.SourceFile) => FileRef | undefined, setterNames: ReadonlySet<string>): TakenOver {
  const { prior, affectedFiles } = reuse;
  const none: TakenOver = { records: [], store: new Map(), storeReaders: new Map() };
  if (!sameNames(prior.setterNames, setterNames)) return none;

  const redo = new Set<FunctionRecord>();
  const pending: FunctionRecord[] = [];
  const mark = (r: FunctionRecord) => {
    if (redo.has(r)) return;
    redo.add(r);
    pending.push(r);
  };
  for (const r of prior.records.values()) {
    if (r.status !== "done" || affectedFiles.has(r.file.path) || fileOf(r.file.sourceFile) === undefined) mark(r);
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
    for (const w of writers) {
      const keys = keysWrittenBy.get(w);
      if (keys) keys.push(key);
      else keysWrittenBy.set(w, [key]);
    }
  }
  const dirty = new Set<string>();
  while (pending.length > 0) {
    const r = pending.pop() as FunctionRecord;
    for (const caller of r.dependents) mark(caller);
    for (const key of keysWrittenBy.get(r) ?? []) {
      if (dirty.has(key)) continue;
      dirty.add(key);
      for (const reader of prior.storeReaders.get(key) ?? []) mark(reader);
    }
  }

  // copies: the new run's callers and readers register on them without touching the earlier run's records
  const copies = new Map<FunctionRecord, FunctionRecord>();
  for (const r of prior.records.values()) {
    const file = fileOf(r.file.sourceFile);
    if (!redo.has(r) && file !== undefined) copies.set(r, { ...r, file, dependents: new Set(), notes: [...r.notes] });
  }
  for (const [r, copy] of copies) {
    for (const caller of r.dependents) {
      const callerCopy = copies.get(caller);
      if (callerCopy) copy.dependents.add(callerCopy);
    }
  }
  const store = new Map<string, Value>();
  const storeReaders = new Map<string, Set<FunctionRecord>>();
  for (const [key, value] of prior.store) if (!dirty.has(key)) store.set(key, value);
  for (const [key, readers] of prior.storeReaders) {
    if (dirty.has(key)) continue;
    const kept = new Set<FunctionRecord>();
    for (const reader of readers) {
      const copy = copies.get(reader);
      if (copy) kept.add(copy);
    }
    storeReaders.set(key, kept);
  }
  return { records: [...copies.values()], store, storeReaders };
}

function sameNames(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a.size !== b.size) return false;
  for (const n of a) if (!b.has(n)) return false;
  return true;
}
