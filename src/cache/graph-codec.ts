import { ts } from "ts-morph";
import { forEachChild } from "../compiler-direct.js";
import { EMPTY } from "../dataflow/value.js";
import { makeSummary, summaryOnDemand, type CallbackEntry, type SinkEntry, type Summary } from "../dataflow/summary.js";
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

/** An entry's object: not built yet, built by this decoder, or the earlier decoding's. */
const UNBUILT = 0;
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
 * decoded anew.
 */
export class GraphDecoder {
  private readonly values: unknown[];
  private readonly state: Uint8Array;
  /** The objects built with located nodes ({@link located}), apart from those built with nodes. */
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
    private readonly entries: readonly Entry[],
    private readonly lookup: NodeLookup,
    private readonly earlier?: EarlierDecoding,
  ) {
    if (earlier !== undefined && earlier.decoder.entries.length !== entries.length) throw new Error("an earlier decoding of another table");
    this.values = new Array<unknown>(entries.length);
    this.state = new Uint8Array(entries.length);
    this.stale = new Uint8Array(entries.length);
    if (earlier !== undefined) this.touched = new Uint8Array(entries.length);
    for (let i = 0; i < entries.length; i++) this.check(i, lookup);
  }

  /**
   * Where a reference's syntax node is (an "N" entry's file, span and kind; an "F" entry's file, its top level: the span
   * is not written, and a place of kind SourceFile is the whole file), without finding it; else undefined.
   */
  place(ref: Ref): { file: number; pos: number; end: number; kind: number } | undefined {
    if (typeof ref !== "number") return undefined;
    this.inRange(ref, this.entries.length);
    const entry = this.entries[ref] as Entry;
    if (entry[0] === "F") return { file: entry[1] as number, pos: 0, end: 0, kind: ts.SyntaxKind.SourceFile };
    return entry[0] === "N" ? { file: entry[1] as number, pos: entry[2] as number, end: entry[3] as number, kind: entry[4] as number } : undefined;
  }

  get(ref: Ref): Decoded {
    if (typeof ref === "number") {
      this.inRange(ref, this.entries.length);
      return { value: this.value(ref), stale: this.stale[ref] === 1 };
    }
    if (Array.isArray(ref)) return { value: ref.length === 0 ? undefined : ref[0], stale: false };
    return { value: ref, stale: false };
  }

  /**
   * The reference's object built with {@link LocatedNode}s where the entry says where a node starts — a flow of a
   * record taken over, which only the report and the next entry read: decoding it finds no node and parses no file.
   * Built apart from {@link get}'s objects (the engine's summaries must hold the nodes themselves).
   */
  located(ref: Ref): Decoded {
    if (typeof ref !== "number") return this.get(ref);
    this.inRange(ref, this.entries.length);
    return { value: this.value(ref, true), stale: this.stale[ref] === 1 };
  }

  /** Whether the reference's object is stale, without building it. */
  isStale(ref: Ref): boolean {
    if (typeof ref !== "number") return false;
    this.inRange(ref, this.entries.length);
    return this.stale[ref] === 1;
  }

  /** How many entries' objects this decoder built (not the earlier decoding's): what a test holds it to. */
  built(): number {
    return this.builtCount;
  }

  private inRange(ref: number, below: number): void {
    if (!Number.isInteger(ref) || ref < 0 || ref >= below) throw new CacheFormatError(`reference ${ref} out of range`);
  }

  /** Checks entry `i`, finds its node again, and sets whether it is stale (and, with an earlier decoding, touched). */
  private check(i: number, lookup: NodeLookup): void {
    const entry = this.entries[i] as Entry;
    if (!Array.isArray(entry) || typeof entry[0] !== "string") throw new CacheFormatError("an entry is not a tagged list");
    const earlier = this.earlier;
    switch (entry[0]) {
      case "E":
      case "K":
      case "s":
        return;
      case "X":
        this.stale[i] = 1;
        return;
      case "F":
      case "R":
      case "N": {
        if (earlier !== undefined && !earlier.differs(entry[1] as number)) {
          this.adopt(i, earlier);
          return;
        }
        if (this.touched !== undefined) this.touched[i] = 1;
        // found when built: a node of a file parsed as it was written is always there (same text, same tree), one of a
        // changed file never (the lookup has no parse of it)
        if (entry[0] === "N" && !(Number.isInteger(entry[2]) && Number.isInteger(entry[3]) && Number.isInteger(entry[4]))) throw new CacheFormatError("a node without its span and kind");
        // where its first token starts (written with every node but a record's own, graph-codec's `place`): in its span
        if (entry[0] === "N" && entry.length > 5 && !(entry.length === 6 && Number.isInteger(entry[5]) && (entry[2] as number) <= (entry[5] as number) && (entry[5] as number) <= (entry[3] as number))) {
          throw new CacheFormatError("a node's start is not in its span");
        }
        // a changed file's node is found when it lies in a statement the change kept (and so is the file, for a step's or
        // an origin's reference to it); its top level ("F") never is
        const found =
          lookup.has(entry[1] as number) ||
          (entry[0] === "N" && lookup.keeps(entry[1] as number, entry[2] as number, entry[3] as number)) ||
          (entry[0] === "R" && lookup.keeps(entry[1] as number));
        if (!found) this.stale[i] = 1;
        // a node built located is never looked for in its file's tree: a span past the file's end is not a place in it,
        // so not an entry flowgate wrote — refused here, with the rest of the entry, not when the engine first reads it
        else if (entry[0] === "N" && entry.length === 6 && (entry[3] as number) > textOf(lookup.file(entry[1] as number)!).length) {
          throw new CacheFormatError("a node's span is not in its file");
        }
        return;
      }
      case "O": {
        this.inRange(entry[1] as number, i);
        const keys = this.entries[entry[1] as number];
        if (!Array.isArray(keys) || (keys[0] !== "K" && keys[0] !== "A") || keys.length !== entry.length - 1) throw new CacheFormatError("an object does not match its shape");
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
        throw new CacheFormatError(`unknown entry tag ${JSON.stringify(entry[0])}`);
    }
    // references are bare numbers (literal numbers are written [n]; keys and strings are strings)
    let stale = 0;
    let touched = 0;
    for (let k = 1; k < entry.length; k++) {
      const ref = entry[k];
      if (typeof ref !== "number") continue;
      this.inRange(ref, i);
      stale |= this.stale[ref]!;
      if (this.touched !== undefined) touched |= this.touched[ref]!;
    }
    if (earlier !== undefined && touched === 0) {
      this.adopt(i, earlier);
      return;
    }
    if (this.touched !== undefined) this.touched[i] = touched;
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
    const { values, state } = located ? this.locatedParts() : { values: this.values, state: this.state };
    if (state[i] === BUILT) return values[i];
    if (state[i] === EARLIER) return this.earlier!.decoder.value(i, located);
    // a summary is the engine's (summaryOnDemand), whoever reaches it
    if (located && (this.entries[i] as Entry)[0] === "Y") return this.value(i);
    const stack = [i];
    while (stack.length > 0) {
      const j = stack[stack.length - 1]!;
      if (state[j] !== UNBUILT) {
        stack.pop();
        continue;
      }
      const entry = this.entries[j] as Entry;
      let ready = true;
      // a summary is built before its parts (summaryOnDemand); keys, strings, nodes and files refer to nothing; a node
      // built located is not built as a node (locatesAt)
      if (entry[0] !== "K" && entry[0] !== "s" && entry[0] !== "Y" && entry[0] !== "N" && entry[0] !== "F" && entry[0] !== "R") {
        for (let k = 1; k < entry.length; k++) {
          const ref = entry[k];
          if (typeof ref === "number" && state[ref] === UNBUILT && !(located && (this.entries[ref] as Entry)[0] === "Y") && !(!located && this.locatesAt(entry, k))) {
            stack.push(ref);
            ready = false;
          }
        }
      }
      if (!ready) continue;
      stack.pop();
      values[j] = this.build(entry, located, j);
      state[j] = BUILT;
      if (!located) this.builtCount++;
    }
    return values[i];
  }

  /** The objects built with located nodes: entries the earlier decoding has are its own (built there with located nodes). */
  private locatedParts(): { values: unknown[]; state: Uint8Array } {
    return (this.locatedBuilds ??= {
      values: new Array<unknown>(this.entries.length),
      state: this.state.map((s) => (s === EARLIER ? EARLIER : UNBUILT)),
    });
  }

  /** A reference's value inside an entry whose references are built. */
  private ref(r: unknown, located = false): unknown {
    if (typeof r === "number") return this.value(r, located);
    if (Array.isArray(r)) return r.length === 0 ? undefined : r[0];
    return r;
  }

  /**
   * Whether reference `k` of `entry` is a node the engine reads only for its place — a trace step's node, a source
   * origin's, a sink site's call and argument, written with where it starts — and so is built as a {@link LocatedNode}
   * in the engine's objects too, its file's tree not read. The engine keys facts by an origin's span, compares steps'
   * places and sink sites' spans, and steps from a sink argument; what it reads as syntax — a function value's node, a
   * callback call's, an egress destination's — is written under other keys and is found in the tree. A summary a
   * redone function reads (its callees', the writers' of a store it writes) then reads no tree but for those: jackson's
   * one-line review parsed 30 files first for them, 23 only for steps, origins and sites.
   */
  private locatesAt(entry: Entry, k: number): boolean {
    const r = entry[k];
    if (typeof r !== "number") return false;
    const target = this.entries[r] as Entry;
    if (target[0] !== "N" || target.length !== 6) return false;
    if (entry[0] === "P") return k === 1;
    if (entry[0] !== "O") return false;
    const shape = entry[1] as number;
    let located = this.locatedKeys.get(shape);
    if (located === undefined) {
      const keys = (this.entries[shape] as Entry).slice(1) as string[];
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
    const entry = this.entries[i] as Entry;
    const at = entry[1] as number;
    const file = this.lookup.has(at) || this.lookup.keeps(at, entry[2] as number, entry[3] as number) ? this.lookup.file(at) : undefined;
    const node = file === undefined ? undefined : new LocatedNode(file, entry[2] as number, entry[3] as number, entry[4] as number, entry[5] as number);
    this.locatedNodes.set(i, node);
    return node;
  }

  /** The object of a checked entry whose references are built; a syntax node found in its file now, or located. */
  private build(entry: Entry, located: boolean, index: number): unknown {
    const ref = (r: unknown): unknown => this.ref(r, located);
    // reference k of this entry: a node the engine reads only for its place is located (locatesAt)
    const at = (k: number): unknown => (!located && this.locatesAt(entry, k) ? this.locatedNode(entry[k] as number) : ref(entry[k]));
    switch (entry[0]) {
      case "E":
        return EMPTY;
      case "A": {
        const list = new Array<unknown>(entry.length - 1);
        for (let i = 1; i < entry.length; i++) list[i - 1] = ref(entry[i]);
        return list;
      }
      case "S": {
        const set = new Set<unknown>();
        for (let i = 1; i < entry.length; i++) set.add(ref(entry[i]));
        return set;
      }
      case "M": {
        const map = new Map<unknown, unknown>();
        for (let i = 1; i + 1 < entry.length; i += 2) map.set(ref(entry[i]), ref(entry[i + 1]));
        return map;
      }
      case "K":
        return entry.slice(1);
      case "O": {
        const keys = ref(entry[1]) as string[];
        const o: Record<string, unknown> = {};
        for (let i = 0; i < keys.length; i++) o[keys[i] as string] = at(i + 2);
        return o;
      }
      case "P": {
        const node = at(1) as Step["node"];
        const [file, message, role, length, enters] = entry.slice(2, 7).map((r) => ref(r)) as [FileRef, string, Step["role"], number, string | undefined];
        const prev = ref(entry[7]) as Step | undefined;
        return { node, file, message, role, ...(enters !== undefined ? { enters } : {}), prev, length };
      }
      case "T":
        return splicedStep(ref(entry[1]) as Step | undefined, ref(entry[2]) as Step);
      case "s":
        return entry[1];
      case "Y":
        // its parts when it is read: most summaries of an entry are never read
        return summaryOnDemand(() =>
          makeSummary(
            ref(entry[1]) as Value,
            ref(entry[2]) as ReadonlyMap<string, Value>,
            ref(entry[3]) as readonly SinkEntry[],
            ref(entry[4]) as readonly CallbackEntry[],
          ),
        );
      case "F":
        return this.lookup.sourceFile(entry[1] as number);
      case "R":
        return this.lookup.file(entry[1] as number);
      case "N": {
        if (located && entry.length === 6) return this.locatedNode(index);
        const found = this.lookup.node(entry[1] as number, entry[2] as number, entry[3] as number, entry[4] as number);
        // not there in the file's unchanged text (or a kept statement's): not an entry flowgate wrote (its seal checked
        // out, so one forged)
        if (found === undefined && (this.lookup.has(entry[1] as number) || this.lookup.keeps(entry[1] as number, entry[2] as number, entry[3] as number))) {
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
