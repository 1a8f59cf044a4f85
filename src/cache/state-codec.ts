import { ts } from "ts-morph";
import type { EngineNote, FunctionRecord } from "../dataflow/context.js";
import type { AnalysisState } from "../dataflow/reuse.js";
import type { FlowRecord } from "../dataflow/summary.js";
import type { FileRef } from "../dataflow/trace.js";
import { placeOf, RecordTable, withDeferredNode } from "../dataflow/record-table.js";
import type { FunctionList } from "../dataflow/function-list.js";
import type { Value } from "../dataflow/value.js";
import { LazyMap } from "../dataflow/lazy-map.js";
import { CacheFormatError, flatTable, GraphDecoder, GraphEncoder, nodeLookup, type KeptFile, type Ref, type Table } from "./graph-codec.js";
import { scannedFileOf } from "../workspace/scanned-file.js";
import { candidateFlows } from "../dataflow/analyze.js";

/**
 * An analysis state (reuse.ts) as JSON: the shared object graph (graph-codec.ts) and, apart from it, the records —
 * which refer to each other (callers, store readers and writers) — by their index in `records`.
 */
export interface EncodedState {
  /** Relative paths of the files node references point into (index = the file's number in the graph). */
  files: string[];
  /** The shared object graph, flat (graph-codec.ts `Table`). */
  graph: Table;
  records: EncodedRecord[];
  /** Store key, value, reader record indexes, writer record indexes, and each of those writers' part. */
  store: [string, Ref, number[], number[], Ref[]][];
  setterNames: string[];
  /** Each record's file's function list (function-list.ts): its index in `files`, places, setter and property names. */
  functions: [number, number[], string[], string[]][];
  backReferences: string[];
}

/**
 * node, file, name, vetted, door, summary, runs, dependents, flows, egress, unresolved, notes (each null when empty), the
 * summary's key (stable across processes: summary.ts) and the callers that used a variant of it.
 */
type EncodedRecord = [Ref, number, string, boolean, Ref, Ref, number, number[], Ref | null, Ref | null, Ref | null, Ref | null, string | null, number[]];

/**
 * Encodes the finished records of `state` (a record still running or new is left out: it never finished). `fileOf`:
 * the path a file of the scan is written under (undefined for one that is not: its records are left out too); a node
 * is in the file its tree is the parse of (scanned-file.ts).
 */
export function encodeState(state: AnalysisState, fileOf: (file: FileRef) => string | undefined): EncodedState {
  const files: string[] = [];
  const fileIndex = new Map<FileRef, number>();
  const indexOf = (file: FileRef | undefined) => {
    if (file === undefined) return undefined;
    let i = fileIndex.get(file);
    if (i !== undefined) return i;
    const path = fileOf(file);
    if (path === undefined) return undefined;
    fileIndex.set(file, (i = files.length));
    files.push(path);
    return i;
  };
  const graph = new GraphEncoder({ indexOf: (sf) => indexOf(scannedFileOf(sf)), fileIndex: indexOf });
  const kept = [...state.records.values()].filter((r) => r.status === "done" && indexOf(r.file) !== undefined);
  const index = new Map(kept.map((r, i) => [r, i]));
  const indexes = (rs: Iterable<FunctionRecord>) => {
    const out: number[] = [];
    for (const r of rs) {
      const i = index.get(r);
      if (i !== undefined) out.push(i);
    }
    return out;
  };
  // a record taken over whose function nothing asked for is written by its place: the save does not find the node
  const nodeRef = (r: FunctionRecord) => {
    const place = placeOf(r);
    return place === undefined ? graph.ref(r.node) : graph.place(indexOf(r.file) as number, place);
  };
  // one list of candidates per list of flows, so that a list two records share is written once
  const candidateLists = new Map<readonly FlowRecord[], readonly FlowRecord[]>();
  const candidates = (flows: readonly FlowRecord[]) => {
    let out = candidateLists.get(flows);
    if (out === undefined) candidateLists.set(flows, (out = candidateFlows(flows)));
    return out;
  };
  // most records found no flow, sink call, unresolved call or note (hoppscotch: 6,396 of its 1,780 records' 7,120 lists):
  // an empty one is written null, not as an entry of the graph that every run from the entry checks and decodes
  const results = (list: readonly unknown[] | ReadonlyMap<unknown, unknown> | ReadonlySet<unknown>): Ref | null =>
    ("length" in list ? list.length : list.size) === 0 ? null : graph.ref(list);
  const records = kept.map(
    (r): EncodedRecord => [
      nodeRef(r),
      indexOf(r.file) as number,
      r.name,
      r.vetted,
      graph.ref(r.door),
      graph.ref(r.summary),
      r.runs,
      indexes(r.dependents),
      // only the flows the report can pick (analyze.ts candidateFlows): a trace is objects every run from the entry decodes
      results(candidates(r.flows)),
      results(r.egress),
      results(r.unresolved),
      results(r.notes),
      r.earlierKey ?? r.summary?.key ?? null,
      indexes(r.variantUsers),
    ],
  );
  const store: EncodedState["store"] = [];
  const keys = new Set([...state.store.keys(), ...state.storeReaders.keys(), ...state.storeWriters.keys()]);
  for (const key of keys) {
    const value = state.store.get(key);
    const writers: number[] = [];
    const parts: Ref[] = [];
    for (const [writer, part] of state.storeWriters.get(key) ?? []) {
      const i = index.get(writer);
      if (i === undefined) continue;
      writers.push(i);
      parts.push(graph.ref(part));
    }
    store.push([key, value === undefined ? [] : graph.ref(value), indexes(state.storeReaders.get(key) ?? []), writers, parts]);
  }
  const functions: EncodedState["functions"] = [];
  for (const file of new Set(kept.map((r) => r.file))) {
    const list = state.functionList(file);
    if (list !== undefined) functions.push([indexOf(file) as number, [...list.places], [...list.setters], [...list.properties]]);
  }
  return { files, graph: flatTable(graph.entries), records, store, setterNames: [...state.setterNames], functions, backReferences: [...state.backReferences] };
}

/**
 * The state again, its nodes found in `files` (the scan's file of each encoded file whose text is unchanged, undefined
 * for the others; a file's tree is read only when one of its nodes is first decoded). A record that refers to anything not found again — a node of a changed file,
 * something that was not written — comes back unfinished (status "new"), and so does every writer and reader of a
 * store value that does: reuse.ts then analyses them, and their callers and readers, again. `earlier`: a decoding of
 * the same encoded state over other parses of some files, whose objects are kept where they reach none of those.
 */
export function decodeState(
  encoded: EncodedState,
  files: (path: string) => FileRef | undefined,
  earlier?: GraphDecoding,
  kept?: (path: string) => KeptFile | undefined,
): DecodedState {
  if (!Array.isArray(encoded.files) || typeof encoded.graph !== "object" || encoded.graph === null || !Array.isArray(encoded.records) || !Array.isArray(encoded.store)) {
    throw new CacheFormatError("the analysis state lacks its parts");
  }
  const found = encoded.files.map((p) => files(p));
  // a changed file's statements the change left in place keep their nodes (declaration-hashes.ts `keptStatements`): a
  // record elsewhere that names one of them is taken over; the file's own records are analysed again all the same
  const keptFiles = encoded.files.map((p, i) => (found[i] === undefined && kept !== undefined ? kept(p) : undefined));
  const graph = new GraphDecoder(
    encoded.graph,
    nodeLookup(found, keptFiles),
    earlier ? { decoder: earlier.decoder, differs: (file) => found[file] !== earlier.files[file] || keptFiles[file] !== earlier.kept[file] } : undefined,
  );
  return { state: decodeRecords(encoded, graph, found, keptFiles), decoding: { decoder: graph, files: found, kept: keptFiles } };
}

/** A decoded state, and its graph's decoding, which a later decoding of the same encoded state may start from. */
export interface DecodedState {
  state: AnalysisState;
  decoding: GraphDecoding;
}

/** The graph as decoded over `files` (by the encoded state's file index). */
export interface GraphDecoding {
  decoder: GraphDecoder;
  files: readonly (FileRef | undefined)[];
  /** The changed files whose unchanged statements kept their nodes, by the same index. */
  kept: readonly (KeptFile | undefined)[];
}

function decodeRecords(encoded: EncodedState, graph: GraphDecoder, found: readonly (FileRef | undefined)[], kept: readonly (KeptFile | undefined)[]): AnalysisState {
  // a changed file's records keep its path (they are redone), and never its tree
  const fileRefs = encoded.files.map((path, i): FileRef => found[i] ?? { path, sourceFile: undefined as unknown as ts.SourceFile });
  const records: FunctionRecord[] = [];
  // whether anything the record being decoded names is stale (the two readers are made once, not per record)
  let stale = false;
  const get = (r: Ref) => {
    const d = graph.get(r);
    if (d.stale) stale = true;
    return d.value;
  };
  // its flows are read by the report alone (and the next entry), unless the record is redone: their nodes located,
  // not found (located-node.ts), so that a record taken over whole parses nothing for its findings
  const located = (r: Ref) => {
    const d = graph.located(r);
    if (d.stale) stale = true;
    return d.value;
  };
  for (const e of encoded.records) {
    if (!Array.isArray(e) || e.length !== 14 || !Array.isArray(e[7]) || !Array.isArray(e[13])) throw new CacheFormatError("a record does not have its fourteen parts");
    stale = false;
    if (fileRefs[e[1]] === undefined) throw new CacheFormatError("a record names no file");
    // the record's function is found when first read: a record taken over whole is matched to its function by place
    // (record-table.ts), so decoding it finds no node of its file
    const place = graph.place(e[0]);
    // a changed file's function in a statement the change kept whole (declaration-hashes.ts `statementsKeptWhole`): the
    // record is the new file's, finished when nothing it names is stale — reuse.ts redoes it all the same when more
    // than the file's own change reaches the file (`keptWhole`)
    const whole = kept[e[1]]?.whole;
    const keptWhole = found[e[1]] === undefined && place !== undefined && place.kind !== ts.SyntaxKind.SourceFile && whole !== undefined && whole.some(([from, to]) => from <= place.pos && place.end <= to);
    const file = keptWhole ? kept[e[1]]!.file : fileRefs[e[1]]!;
    const record = {
      node: place === undefined ? (get(e[0]) as ts.Node) : undefined,
      file,
      name: e[2],
      vetted: e[3],
      door: get(e[4]),
      summary: get(e[5]),
      status: "done",
      runs: e[6],
      dependents: new Set<FunctionRecord>(),
      variantUsers: new Set<FunctionRecord>(),
      ...(typeof e[12] === "string" ? { earlierKey: e[12] } : {}),
      flows: e[8] === null ? [] : located(e[8]),
      // so are its egress points (context.ts EgressSeen): the expressions a hit keeps to resolve a destination from (an
      // instance's base URL, `axios.create({ baseURL })`) are located, not found — found, they parsed the record's file
      egress: e[9] === null ? new Map() : located(e[9]),
      unresolved: e[10] === null ? new Set() : get(e[10]),
      notes: (e[11] === null ? [] : get(e[11])) as EngineNote[],
    } as FunctionRecord;
    if (place !== undefined) {
      if (place.file !== e[1]) throw new CacheFormatError("a record's function is in another file");
      if (graph.isStale(e[0])) stale = true;
      else withDeferredNode(record, place, () => graph.get(e[0]).value as ts.Node);
    }
    if (stale || (found[e[1]] === undefined && !keptWhole) || (place === undefined && record.node === undefined)) record.status = "new";
    records.push(record);
  }
  const at = (i: number) => {
    const r = records[i];
    if (r === undefined) throw new CacheFormatError(`record ${i} out of range`);
    return r;
  };
  for (let i = 0; i < records.length; i++) {
    const e = encoded.records[i]!;
    const record = records[i]!;
    for (let k = 0; k < e[7].length; k++) record.dependents.add(at(e[7][k]!));
    for (let k = 0; k < e[13].length; k++) record.variantUsers.add(at(e[13][k]!));
  }
  // a store's value and its writers' parts are built when the analysis first reads them (lazy-map.ts): a run reads the
  // few stores its redone code reads or writes, and building the others would find their nodes, parsing their files
  const store = new LazyMap<string, Value>();
  const storeReaders = new Map<string, Set<FunctionRecord>>();
  const storeWriters = new Map<string, Map<FunctionRecord, Value | undefined>>();
  const built = (ref: Ref) => () => graph.get(ref).value as Value;
  for (let s = 0; s < encoded.store.length; s++) {
    // indexed, not destructured: a destructuring steps an iterator, which allocates in code that runs once
    const entry = encoded.store[s]!;
    const key = entry[0];
    const value = entry[1];
    const writers = entry[3];
    const parts = entry[4];
    if (!Array.isArray(writers) || !Array.isArray(parts) || parts.length !== writers.length) throw new CacheFormatError("a store's writers do not match their parts");
    const r = new Set(entry[2].map(at));
    // most stores are only read (hoppscotch: 613 stores, 118 writers): no map of writers for those
    const w = writers.length > 0 ? new LazyMap<FunctionRecord, Value | undefined>() : undefined;
    for (let k = 0; k < writers.length; k++) {
      // a part that cannot be found again is not known: the store is rebuilt by all its writers
      if (graph.isStale(parts[k]!)) w!.set(at(writers[k]!), undefined);
      else w!.setLazy(at(writers[k]!), built(parts[k]!));
    }
    storeReaders.set(key, r);
    if (w !== undefined) storeWriters.set(key, w);
    if (!graph.isStale(value)) {
      // a literal is built as it is (`[]`: the store was never set, only read or written with nothing)
      if (typeof value === "number") store.setLazy(key, built(value));
      else if (graph.get(value).value !== undefined) store.set(key, graph.get(value).value as Value);
      continue;
    }
    // a value that cannot be found again (a function of a changed file) is not kept: its writers write it anew, and
    // its readers, which read what the value was, are analysed again (it cannot be compared with the new one)
    for (const record of [...(w?.keys() ?? []), ...r]) record.status = "new";
  }
  const table = new RecordTable();
  const unfinished: FunctionRecord[] = [];
  for (const r of records) {
    if (r.status === "done") table.add(r);
    else unfinished.push(r);
  }
  // an unfinished record keeps its place in the state (its callers and readers are redone through it) under no node
  for (const r of unfinished) table.add(r, false);
  const lists = decodeFunctionLists(encoded.functions, found);
  return {
    records: table,
    store,
    storeReaders,
    storeWriters,
    setterNames: new Set(encoded.setterNames),
    backReferences: new Set(backReferenceNamesOf(encoded.backReferences)),
    functionList: (file) => lists.get(file),
  };
}

/** The entry's back-references (back-references.ts `backReferenceNames`), each a [g, k, f] triple: a run over its tree uses them. */
function backReferenceNamesOf(encoded: unknown): string[] {
  const triple = (name: unknown) => {
    if (typeof name !== "string") return false;
    try {
      const parts: unknown = JSON.parse(name);
      return Array.isArray(parts) && parts.length === 3 && parts.every((part) => typeof part === "string");
    } catch {
      return false;
    }
  };
  if (!Array.isArray(encoded) || !encoded.every(triple)) throw new CacheFormatError("the analysis state's back-references are not triples of names");
  return encoded as string[];
}

/** The function lists of the files of the text they were listed from (a changed file's is not its own). */
function decodeFunctionLists(encoded: EncodedState["functions"], found: readonly (FileRef | undefined)[]): Map<FileRef, FunctionList> {
  if (!Array.isArray(encoded)) throw new CacheFormatError("the analysis state lacks its function lists");
  const lists = new Map<FileRef, FunctionList>();
  for (const e of encoded) {
    if (!Array.isArray(e) || e.length !== 4 || !Array.isArray(e[1]) || !Array.isArray(e[2]) || !Array.isArray(e[3]) || e[1].length % 3 !== 0) {
      throw new CacheFormatError("a function list does not have its four parts");
    }
    const [file, places, setters, properties] = e;
    if (!places.every(Number.isInteger) || ![...setters, ...properties].every((n) => typeof n === "string")) throw new CacheFormatError("a function list holds something else");
    if (!Number.isInteger(file) || file < 0 || file >= found.length) throw new CacheFormatError("a function list names no file");
    const ref = found[file];
    if (ref !== undefined) lists.set(ref, { places, setters, properties });
  }
  return lists;
}
