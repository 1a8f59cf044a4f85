import { symbolFact, type Fact, type SymbolFact } from "./facts.js";
import { makeSummary, type CallbackEntry, type SinkEntry, type Summary } from "./summary.js";
import { collectFacts, factMapper, filterFacts, makeValue, mapFact, mapFactsWith, type FactMapper, type Value } from "./value.js";

/**
 * The previous run's summary as a re-run joins it: without the name-only sources it read where the value carried no
 * data of their class (SourceOrigin.guessed: `this.context.userEmail` read before any object was built with a
 * context). Such a source is made at a read only while what flows there carries none of its class; what flows there
 * only grows from run to run (the stores and the callees' summaries it comes from are joins, and a cap or a cut keeps
 * a fact of every class it had), so a later run makes it again exactly where it still stands — the re-run itself has
 * it then — and never again where it went. Kept through the join, it stood beside the data that replaced it (fixture
 * engine/receiver-reads: a second source at `notify`).
 */
export function withoutGuesses(summary: Summary): Summary {
  const keep = (f: Fact) => f.kind !== "class" || f.origin.guessed !== true;
  const returns = filterFacts(summary.returns, keep);
  let changed = returns !== summary.returns;
  const effects = new Map<string, Value>();
  for (const [root, tree] of summary.effects) {
    const kept = filterFacts(tree, keep);
    if (kept !== tree) changed = true;
    effects.set(root, kept);
  }
  const callbacks = summary.callbacks.map((c) => {
    const args = c.args.map((a) => filterFacts(a, keep));
    if (args.every((a, i) => a === c.args[i])) return c;
    changed = true;
    return { ...c, args };
  });
  return changed ? makeSummary(returns, effects, summary.sinks, callbacks) : summary;
}

/**
 * What a re-run of a record gives beyond the summary its previous run in this scan gave, folded where it only repeats
 * that summary's paths (docs/engine.md, "A record's summaries only grow"). The run is then joined with
 * the previous summary (interpret.ts `joinedWithPrevious`); growth that names again a field already on its path — a
 * recursion over a tree reading its own result one level deeper each round, a `this.model = load(this.model.id)` read
 * one `id` deeper — is cut there, so the chain stops climbing in the round after such growth begins. Both give the same
 * data or more, never less:
 *
 * - a symbolic fact the previous summary did not have, whose path names a field twice (`p0.[].[].$extends.[]`), becomes
 *   the fact of the path before the second name (`p0.[]`): the caller's value at the shorter path carries everything
 *   below it;
 * - a node with fields whose path names a field twice (`out.[].[]`, `rows.[].completedBy.[].completedBy`), where the
 *   previous summary had nothing or a leaf, is flattened where it stands: its facts become its own deep facts, which
 *   every read below it gets, and its siblings keep their own data (`rows.[].completedBy.[].blockedBy` does not get the
 *   deeper rows' owners). A node holding a function is not flattened (a call through it would no longer run it).
 *   Flattened into the node above instead, fixture engine/worklist-order's clean line got a deeper row's address.
 */
export function foldedOnto(summary: Summary, previous: Summary): Summary {
  const mapper = symbolFolding(previous);
  const returns = foldGrowth(mapFactsWith(summary.returns, mapper), previous.returns, []);
  const effects = new Map<string, Value>();
  for (const [root, tree] of summary.effects) effects.set(root, foldGrowth(mapFactsWith(tree, mapper), previous.effects.get(root), []));
  const sinks: SinkEntry[] = summary.sinks.map((entry) => {
    const fact = mapFact(mapper, entry.fact) as SymbolFact;
    if (fact === entry.fact) return entry;
    return { fact, site: entry.site, ...(entry.others ? { others: entry.others.map((f) => mapFact(mapper, f) as SymbolFact) } : {}) };
  });
  const callbacks: CallbackEntry[] = summary.callbacks.map((c) => ({ ...c, args: c.args.map((a) => mapFactsWith(a, mapper)) }));
  return makeSummary(returns, effects, sinks, callbacks);
}

/** The keys of the symbolic facts (without a rest's exclusions) anywhere in a summary. */
function symbolKeys(summary: Summary): Set<string> {
  const keys = new Set<string>();
  const seen = new Set<Value>();
  const visit = (v: Value) => {
    if (seen.has(v)) return;
    seen.add(v);
    for (const f of v.facts?.values() ?? []) if (f.kind === "symbol" && f.without === undefined) keys.add(f.key);
    for (const c of v.fields?.values() ?? []) visit(c);
  };
  visit(summary.returns);
  for (const tree of summary.effects.values()) visit(tree);
  for (const c of summary.callbacks) for (const a of c.args) visit(a);
  for (const e of summary.sinks) if (e.fact.without === undefined) keys.add(e.fact.key);
  return keys;
}

/**
 * Cuts a symbolic fact new since the previous summary at the first field its path names twice (`p0.[].[].$extends.[]`
 * → `p0.[]`, `p0.$extends.[].$extends` → `p0.$extends.[]`): the caller's value at the shorter path carries everything
 * below it. A fact the previous summary had stays as it is.
 */
function symbolFolding(previous: Summary): FactMapper {
  const before = symbolKeys(previous);
  return factMapper((f: Fact) => {
    if (f.kind !== "symbol" || f.without !== undefined || f.path.length < 2 || before.has(f.key)) return f;
    const i = firstRepeat(f.path);
    return i < 0 ? f : symbolFact(f.root, f.path.slice(0, i), f.step);
  });
}

/** The index of the first name of `path` that an earlier one repeats, or -1. */
function firstRepeat(path: readonly string[]): number {
  for (let i = 1; i < path.length; i++) if (path.lastIndexOf(path[i]!, i - 1) >= 0) return i;
  return -1;
}

/**
 * `v` with its growth past `was` (the previous summary's value at the same place) that repeats a name of its own path
 * cut: a field new since `was` named like a field on its path, or a node below such a repetition that was a leaf in
 * `was`, is flattened where it stands — its facts become deep facts of that field, which every read below it gets —
 * unless it holds a function (a call through it would no longer run it). The fields beside it keep their own data.
 */
function foldGrowth(v: Value, was: Value | undefined, path: readonly string[]): Value {
  if (!v.fields || was === undefined || v === was) return v;
  let fields: Map<string, Value> | undefined;
  for (const [name, child] of v.fields) {
    const before = was.fields?.get(name);
    const below = [...path, name];
    let out: Value;
    if (child.fields !== undefined && !before?.fields && firstRepeat(below) >= 0 && !holdsFunctions(child)) out = flatAt(child);
    else out = foldGrowth(child, before, below);
    if (out !== child) (fields ??= new Map(v.fields)).set(name, out);
  }
  return fields ? makeValue(v.facts, fields, v.fns, v.strong) : v;
}

/** A node as a leaf: every fact below it its own, overwritten as a whole when it was (a reader still cannot see past it). */
function flatAt(v: Value): Value {
  return makeValue(collectFacts(v), undefined, undefined, v.strong);
}

function holdsFunctions(v: Value, seen: Set<Value> = new Set()): boolean {
  if (v.fns) return true;
  if (!v.fields || seen.has(v)) return false;
  seen.add(v);
  for (const c of v.fields.values()) if (holdsFunctions(c, seen)) return true;
  return false;
}
