import * as crypto from "node:crypto";
import type { ts } from "ts-morph";
import type { Destination } from "../vocabulary/flow.js";
import type { DestinationValue } from "./destinations/index.js";
import type { RestrictedDoor, SinkHit } from "../vocabulary/question.js";
import type { ClassFact, Fact, SymbolFact } from "./facts.js";
import type { FileRef, Step } from "./trace.js";
import type { LocatedNode } from "./located-node.js";
import { EMPTY, type Value } from "./value.js";
import { otherPaths } from "./other-paths.js";

/** A sink call as the engine saw it: where it is, what it is, where it sends. */
export interface SinkSite {
  readonly hit: SinkHit;
  readonly call: ts.CallExpression | ts.NewExpression | LocatedNode;
  readonly argument: ts.Node | LocatedNode;
  readonly file: FileRef;
  /** Qualified name of the function that contains the sink (`src/notify.ts#Notifier.send`). */
  readonly enclosing: string;
  readonly destination: Destination;
  /** The destination as a value; symbolic (`Param(i)`) while the sink sits in a summary, substituted per call site. */
  readonly destinationValue?: DestinationValue;
  /**
   * The vetted door, vetted for some data classes only, that the sink sits in (directly, or by a call made inside the
   * door): data of those classes reaching it stays inside; of any other class it is a flow.
   */
  readonly door?: RestrictedDoor;
}

/** A symbolic fact of a function (a parameter, `this`) reaching a sink inside it: a finding wherever it is called with data. */
export interface SinkEntry {
  readonly fact: SymbolFact;
  readonly site: SinkSite;
  /**
   * The same fact at the same site by other paths through the function (other-paths.ts): a wrapper's callers in the
   * function's callees, each a way out a flow shows beside its shortest. Not part of the summary's key: a caller is
   * not analysed again for another path alone. Outside a cycle of calls a callee's summary is final before its
   * callers read it; inside one, naming the other paths' files in the key sent growthbook's query runners round
   * 707 more times (18,205 → 18,912 analyses) for no path a result shows (performance.md, session 49 — lead).
   */
  readonly others?: readonly SymbolFact[];
}

/**
 * `entry` with the other paths among `candidates` (and its own) worth keeping beside its fact's (other-paths.ts), or
 * `entry` itself when there are none.
 */
export function withOtherPaths(entry: SinkEntry, candidates: readonly SymbolFact[]): SinkEntry {
  const all = entry.others ? [...entry.others, ...candidates] : candidates;
  if (all.length === 0) return entry;
  const others = otherPaths(entry.fact.step, all.filter((f) => f !== entry.fact && f.step !== entry.fact.step), (f) => f.step);
  if (others.length === 0) return entry.others ? { fact: entry.fact, site: entry.site } : entry;
  return { fact: entry.fact, site: entry.site, others };
}

/** A concrete fact reaching a sink: one flow (before de-duplication and rendering). */
export interface FlowRecord {
  readonly fact: ClassFact;
  readonly site: SinkSite;
  /** The whole trace, sink step included. */
  readonly step: Step;
}

/**
 * A call of a caller-supplied function inside the callee (`fn(u)` with `fn` a parameter, `list.map(fn)`): at each call
 * site the actual callback runs with these (substituted) arguments, and its result stands for the symbol `r<index>`.
 */
export interface CallbackEntry {
  readonly callee: SymbolFact;
  readonly args: readonly Value[];
  readonly index: number;
  readonly node: ts.Node;
}

/**
 * What a function does to what its caller gives it, in symbolic facts (`p0.phone`, `this.token`): the value it
 * returns, what it writes into fields of its parameters and of `this`, and which of them reach sinks.
 */
export interface Summary {
  readonly returns: Value;
  /**
   * Per root (`p0`, `this`): the fields written, as a tree (for constructors, `this` is the object built); per channel
   * key (`c:…`, interpret/channels.ts): the message the function put on that channel.
   */
  readonly effects: ReadonlyMap<string, Value>;
  readonly sinks: readonly SinkEntry[];
  readonly callbacks: readonly CallbackEntry[];
  /** Canonical text of the above (facts by identity, traces ignored): a summary that did not change stops a fixpoint. */
  readonly key: string;
}

/**
 * A summary whose key is computed on first use: the key only matters when a function is analysed again (it tells the
 * worklist whether callers must follow), and most functions are analysed once.
 */
export function makeSummary(
  returns: Value,
  effects: ReadonlyMap<string, Value>,
  sinks: readonly SinkEntry[],
  callbacks: readonly CallbackEntry[],
): Summary {
  let key: string | undefined;
  return {
    returns,
    effects,
    sinks,
    callbacks,
    get key() {
      return (key ??= summaryKey(returns, effects, sinks, callbacks));
    },
  };
}

/**
 * A summary whose parts are built when first read: an analysis cache entry's (GraphDecoder builds its objects on first
 * use). A cached review reads the summaries of the functions its redone code calls, and summaries' values are most of
 * an entry's objects, so the others are never built. One object per summary, its getters its class's: an object literal
 * with getters made five closures and their accessor pairs for every summary an entry holds (hoppscotch's cached review
 * decodes ~3,560: 1.7 MB).
 */
export function summaryOnDemand(build: () => Summary): Summary {
  return new SummaryOnDemand(build);
}

/** A summary built on demand ({@link summaryOnDemand}); the encoder writes it as any summary (cache/graph-codec.ts). */
export class SummaryOnDemand implements Summary {
  private built: Summary | undefined;

  constructor(private build: (() => Summary) | undefined) {}

  get returns(): Value {
    return this.summary().returns;
  }

  get effects(): ReadonlyMap<string, Value> {
    return this.summary().effects;
  }

  get sinks(): readonly SinkEntry[] {
    return this.summary().sinks;
  }

  get callbacks(): readonly CallbackEntry[] {
    return this.summary().callbacks;
  }

  get key(): string {
    return this.summary().key;
  }

  private summary(): Summary {
    if (this.built === undefined) {
      this.built = (this.build as () => Summary)();
      this.build = undefined;
    }
    return this.built;
  }
}

export const EMPTY_SUMMARY: Summary = { returns: EMPTY, effects: new Map(), sinks: [], callbacks: [], key: "" };

function factKeys(facts: ReadonlyMap<string, Fact> | undefined): string {
  return facts ? [...facts.keys()].sort().join(",") : "";
}

/**
 * Canonical ids of value trees, ignoring traces: a node's canonical text names its children by their ids, so equal trees
 * get equal ids and each node object is keyed once. Summaries' trees share subtrees (a DAG of a few hundred nodes can
 * unfold into a text of megabytes), so spelling every tree out in full made comparing two summaries cost more than
 * analysing the function. An id is a hash of the canonical text, not a counter: a summary's key then means the same in
 * every process, so the analysis cache can keep it and a later process can tell whether a function's summary changed
 * (src/cache/, reuse.ts: callers are analysed again only when it did).
 */
const idsOfNodes = new WeakMap<Value, string>();

function valueId(v: Value): string {
  let id = idsOfNodes.get(v);
  if (id !== undefined) return id;
  let s = factKeys(v.facts);
  if (v.fields) {
    const parts = [...v.fields.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    s += "{" + parts.map(([k, c]) => `${k}:${valueId(c)}`).join(";") + "}";
  }
  if (v.fns) s += "<" + v.fns.map((f) => `${f.file.path}:${f.node.pos}`).join(",") + ">";
  if (v.strong) s += "!";
  // a 128-bit digest: equal ids for different trees would need a crafted SHA-256 collision
  id = sha256(s).slice(0, 22);
  idsOfNodes.set(v, id);
  return id;
}

/**
 * SHA-256 in base64. The one-shot digest (Node 20.12 and later) makes no Hash object per call: a re-run of a function
 * gives every node of its summary's trees an id (growthbook's query runners, thousands of nodes a run), and
 * `createHash(…).update(…).digest()` cost several times the digest itself there.
 */
const sha256: (text: string) => string =
  typeof crypto.hash === "function"
    ? (text) => crypto.hash("sha256", text, "base64")
    : (text) => crypto.createHash("sha256").update(text).digest("base64");

/** Canonical key of a value, ignoring traces: used only to detect that a summary stopped changing. */
export function valueKey(v: Value): string {
  return `#${valueId(v)}`;
}

/**
 * A sink site's part of a summary's key, once per site object: a summary's entries share a few sites, which a callee's
 * entries bring unchanged run after run (up to `summaryEntries` entries, each keyed again at every run).
 */
const keysOfSites = new WeakMap<SinkSite, string>();

/** A sink site as a summary's key names it: its file, argument and destination. */
export function siteKey(site: SinkSite): string {
  let key = keysOfSites.get(site);
  if (key === undefined) keysOfSites.set(site, (key = `${site.file.path}:${site.argument.pos}>${JSON.stringify(site.destination)}`));
  return key;
}

/**
 * A summary's key: the digest of its canonical text, as a value's id is. The text names each sink entry and callback
 * (up to `summaryEntries` of them, a fact's key and a site's each) and the key is kept with the summary for as long as
 * the record lives; growthbook's scan kept 19 MB of these texts (performance.md, session 39 — helper M).
 */
export function summaryKey(
  returns: Value,
  effects: ReadonlyMap<string, Value>,
  sinks: readonly SinkEntry[],
  callbacks: readonly CallbackEntry[],
): string {
  const e = [...effects.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${k}=${valueKey(v)}`);
  return sha256(`${valueKey(returns)}|${e.join(";")}|${sinksKey(sinks)}|${callbacksKey(callbacks)}`).slice(0, 22);
}

/**
 * Whether two values have the same canonical key — the same fact keys at the same places, the same functions, the same
 * strong flags; traces ignored — found by walking both trees instead of spelling and hashing each. A function analysed
 * again compares its new summary with the previous one part by part (reads.ts), and the keys of its new trees were
 * made for that comparison alone: every node of a re-run's summary is a new object, so each comparison gave every
 * node a sorted text and a SHA-256 digest (7 % of growthbook's CPU, nearly all of it in re-runs that end at the
 * SCC-rounds budget). The walk stops at the first difference, and a pair of subtrees found equal is not walked again
 * (trees share subtrees). Equal keys and an equal walk are the same relation: the key's text is a function of what the
 * walk compares.
 */
export function sameValueKeys(a: Value, b: Value, equal: Map<Value, Value> = new Map()): boolean {
  if (a === b || equal.get(a) === b) return true;
  if (!!a.strong !== !!b.strong || !sameFactKeys(a.facts, b.facts)) return false;
  // a node's text spells its function list and its field map whenever it has one, empty or not
  if ((a.fns === undefined) !== (b.fns === undefined) || (a.fields === undefined) !== (b.fields === undefined)) return false;
  if (a.fns !== undefined && b.fns !== undefined) {
    if (a.fns.length !== b.fns.length) return false;
    for (let i = 0; i < a.fns.length; i++) {
      const x = a.fns[i]!;
      const y = b.fns[i]!;
      if (x.node.pos !== y.node.pos || x.file.path !== y.file.path) return false;
    }
  }
  if (a.fields !== undefined && b.fields !== undefined) {
    if (a.fields.size !== b.fields.size) return false;
    for (const [name, child] of a.fields) {
      const other = b.fields.get(name);
      if (other === undefined || !sameValueKeys(child, other, equal)) return false;
    }
  }
  equal.set(a, b);
  return true;
}

function sameFactKeys(a: ReadonlyMap<string, Fact> | undefined, b: ReadonlyMap<string, Fact> | undefined): boolean {
  if ((a?.size ?? 0) !== (b?.size ?? 0)) return false;
  for (const key of a?.keys() ?? []) if (!b!.has(key)) return false;
  return true;
}

/** Whether two lists of sink entries have the same part of a summary's key (the same fact keys at the same sites). */
export function sameSinkKeys(a: readonly SinkEntry[], b: readonly SinkEntry[]): boolean {
  if (a.length !== b.length) return false;
  // a re-run lists its entries in the order it met them, mostly the sites of the run before: only a list that differs
  // there is keyed as a multiset
  let inOrder = true;
  for (let i = 0; i < a.length && inOrder; i++) inOrder = entryKey(a[i]!) === entryKey(b[i]!);
  return inOrder || sinksKey(a) === sinksKey(b);
}

/** Whether two lists of callback entries have the same part of a summary's key. */
export function sameCallbackKeys(a: readonly CallbackEntry[], b: readonly CallbackEntry[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.index !== y.index || x.callee.key !== y.callee.key || x.args.length !== y.args.length) return false;
    if (!x.args.every((arg, j) => sameValueKeys(arg, y.args[j]!))) return false;
  }
  return true;
}

/** The sink entries' part of a summary's key (reads.ts compares it alone). */
export function sinksKey(sinks: readonly SinkEntry[]): string {
  return sinks.map(entryKey).sort().join(";");
}

/** A sink entry's part of its summary's key: its fact at its site (not its other paths: see SinkEntry). */
function entryKey(entry: SinkEntry): string {
  return `${entry.fact.key}@${siteKey(entry.site)}`;
}

/** The callback entries' part of a summary's key. */
export function callbacksKey(callbacks: readonly CallbackEntry[]): string {
  return callbacks.map((x) => `${x.index}:${x.callee.key}(${x.args.map(valueKey).join(",")})`).join(";");
}
