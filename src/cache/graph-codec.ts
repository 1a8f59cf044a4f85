import { ts } from "ts-morph";
import { forEachChild } from "../compiler-direct.js";
import { EMPTY } from "../dataflow/value.js";
import { makeSummary, summaryOnDemand, SummaryOnDemand, type CallbackEntry, type SinkEntry, type Summary } from "../dataflow/summary.js";
import type { Value } from "../dataflow/value.js";
import { splicedParts, splicedStep, type FileRef, type Step } from "../dataflow/trace.js";
import { ScannedFile } from "../workspace/scanned-file.js";
import { LocatedNode } from "../dataflow/located-node.js";

/**
 * The engine's finished results as data: an object graph (values, facts, traces, sink sites, summaries) whose leaves
 * are syntax nodes. Encoding keeps sharing: every object is one entry of a table, written after the entries it refers
 * to, so a value DAG or a trace shared by a thousand facts is stored once (unfolding them would be megabytes per
 * summary). A syntax node is its file, position, end and kind; the decoder finds it again, when first built, in the new
 * program's parse of that file — the same text (the cache checks content hashes), so the same tree. A file of the scan
 * (a trace step's, a fact origin's) is its index alone, and decodes as the new scan's file of that path, unparsed.
 *
 * What cannot be written (a function, a node outside the scanned files) is written as "unknown", and whatever refers
 * to it decodes as stale: the record holding it is analysed again, never answered wrongly.
 */

/** A reference inside an entry: an entry's index, or a literal (`[n]` a number, `[]` undefined). */
export type Ref = number | string | boolean | null | [number] | [];

/** One table entry: `[tag, ...]`. */
export type Entry = (string | number | Ref)[];

/** Where the syntax nodes of a graph live: the scanned files, by index in a list both sides agree on. */
export interface NodeFiles {
  indexOf(sourceFile: ts.SourceFile): number | undefined;
  /** A loaded file's index (a trace step's, a fact origin's file), found without its tree; none: written as unknown. */
  fileIndex?(file: FileRef): number | undefined;
}

export class GraphEncoder {
  readonly entries: Entry[] = [];
  private readonly ids = new Map<object, number>();

  constructor(private readonly files: NodeFiles) {}

  /** The reference to `value`, encoding it (and what it refers to) first when new. */
  ref(value: unknown): Ref {
    if (typeof value === "string" && value.length > 12) return this.string(value);
    const literal = literalRef(value);
    if (literal !== undefined) return literal;
    const known = this.ids.get(value as object);
    if (known !== undefined) return known;
    // post-order without recursion: traces are linked lists hundreds of steps long
    const stack: { object: object; children: unknown[]; next: number }[] = [];
    const open = new Set<object>();
    const push = (object: object) => {
      open.add(object);
      stack.push({ object, children: this.children(object), next: 0 });
    };
    push(value as object);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      let descended = false;
      while (top.next < top.children.length) {
        const child = top.children[top.next++];
        if (literalRef(child) !== undefined || this.ids.has(child as object)) continue;
        if (open.has(child as object)) throw new Error("the analysis state holds a cycle outside its records");
        push(child as object);
        descended = true;
        break;
      }
      if (descended) continue;
      stack.pop();
      open.delete(top.object);
      const entry = this.entry(top.object); // may add strings to the table first
      this.ids.set(top.object, this.entries.length);
      this.entries.push(entry);
    }
    return this.ids.get(value as object) as number;
  }

  /**
   * A syntax node known by its place alone (a record taken over whose function nothing asked for: record-table.ts),
   * written as the node would be, so that saving such a record does not find the node first.
   */
  place(file: number, at: { pos: number; end: number; kind: number }): Ref {
    this.entries.push(at.kind === ts.SyntaxKind.SourceFile ? ["F", file] : ["N", file, at.pos, at.end, at.kind]);
    return this.entries.length - 1;
  }

  private readonly strings = new Map<string, number>();
  private readonly shapes = new Map<string, number>();

  private shapeOf(keys: string[]): number {
    const name = keys.join("\0");
    let id = this.shapes.get(name);
    if (id === undefined) {
      this.shapes.set(name, (id = this.entries.length));
      this.entries.push(["K", ...keys]);
    }
    return id;
  }

  /** A longer string (a step's message, a fact's key) once, however many entries use it. */
  private string(value: string): number {
    let id = this.strings.get(value);
    if (id === undefined) {
      this.strings.set(value, (id = this.entries.length));
      this.entries.push(["s", value]);
    }
    return id;
  }

  /** The objects and values an entry refers to, in the order `entry` writes them. */
  private children(o: object): unknown[] {
    const shape = this.shape(o);
    return shape.kind === "leaf" ? [] : shape.values;
  }

  private entry(o: object): Entry {
    const shape = this.shape(o);
    if (shape.kind === "leaf") return shape.entry;
    // an object's keys are its shape, written once per distinct list of keys
    const out: Entry = shape.keys ? [shape.tag, this.shapeOf(shape.keys)] : [shape.tag];
    for (const v of shape.values) out.push(this.ref(v));
    return out;
  }

  private shape(o: object): { kind: "leaf"; entry: Entry } | { kind: "node"; tag: string; keys?: string[]; values: unknown[] } {
    if (o === EMPTY) return { kind: "leaf", entry: ["E"] };
    if (o instanceof ScannedFile) {
      // a file of the scan by its index, decoded as the new scan's file of that path (its tree parsed when read)
      const file = this.files.fileIndex?.(o);
      return { kind: "leaf", entry: file === undefined ? ["X"] : ["R", file] };
    }
    if (o instanceof LocatedNode) {
      // a node of a flow taken over unfound (located-node.ts): written as it was read
      const file = this.files.fileIndex?.(o.file);
      return { kind: "leaf", entry: file === undefined ? ["X"] : ["N", file, o.pos, o.end, o.kind, o.start] };
    }
    if (isSyntaxNode(o)) {
      const sf = o.kind === ts.SyntaxKind.SourceFile ? (o as ts.SourceFile) : o.getSourceFile();
      const file = sf ? this.files.indexOf(sf) : undefined;
      if (file === undefined) return { kind: "leaf", entry: ["X"] };
      // with where its first token starts, so that a run that does not parse the file can still say where it is
      return { kind: "leaf", entry: o === sf ? ["F", file] : ["N", file, o.pos, o.end, o.kind, o.getStart(sf)] };
    }
    if (Array.isArray(o)) return { kind: "node", tag: "A", values: o };
    if (o instanceof Map) {
      const values: unknown[] = [];
      for (const [k, v] of o) values.push(k, v);
      return { kind: "node", tag: "M", values };
    }
    if (o instanceof Set) return { kind: "node", tag: "S", values: [...o] };
    if (o instanceof SummaryOnDemand) {
      // a summary taken over from an entry, built when read: written as the summary it stands for
      return { kind: "node", tag: "Y", values: [o.returns, o.effects, o.sinks, o.callbacks] };
    }
    const proto = Object.getPrototypeOf(o) as unknown;
    if (proto === Object.prototype || proto === null) {
      const key = Object.getOwnPropertyDescriptor(o, "key");
      if (key?.get && "returns" in o && "effects" in o) {
        // a summary (makeSummary): its key is computed on demand, so it is rebuilt rather than copied
        const s = o as Summary;
        return { kind: "node", tag: "Y", values: [s.returns, s.effects, s.sinks, s.callbacks] };
      }
      const keys: string[] = [];
      const values: unknown[] = [];
      for (const k of Object.keys(o)) {
        const d = Object.getOwnPropertyDescriptor(o, k)!;
        if (d.get) return { kind: "leaf", entry: ["X"] };
        if (d.value === undefined) continue;
        keys.push(k);
        values.push(d.value);
      }
      return { kind: "node", tag: "O", keys, values };
    }
    const parts = splicedParts(o as Step);
    if (parts) {
      // a lazily spliced trace step (trace.ts): written as it is, so that what memory shares the file shares too (walking
      // `prev` would splice every trace in full); unspliced, it is its prefix and the suffix's last step
      if (!parts.spliced) return { kind: "node", tag: "T", values: [parts.before, parts.last] };
      const s = o as Step;
      return { kind: "node", tag: "P", values: [s.node, s.file, s.message, s.role, s.length, s.enters, parts.prev] };
    }
    return { kind: "leaf", entry: ["X"] };
  }
}

function literalRef(value: unknown): Ref | undefined {
  if (value === undefined) return [];
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") return [value];
  if (typeof value === "object") return undefined;
  return undefined; // functions, symbols, bigints: objects of their own kind, written as unknown
}

function isSyntaxNode(o: object): o is ts.Node {
  const n = o as Partial<ts.Node>;
  return typeof n.kind === "number" && typeof n.pos === "number" && typeof n.end === "number" && typeof n.getSourceFile === "function";
}


/** Finds a file's syntax nodes by position, end and kind (the outermost of equal ones). */
export interface NodeLookup {
  /** Whether the scan has the file with the text the graph was written from (a changed file's nodes are not found). */
  has(file: number): boolean;
  /**
   * Whether a node of a changed file at this span is kept: it lies in one of the file's statements the change left as
   * they were, in place (declaration-hashes.ts `keptStatements`), so the new parse has it at the same span. With no
   * span: whether the file has such a statement (a reference to the file itself, a trace step's or an origin's).
   */
  keeps(file: number, pos?: number, end?: number): boolean;
  /** The file's parse (parsed now if it was not yet), or undefined when the scan does not have the file (`has`). */
  sourceFile(file: number): ts.SourceFile | undefined;
  /** The scan's file itself, its tree not read; undefined when the scan neither has nor keeps any of it. */
  file(file: number): FileRef | undefined;
  /** The node at the span of a file the scan has, or of a kept statement's (`keeps`). */
  node(file: number, pos: number, end: number, kind: number): ts.Node | undefined;
  /** Nodes the lookups so far looked at descending, and spans of the files they indexed: what a test holds them to. */
  visited(): number;
}

/** A changed file whose unchanged statements keep their nodes (declaration-hashes.ts `keptStatements`): its new file, and their spans. */
export interface KeptFile {
  file: FileRef;
  spans: readonly (readonly [number, number])[];
  /**
   * Of `spans`, the statements whose own functions' records are taken over too (declaration-hashes.ts
   * `statementsKeptWhole`), when nothing else reaches the file (state-codec.ts, reuse.ts `keptWhole`).
   */
  whole: readonly (readonly [number, number])[];
}

/**
 * A cached scan finds a few nodes in each file (hoppscotch's entry: 5,422 nodes in 145 files of hundreds of thousands
 * of nodes), so a node is found by descending from the file into the children whose span holds its span, which looks
 * at a path's worth of nodes. A file asked so often that the descents would cost more than a walk of all its nodes is
 * indexed instead (its text's length bounds its node count). Either way the node found is the one the index names: a
 * child's span lies within its parent's, so the descent meets every node of the span, in the index's walk order.
 */
export function nodeLookup(files: readonly (FileRef | undefined)[], kept: readonly (KeptFile | undefined)[] = []): NodeLookup {
  const indexes = new Map<number, NodeIndex>();
  const descents = new Map<number, number>();
  let visited = 0;
  const keeps = (file: number, pos?: number, end?: number): boolean => {
    const k = files[file] === undefined ? kept[file] : undefined;
    if (k === undefined || k.spans.length === 0) return false;
    return pos === undefined || end === undefined || k.spans.some(([from, to]) => from <= pos && end <= to);
  };
  return {
    has: (file) => files[file] !== undefined,
    keeps,
    sourceFile: (file) => files[file]?.sourceFile,
    file: (file) => files[file] ?? (keeps(file) ? kept[file]!.file : undefined),
    node(file, pos, end, kind) {
      const sf = files[file]?.sourceFile ?? (keeps(file, pos, end) ? kept[file]!.file.sourceFile : undefined);
      if (!sf) return undefined;
      let index = indexes.get(file);
      if (!index) {
        const spent = descents.get(file) ?? 0;
        if (spent < sf.text.length) {
          const [found, looked] = descend(sf, pos, end, kind);
          visited += looked;
          descents.set(file, spent + looked);
          // not found by descending: the index settles it (a node outside its parent's span, if the parser made one)
          if (found !== undefined) return found;
        }
        index = indexNodes(sf);
        visited += index.size;
        indexes.set(file, index);
      }
      const found = index.get(spanKey(pos, end));
      if (found === undefined) return undefined;
      if (!Array.isArray(found)) return found.kind === kind ? found : undefined;
      return found.find((n) => n.kind === kind);
    },
    visited: () => visited,
  };
}

/**
 * The first node of the span and kind in indexNodes' walk order, looking only into nodes whose span holds the span
 * (the walk's order among them is kept); how many nodes it looked at.
 */
function descend(sf: ts.SourceFile, pos: number, end: number, kind: number): [ts.Node | undefined, number] {
  const stack: ts.Node[] = [sf];
  let looked = 1;
  const push = (c: ts.Node): void => {
    looked++;
    if (c.pos <= pos && end <= c.end) stack.push(c);
  };
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.pos === pos && n.end === end && n.kind === kind) return [n, looked];
    forEachChild(n, push);
  }
  return [undefined, looked];
}

/**
 * A file's nodes by span, each span's nodes of different kinds in a list: the outermost node of a span and kind is the
 * one kept. The key is a number, not a string built per node.
 */
type NodeIndex = Map<number, ts.Node | ts.Node[]>;

/** A number per (pos, end), exact below 2^52: a file read is at most 5 MB (MAX_FILE_BYTES), far below 2^26 characters. */
function spanKey(pos: number, end: number): number {
  return pos * SPAN + end;
}
const SPAN = 2 ** 26;

function indexNodes(sf: ts.SourceFile): NodeIndex {
  const index: NodeIndex = new Map();
  const stack: ts.Node[] = [sf];
  const push = (c: ts.Node): void => {
    stack.push(c);
  };
  while (stack.length > 0) {
    const n = stack.pop()!;
    const key = spanKey(n.pos, n.end);
    const there = index.get(key);
    if (there === undefined) index.set(key, n);
    else if (!Array.isArray(there)) {
      if (there.kind !== n.kind) index.set(key, [there, n]);
    } else if (!there.some((m) => m.kind === n.kind)) there.push(n);
    forEachChild(n, push);
  }
  return index;
}

/**
 * The table as an entry writes it: every entry's items one after another (its tag first), and each entry's length. An
 * entry of a real tree holds tens of thousands of entries (jackson's 59,186); parsed as one list per entry, JSON.parse
 * built that many arrays before anything was decoded (25–62 ms against 16 ms for the same items flat, session 40).
 */
export interface Table {
  lengths: number[];
  items: (string | number | Ref)[];
}

/** The encoder's entries as a {@link Table}. */
export function flatTable(entries: readonly Entry[]): Table {
  const lengths: number[] = [];
  const items: (string | number | Ref)[] = [];
  for (const entry of entries) {
    lengths.push(entry.length);
    for (const item of entry) items.push(item);
  }
  return { lengths, items };
}

/** A table's entries one list each (what a test reads and rewrites); a table not in its form is refused. */
export function tableEntries(table: Table): Entry[] {
  const offsets = offsetsOf(table);
  const entries: Entry[] = [];
  for (let i = 0; i + 1 < offsets.length; i++) entries.push(table.items.slice(offsets[i], offsets[i + 1]));
  return entries;
}

/** Where each entry of the table starts (and, last, where the items end); a table not in its form is refused. */
function offsetsOf(table: Table): Int32Array {
  if (typeof table !== "object" || table === null || !Array.isArray(table.lengths) || !Array.isArray(table.items)) throw new CacheFormatError("the graph is not a table");
  const { lengths, items } = table;
  const offsets = new Int32Array(lengths.length + 1);
  let at = 0;
  for (let i = 0; i < lengths.length; i++) {
    const length = lengths[i];
    // every entry holds its tag at least
    if (!Number.isInteger(length) || (length as number) < 1) throw new CacheFormatError("an entry's length is not a count");
    offsets[i] = at;
    at += length as number;
    if (at > items.length) throw new CacheFormatError("the entries run past the table's items");
  }
  if (at !== items.length) throw new CacheFormatError("the table's items are not its entries'");
  offsets[lengths.length] = at;
  return offsets;
}

/** What a decoded reference stands for; `stale` when anything under it could not be found again. */
export interface Decoded {
  value: unknown;
  stale: boolean;
}

/**
 * An earlier decoding of the same table, and which of its files the new lookup parses differently (another parse, or
 * one found where the earlier was not or the other way round).
 */
export interface EarlierDecoding {
  decoder: GraphDecoder;
  differs(file: number): boolean;
}

/** An entry's object (0 in a decoder's state: not built yet): built by this decoder, or the earlier decoding's. */
const BUILT = 1;
const EARLIER = 2;

/**
 * Decodes a table written by GraphEncoder (each entry refers only to earlier ones) in two parts. Up front, for every
 * entry: its form is checked (a malformed table is refused before anything uses it), and whether it is stale — reaches
 * a node of a file not parsed as it was written, or something that was not written — is worked out from its
 * references, numbers only. The objects are built on first use ({@link get}), syntax nodes too (found in their file
 * then: a node of a file parsed from the same text is always there, so only a forged entry can lack one, and building it
 * throws), a summary's parts when the summary is read (summaryOnDemand): a cached review uses the summaries of the few
 * functions its redone code calls, and summaries reach most of an entry's objects (hoppscotch 32,895 of 44,486
 * entries, novu 110,718 of 153,091), so a record's staleness must not wait for its objects; and a run that takes a
 * file's records over whole needs none of that file's nodes (hoppscotch's nothing-redone review: 96 nodes in 14 files
 * found instead of 5,422 in 145).
 *
 * With an earlier decoding of the same table (the head of an update review decoded the entry the base reads again), an
 * entry that refers to no node of a file parsed differently is that decoding's object (built there when first used by
 * either): the same nodes found in the same parse decode the same, so only what reaches into the differing files is
 * decoded anew. The earlier decoding checked the table's form — the very table, the same parsed items — so the second
 * pass only follows references to find which entries reach a differing file, and checks against the new parses only
 * those files' nodes.
 */
export class GraphDecoder {
  private readonly items: Table["items"];
  /** Where entry i's items start (its tag) and, at i + 1, end. */
  private readonly offsets: Int32Array;
  private readonly values: unknown[];
  private readonly state: Uint8Array;
  /**
   * The objects built with located nodes ({@link located}), apart from those built with nodes; BUILT only (an entry the
   * earlier decoding has is its own, built there with located nodes: `state` says so).
   */
  private locatedBuilds: { values: unknown[]; state: Uint8Array } | undefined;
  /** Each "N" entry's {@link LocatedNode}, once built: one object per place, whoever refers to it. */
  private readonly locatedNodes = new Map<number, LocatedNode | undefined>();
  /** Per object shape ("K" entry): which of its keys hold a node built located ({@link locatesAt}). */
  private readonly locatedKeys = new Map<number, readonly boolean[]>();
  private readonly stale: Uint8Array;
  /** With an earlier decoding: whether the entry reaches a node of a differing file (so is decoded anew). */
  private readonly touched: Uint8Array | undefined;
  private builtCount = 0;

  constructor(
    private readonly table: Table,
    private readonly lookup: NodeLookup,
    private readonly earlier?: EarlierDecoding,
  ) {
    if (earlier !== undefined && earlier.decoder.table !== table) throw new Error("an earlier decoding of another table");
    this.offsets = earlier?.decoder.offsets ?? offsetsOf(table);
    this.items = table.items;
    const count = this.offsets.length - 1;
    this.values = new Array<unknown>(count);
    this.state = new Uint8Array(count);
    this.stale = new Uint8Array(count);
    if (earlier === undefined) for (let i = 0; i < count; i++) this.check(i, lookup);
    else {
      this.touched = new Uint8Array(count);
      for (let i = 0; i < count; i++) this.follow(i, earlier);
    }
  }

  /**
   * Where a reference's syntax node is (an "N" entry's file, span and kind; an "F" entry's file, its top level: the span
   * is not written, and a place of kind SourceFile is the whole file), without finding it; else undefined.
   */
  place(ref: Ref): { file: number; pos: number; end: number; kind: number } | undefined {
    if (typeof ref !== "number") return undefined;
    this.inRange(ref, this.state.length);
    const at = this.offsets[ref]!;
    const tag = this.items[at];
    if (tag === "F") return { file: this.items[at + 1] as number, pos: 0, end: 0, kind: ts.SyntaxKind.SourceFile };
    return tag === "N" ? { file: this.items[at + 1] as number, pos: this.items[at + 2] as number, end: this.items[at + 3] as number, kind: this.items[at + 4] as number } : undefined;
  }

  get(ref: Ref): Decoded {
    if (typeof ref === "number") {
      this.inRange(ref, this.state.length);
      return { value: this.value(ref), stale: this.stale[ref] === 1 };
    }
    if (Array.isArray(ref)) return { value: ref.length === 0 ? undefined : ref[0], stale: false };
    return { value: ref, stale: false };
  }

  /**
   * The reference's object built with {@link LocatedNode}s where the entry says where a node starts — a flow or an
   * egress point of a record taken over, which only the report and the next entry read: decoding it finds no node and
   * parses no file.
   * Built apart from {@link get}'s objects (the engine's summaries must hold the nodes themselves).
   */
  located(ref: Ref): Decoded {
    if (typeof ref !== "number") return this.get(ref);
    this.inRange(ref, this.state.length);
    return { value: this.value(ref, true), stale: this.stale[ref] === 1 };
  }

  /** Whether the reference's object is stale, without building it. */
  isStale(ref: Ref): boolean {
    if (typeof ref !== "number") return false;
    this.inRange(ref, this.state.length);
    return this.stale[ref] === 1;
  }

  /** How many entries' objects this decoder built (not the earlier decoding's): what a test holds it to. */
  built(): number {
    return this.builtCount;
  }

  private inRange(ref: number, below: number): void {
    if (!Number.isInteger(ref) || ref < 0 || ref >= below) throw new CacheFormatError(`reference ${ref} out of range`);
  }

  /** Checks entry `i` and sets whether it is stale. */
  private check(i: number, lookup: NodeLookup): void {
    const items = this.items;
    const at = this.offsets[i]!;
    const end = this.offsets[i + 1]!;
    const tag = items[at];
    if (typeof tag !== "string") throw new CacheFormatError("an entry is not a tagged list");
    if (this.settled(i, tag)) return;
    switch (tag) {
      case "F":
      case "R":
      case "N": {
        // found when built: a node of a file parsed as it was written is always there (same text, same tree), one of a
        // changed file never (the lookup has no parse of it)
        if (tag === "N" && !(end - at >= 5 && Number.isInteger(items[at + 2]) && Number.isInteger(items[at + 3]) && Number.isInteger(items[at + 4]))) {
          throw new CacheFormatError("a node without its span and kind");
        }
        // where its first token starts (written with every node but a record's own, graph-codec's `place`): in its span
        if (tag === "N" && end - at > 5 && !(end - at === 6 && Number.isInteger(items[at + 5]) && (items[at + 2] as number) <= (items[at + 5] as number) && (items[at + 5] as number) <= (items[at + 3] as number))) {
          throw new CacheFormatError("a node's start is not in its span");
        }
        this.findable(i, lookup);
        return;
      }
      case "O": {
        this.inRange(items[at + 1] as number, i);
        const shape = this.offsets[items[at + 1] as number]!;
        const keys = items[shape];
        if ((keys !== "K" && keys !== "A") || this.offsets[(items[at + 1] as number) + 1]! - shape !== end - at - 1) throw new CacheFormatError("an object does not match its shape");
        break;
      }
      case "A":
      case "S":
      case "M":
      case "P":
      case "T":
      case "Y":
        break;
      default:
        throw new CacheFormatError(`unknown entry tag ${JSON.stringify(tag)}`);
    }
    // references are bare numbers (literal numbers are written [n]; keys and strings are strings)
    let stale = 0;
    for (let k = at + 1; k < end; k++) {
      const ref = items[k];
      if (typeof ref !== "number") continue;
      this.inRange(ref, i);
      stale |= this.stale[ref]!;
    }
    this.stale[i] = stale;
  }

  /**
   * Whether entry `i` refers to nothing and stands for no node — a key list, a string, the empty value, or what was not
   * written (stale) —, its staleness set.
   */
  private settled(i: number, tag: unknown): boolean {
    if (tag === "E" || tag === "K" || tag === "s") return true;
    if (tag !== "X") return false;
    this.stale[i] = 1;
    return true;
  }

  /**
   * Whether node entry `i` (an "N", "F" or "R" of a checked form) is found in the lookup's parses: stale when not; a
   * located node's span past its file's end refused.
   */
  private findable(i: number, lookup: NodeLookup): void {
    const items = this.items;
    const at = this.offsets[i]!;
    const tag = items[at];
    const file = items[at + 1] as number;
    // a changed file's node is found when it lies in a statement the change kept (and so is the file, for a step's or
    // an origin's reference to it); its top level ("F") never is
    const found = lookup.has(file) || (tag === "N" && lookup.keeps(file, items[at + 2] as number, items[at + 3] as number)) || (tag === "R" && lookup.keeps(file));
    if (!found) this.stale[i] = 1;
    // a node built located is never looked for in its file's tree: a span past the file's end is not a place in it,
    // so not an entry flowgate wrote — refused here, with the rest of the entry, not when the engine first reads it
    else if (tag === "N" && this.offsets[i + 1]! - at === 6 && (items[at + 3] as number) > textOf(lookup.file(file)!).length) {
      throw new CacheFormatError("a node's span is not in its file");
    }
  }

  /**
   * Entry `i` of a table the earlier decoding checked: the earlier decoding's object when it reaches no node of a file
   * parsed differently (`touched` 0), else decoded anew — its staleness from its references, a node's from the new
   * lookup.
   */
  private follow(i: number, earlier: EarlierDecoding): void {
    const items = this.items;
    const at = this.offsets[i]!;
    const end = this.offsets[i + 1]!;
    const tag = items[at];
    const touched = this.touched!;
    if (this.settled(i, tag)) return;
    switch (tag) {
      case "F":
      case "R":
      case "N":
        if (!earlier.differs(items[at + 1] as number)) {
          this.adopt(i, earlier);
          return;
        }
        touched[i] = 1;
        this.findable(i, this.lookup);
        return;
    }
    let reaches = 0;
    let stale = 0;
    for (let k = at + 1; k < end; k++) {
      const ref = items[k];
      if (typeof ref !== "number") continue;
      reaches |= touched[ref]!;
      stale |= this.stale[ref]!;
    }
    if (reaches === 0) {
      this.adopt(i, earlier);
      return;
    }
    touched[i] = 1;
    this.stale[i] = stale;
  }

  private adopt(i: number, earlier: EarlierDecoding): void {
    this.state[i] = EARLIER;
    this.stale[i] = earlier.decoder.stale[i]!;
  }

  /**
   * Entry `i`'s object, built first (with the entries it refers to, without recursion: traces are long lists); with
   * `located`, its nodes are {@link LocatedNode}s where the entry says where they start (see {@link located}).
   */
  private value(i: number, located = false): unknown {
    // the earlier decoding's own (its state says EARLIER in `state`, whichever objects are built)
    if (this.state[i] === EARLIER) return this.earlier!.decoder.value(i, located);
    // built already: the way every reference inside an object being built comes (`ref`), so before anything is allocated
    if (!located && this.state[i] === BUILT) return this.values[i];
    const items = this.items;
    // a summary is the engine's (summaryOnDemand), whoever reaches it
    if (located && items[this.offsets[i]!] === "Y") return this.value(i);
    const parts = located ? (this.locatedBuilds ??= { values: new Array<unknown>(this.state.length), state: new Uint8Array(this.state.length) }) : undefined;
    const values = parts?.values ?? this.values;
    const state = parts?.state ?? this.state;
    // whether entry j needs no building here: built already, or the earlier decoding's
    const done = (j: number) => state[j] === BUILT || this.state[j] === EARLIER;
    if (done(i)) return values[i];
    const stack = [i];
    while (stack.length > 0) {
      const j = stack[stack.length - 1]!;
      if (done(j)) {
        stack.pop();
        continue;
      }
      const at = this.offsets[j]!;
      const end = this.offsets[j + 1]!;
      const tag = items[at];
      let ready = true;
      // a summary is built before its parts (summaryOnDemand); keys, strings, nodes and files refer to nothing; a node
      // built located is not built as a node (locatesAt)
      if (tag !== "K" && tag !== "s" && tag !== "Y" && tag !== "N" && tag !== "F" && tag !== "R") {
        for (let k = at + 1; k < end; k++) {
          const ref = items[k];
          if (typeof ref === "number" && !done(ref) && !(located && items[this.offsets[ref]!] === "Y") && !(!located && this.locatesAt(j, k - at))) {
            stack.push(ref);
            ready = false;
          }
        }
      }
      if (!ready) continue;
      stack.pop();
      values[j] = this.build(j, located);
      state[j] = BUILT;
      if (!located) this.builtCount++;
    }
    return values[i];
  }

  /** A reference's value inside an entry whose references are built. */
  private ref(r: unknown, located = false): unknown {
    if (typeof r === "number") return this.value(r, located);
    if (Array.isArray(r)) return r.length === 0 ? undefined : r[0];
    return r;
  }

  /**
   * Whether reference `k` of entry `j` is a node the engine reads only for its place — a trace step's node, a source
   * origin's, a sink site's call and argument, written with where it starts — and so is built as a {@link LocatedNode}
   * in the engine's objects too, its file's tree not read. The engine keys facts by an origin's span, compares steps'
   * places and sink sites' spans, and steps from a sink argument; what it reads as syntax — a function value's node, a
   * callback call's, an egress destination's — is written under other keys and is found in the tree. A summary a
   * redone function reads (its callees', the writers' of a store it writes) then reads no tree but for those: jackson's
   * one-line review parsed 30 files first for them, 23 only for steps, origins and sites.
   */
  private locatesAt(j: number, k: number): boolean {
    const items = this.items;
    const at = this.offsets[j]!;
    const r = items[at + k];
    if (typeof r !== "number") return false;
    const target = this.offsets[r]!;
    if (items[target] !== "N" || this.offsets[r + 1]! - target !== 6) return false;
    if (items[at] === "P") return k === 1;
    if (items[at] !== "O") return false;
    const shape = items[at + 1] as number;
    let located = this.locatedKeys.get(shape);
    if (located === undefined) {
      const keys = this.items.slice(this.offsets[shape]! + 1, this.offsets[shape + 1]) as string[];
      // a step ({ node, file, message, role, … }: trace.ts), a source origin ({ dataClass, reason, node, … }: facts.ts),
      // a sink site ({ hit, call, argument, … }: summary.ts)
      const step = keys.includes("message") && keys.includes("role");
      const origin = keys.includes("dataClass") && keys.includes("reason");
      const site = keys.includes("hit") && keys.includes("enclosing");
      this.locatedKeys.set(shape, (located = keys.map((key) => ((step || origin) && key === "node") || (site && (key === "call" || key === "argument")))));
    }
    return located[k - 2] === true;
  }

  /** The located node of "N" entry `i` (written with its start), built once. */
  private locatedNode(i: number): LocatedNode | undefined {
    if (this.locatedNodes.has(i)) return this.locatedNodes.get(i);
    if (this.state[i] === EARLIER) return this.earlier!.decoder.locatedNode(i);
    const items = this.items;
    const at = this.offsets[i]!;
    const file = items[at + 1] as number;
    const pos = items[at + 2] as number;
    const end = items[at + 3] as number;
    const found = this.lookup.has(file) || this.lookup.keeps(file, pos, end) ? this.lookup.file(file) : undefined;
    const node = found === undefined ? undefined : new LocatedNode(found, pos, end, items[at + 4] as number, items[at + 5] as number);
    this.locatedNodes.set(i, node);
    return node;
  }

  /** The object of checked entry `j` whose references are built; a syntax node found in its file now, or located. */
  private build(j: number, located: boolean): unknown {
    const items = this.items;
    const at = this.offsets[j]!;
    const end = this.offsets[j + 1]!;
    const ref = (k: number): unknown => this.ref(items[at + k], located);
    // reference k of this entry: a node the engine reads only for its place is located (locatesAt)
    const placed = (k: number): unknown => (!located && this.locatesAt(j, k) ? this.locatedNode(items[at + k] as number) : ref(k));
    switch (items[at]) {
      case "E":
        return EMPTY;
      case "A": {
        const list = new Array<unknown>(end - at - 1);
        for (let k = 1; k < end - at; k++) list[k - 1] = ref(k);
        return list;
      }
      case "S": {
        const set = new Set<unknown>();
        for (let k = 1; k < end - at; k++) set.add(ref(k));
        return set;
      }
      case "M": {
        const map = new Map<unknown, unknown>();
        for (let k = 1; k + 1 < end - at; k += 2) map.set(ref(k), ref(k + 1));
        return map;
      }
      case "K":
        return items.slice(at + 1, end);
      case "O": {
        const keys = ref(1) as string[];
        const o: Record<string, unknown> = {};
        for (let k = 0; k < keys.length; k++) o[keys[k] as string] = placed(k + 2);
        return o;
      }
      case "P": {
        const node = placed(1) as Step["node"];
        const file = ref(2) as FileRef;
        const message = ref(3) as string;
        const role = ref(4) as Step["role"];
        const length = ref(5) as number;
        const enters = ref(6) as string | undefined;
        const prev = ref(7) as Step | undefined;
        // built in one literal (no spread of a part); the keys in the order they always had: the shape a next entry writes
        return enters !== undefined ? { node, file, message, role, enters, prev, length } : { node, file, message, role, prev, length };
      }
      case "T":
        return splicedStep(ref(1) as Step | undefined, ref(2) as Step);
      case "s":
        return items[at + 1];
      case "Y":
        // its parts when it is read: most summaries of an entry are never read
        return summaryOnDemand(() => makeSummary(ref(1) as Value, ref(2) as ReadonlyMap<string, Value>, ref(3) as readonly SinkEntry[], ref(4) as readonly CallbackEntry[]));
      case "F":
        return this.lookup.sourceFile(items[at + 1] as number);
      case "R":
        return this.lookup.file(items[at + 1] as number);
      case "N": {
        if (located && end - at === 6) return this.locatedNode(j);
        const file = items[at + 1] as number;
        const pos = items[at + 2] as number;
        const to = items[at + 3] as number;
        const found = this.lookup.node(file, pos, to, items[at + 4] as number);
        // not there in the file's unchanged text (or a kept statement's): not an entry flowgate wrote (its seal checked
        // out, so one forged)
        if (found === undefined && (this.lookup.has(file) || this.lookup.keeps(file, pos, to))) {
          throw new CacheFormatError("a node of an unchanged file is not in it");
        }
        return found;
      }
      default:
        // "X": built as nothing
        return undefined;
    }
  }
}

/** A file's text, read without its tree when the file is the scan's (a located node's span is checked against it). */
function textOf(file: FileRef): string {
  return file instanceof ScannedFile ? file.text : file.sourceFile.text;
}

/** A cache entry that does not have the shape flowgate writes: ignored with a note, never trusted. */
export class CacheFormatError extends Error {
  override name = "CacheFormatError";
}
