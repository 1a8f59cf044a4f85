import { ts } from "ts-morph";
import { Kind, isConstructorDeclaration } from "../compiler-direct.js";
import type { EgressSeen, EngineContext, FunctionRecord } from "./context.js";
import { symbolFact, type SymbolFact } from "./facts.js";
import { declaringClass, dispatchesOnThis, isMethodBody } from "./receiver-dispatch.js";
import { nodeOf } from "./record-table.js";
import { siteKey, withOtherPaths, type CallbackEntry, type FlowRecord, type SinkEntry, type Summary } from "./summary.js";
import { factMapper, joinAll, mapFactsWith, type FactMapper, type Value } from "./value.js";

/**
 * The general record of an abstract class's method, made of its receiver variants (receiver-dispatch.ts).
 *
 * A base-class method whose `this.m()` calls dispatch to several bodies is analysed once per subclass it is called on
 * (a receiver variant: only the bodies an instance of that subclass runs) and once as a body of its own, for callers
 * that do not know the receiver's class (`runner: QueryRunner`) and for its flows: that general analysis runs every
 * subclass's body at every `this.m()` and joins them, and where the methods call one another through `this` in a
 * cycle, the general records of the cycle queue one another round after round at the size of every subclass's data
 * joined (growthbook's query runners: nine runs each of `startReadyQueries`, `runRefreshPass`, `onQueryFinish`,
 * `startAnalysis`, at 7,000–10,000 facts a summary).
 *
 * An abstract class has no instance of its own (TypeScript refuses `new` of it; `new this.constructor()` makes one of
 * the receiver's class, which is concrete): `this` in its method is an instance of one of the concrete classes below
 * it. Each concrete class the project declares directly below it — or below an abstract class in between — covers
 * itself and every class under it: its variant runs the bodies an instance of it or of a subclass runs. So, where the
 * method's result can differ by receiver and such classes exist, the general record runs no body of its own: its
 * summary is the join of those variants' summaries, its flows, sink calls and unresolved calls theirs. The class
 * hierarchy is the project's, as class-hierarchy dispatch's is (a subclass outside the scanned files is not seen there
 * either). A concrete class's method keeps its own general analysis: `new Base()` may make an instance whose `this.m()`
 * runs the base's own body, and whether anything does is a question of the whole program (a factory, a class handed
 * around as a value).
 */

/** The variants a general record is the join of, or undefined when it is analysed as a body of its own. */
export function variantsToJoin(ctx: EngineContext, rec: FunctionRecord): readonly FunctionRecord[] | undefined {
  let variants = ctx.joined.get(rec);
  if (variants === undefined) ctx.joined.set(rec, (variants = coveringVariants(ctx, rec) ?? null));
  return variants ?? undefined;
}

function coveringVariants(ctx: EngineContext, rec: FunctionRecord): FunctionRecord[] | undefined {
  if (rec.receiver !== undefined || rec.knowledge !== undefined) return undefined;
  const node = nodeOf(rec);
  // a constructor runs for `new` of a subclass through `super(…)`, with that subclass's receiver; a static method's
  // `this` is a class, not an instance
  if (!isMethodBody(node) || isConstructorDeclaration(node) || hasModifier(node, Kind.StaticKeyword)) return undefined;
  const cls = declaringClass(node);
  if (cls === undefined || !hasModifier(cls, Kind.AbstractKeyword)) return undefined;
  if (!dispatchesOnThis(node, (call) => ctx.question.callAt(call), ctx.dispatching)) return undefined;
  const classes = concreteBelow(ctx, cls, new Set([cls]));
  return classes.length > 0 ? classes.map((c) => ctx.receiverVariant(rec, c)) : undefined;
}

/** The concrete classes directly below `cls`, looking through abstract ones in between, in file order. */
function concreteBelow(ctx: EngineContext, cls: ts.ClassLikeDeclaration, seen: Set<ts.ClassLikeDeclaration>): ts.ClassLikeDeclaration[] {
  const out: ts.ClassLikeDeclaration[] = [];
  for (const sub of ctx.question.subclassesOf?.(cls) ?? []) {
    if (seen.has(sub)) continue;
    seen.add(sub);
    if (hasModifier(sub, Kind.AbstractKeyword)) out.push(...concreteBelow(ctx, sub, seen));
    else out.push(sub);
  }
  return out;
}

function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node)?.some((m) => m.kind === kind) ?? false);
}

/** The parts of a summary joined from the variants' (not yet cut to the budgets: the analysis's `summarised` does that). */
export interface JoinedParts {
  readonly returns: Value;
  readonly effects: Map<string, Value>;
  readonly sinks: SinkEntry[];
  readonly callbacks: CallbackEntry[];
}

/**
 * The variants' summaries joined. A callback entry is a call of a caller-supplied function at one node of the body, and
 * its number stands for that call's result in the values (`r<k>`): each variant numbers its own, so the entries of one
 * callee and node are one entry here, numbered in the order first met, and the variants' values renamed to match. Sink
 * entries are kept once per fact and site (the variants' site objects differ for one sink argument).
 *
 * `numberedFirst` (one of `summaries`) keeps its own numbers, the others' new entries numbered after it: a re-run of a
 * record in a cycle joined with its previous run's summary (interpret.ts `joinedWithPrevious`) then numbers its callbacks
 * as that summary did, whatever order the run met them in. The order of everything else stays that of `summaries`.
 */
export function joinSummaries(summaries: readonly Summary[], numberedFirst?: Summary): JoinedParts {
  // a slot numbered ahead (`numberedFirst`'s) is filled by the first summary in order that has the entry
  const callbacks: (CallbackEntry | undefined)[] = [];
  const numbers = new Map<ts.Node, Map<string, number>>();
  for (const entry of numberedFirst?.callbacks ?? []) {
    let byCallee = numbers.get(entry.node);
    if (byCallee === undefined) numbers.set(entry.node, (byCallee = new Map()));
    if (!byCallee.has(entry.callee.key)) {
      byCallee.set(entry.callee.key, callbacks.length);
      callbacks.push(undefined);
    }
  }
  const returns: Value[] = [];
  const effects = new Map<string, Value[]>();
  const sinks: SinkEntry[] = [];
  const sinkKeys = new Map<string, number>();
  // per entry, the same fact at the same site in the variants after the first: candidates for its other paths
  const sinkCandidates = new Map<number, SymbolFact[]>();
  for (const summary of summaries) {
    const renamed = new Map<string, string>();
    const numbered: [CallbackEntry, number][] = [];
    for (const entry of summary.callbacks) {
      let byCallee = numbers.get(entry.node);
      if (byCallee === undefined) numbers.set(entry.node, (byCallee = new Map()));
      let number = byCallee.get(entry.callee.key);
      if (number === undefined) {
        byCallee.set(entry.callee.key, (number = callbacks.length));
        callbacks.push({ ...entry, args: [], index: number });
      }
      if (number !== entry.index) renamed.set(`r${entry.index}`, `r${number}`);
      numbered.push([entry, number]);
    }
    const mapper = renamed.size > 0 ? renaming(renamed) : undefined;
    const rename = (v: Value) => (mapper ? mapFactsWith(v, mapper) : v);
    for (const [entry, number] of numbered) {
      const joined = callbacks[number];
      const args = entry.args.map(rename);
      callbacks[number] = joined === undefined ? { ...entry, args, index: number } : { ...joined, args: joined.args.length === 0 ? args : joinArgs(joined.args, args) };
    }
    returns.push(rename(summary.returns));
    for (const [root, tree] of summary.effects) {
      const trees = effects.get(root);
      if (trees) trees.push(rename(tree));
      else effects.set(root, [rename(tree)]);
    }
    for (const entry of summary.sinks) {
      const rename = (f: SymbolFact) => (mapper && renamed.has(f.root) ? symbolFact(renamed.get(f.root)!, f.path, f.step, f.without) : f);
      const fact = rename(entry.fact);
      const key = `${fact.key}@${siteKey(entry.site)}`;
      const i = sinkKeys.get(key);
      if (i !== undefined) {
        // the first variant's trace stays the entry's; another variant's is another path (its own wrapper's caller)
        const candidates = sinkCandidates.get(i) ?? [];
        candidates.push(fact, ...(entry.others ?? []).map(rename));
        sinkCandidates.set(i, candidates);
        continue;
      }
      sinkKeys.set(key, sinks.length);
      sinks.push(fact === entry.fact ? entry : { fact, site: entry.site, ...(entry.others ? { others: entry.others.map(rename) } : {}) });
    }
  }
  return {
    returns: joinAll(returns),
    effects: new Map([...effects].map(([root, trees]) => [root, joinAll(trees)])),
    sinks: sinkCandidates.size > 0 ? sinks.map((entry, i) => withOtherPaths(entry, sinkCandidates.get(i) ?? [])) : sinks,
    callbacks: callbacks as CallbackEntry[],
  };
}

function joinArgs(a: readonly Value[], b: readonly Value[]): Value[] {
  const out: Value[] = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) out.push(joinAll([a[i], b[i]].filter((v): v is Value => v !== undefined)));
  return out;
}

/** Symbolic results of callbacks (`r<k>`) renamed. */
function renaming(renamed: ReadonlyMap<string, string>): FactMapper {
  return factMapper((f) => {
    const root = f.kind === "symbol" ? renamed.get(f.root) : undefined;
    return root !== undefined && f.kind === "symbol" ? symbolFact(root, f.path, f.step, f.without) : f;
  });
}

/**
 * The variants' flows, sink calls and unresolved calls become the general record's: a variant run again after the
 * general record last joined it may have found more flows with the same summary, so the analysis takes them again once
 * it has settled (analyze.ts).
 */
export function takeVariantsResults(rec: FunctionRecord, variants: readonly FunctionRecord[]): void {
  const flows: FlowRecord[] = [];
  const egress = new Map<string, EgressSeen>();
  const unresolved = new Set<string>();
  for (const variant of variants) {
    flows.push(...variant.flows);
    for (const [span, seen] of variant.egress) {
      const known = egress.get(span);
      egress.set(span, known === undefined ? seen : { ...known, classes: new Set([...known.classes, ...seen.classes]) });
    }
    for (const span of variant.unresolved) unresolved.add(span);
  }
  rec.flows = flows;
  rec.egress = egress;
  rec.unresolved = unresolved;
}

/**
 * What the variants of the joined records read, recorded as read by those records, once the analysis has settled. A
 * later analysis starting from this one (reuse.ts, the analysis cache) keeps records and their callers and a store's
 * readers, but no variant: it redoes a record when something it read changed, and a joined record reads only its
 * variants. So each joined record becomes a dependent of every function its variants' summaries came from — through
 * the variants of other methods they called, the function each is a variant of — and a reader of every store they
 * read; then a change to a subclass's override, or to anything below it, redoes the joined record, as it redid the
 * general analysis that read those bodies itself. Made after the worklist has settled, so it queues nothing in this
 * analysis.
 */
export function recordJoinedReads(ctx: EngineContext): void {
  const joined = [...ctx.joined].filter((entry): entry is [FunctionRecord, readonly FunctionRecord[]] => entry[1] !== null);
  if (joined.length === 0) return;
  const callees = ctx.reads.calleesByReader();
  const keysRead = new Map<FunctionRecord, string[]>();
  for (const [key, readers] of ctx.storeReaders) {
    for (const reader of readers) {
      if (!isVariant(reader)) continue;
      const keys = keysRead.get(reader);
      if (keys) keys.push(key);
      else keysRead.set(reader, [key]);
    }
  }
  for (const [rec, variants] of joined) {
    // the variants whose reads count: these, and the variants they read, transitively
    const reached = new Set<FunctionRecord>(variants);
    const pending = [...variants];
    for (let variant = pending.pop(); variant !== undefined; variant = pending.pop()) {
      for (const callee of callees.get(variant) ?? []) {
        if (isVariant(callee)) {
          if (!reached.has(callee)) pending.push(callee);
          reached.add(callee);
        }
        const base = isVariant(callee) ? ctx.records.get(nodeOf(callee)) : callee;
        if (base !== undefined && base !== rec) base.dependents.add(rec);
      }
      for (const key of keysRead.get(variant) ?? []) ctx.storeReaders.get(key)?.add(rec);
    }
  }
}
function isVariant(rec: FunctionRecord): boolean {
  return rec.receiver !== undefined || rec.knowledge !== undefined;
}
