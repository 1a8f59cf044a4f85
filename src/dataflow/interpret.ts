import { ts } from "ts-morph";
import { isSourceFile } from "../compiler-direct.js";
import { isModuleKey, type EngineContext, type FunctionRecord } from "./context.js";
import { symbolFact } from "./facts.js";
import { HeapExhausted } from "./heap-guard.js";
import { EMPTY_SUMMARY, makeSummary, withOtherPaths, type Summary } from "./summary.js";
import { EMPTY, capFacts, factMapper, factsValue, makeValue, mapFactsWith, truncate, withoutEmptyLeaves, type Value } from "./value.js";
import { StatementInterpreter } from "./interpret/statements.js";
import { enclosingClass } from "./interpret/syntax.js";
import { isChannelKey } from "./interpret/channels.js";
import { nodeOf } from "./record-table.js";
import { changedParts, SummaryParts } from "./reads.js";
import { joinSummaries, takeVariantsResults, variantsToJoin } from "./joined-variants.js";
import { foldedOnto, withoutGuesses } from "./round-join.js";

/** Interprets one function body (flow-sensitively, by structure) and produces its summary and its concrete flows. */
export class FunctionAnalysis extends StatementInterpreter {
  /** Analyses the record's body from symbolic parameters; returns its summary. Flows land on the record. */
  run(): Summary {
    const node = this.rec.node;
    let summary: Summary;
    if (isSourceFile(node)) {
      this.frame = this.newFrame(node, undefined);
      this.execStatements(node.statements);
      summary = { returns: EMPTY, effects: new Map(), sinks: [], callbacks: [], key: "" };
    } else {
      const fn = node as ts.SignatureDeclaration;
      const cls = enclosingClass(fn);
      this.frame = this.newFrame(fn, cls);
      this.scope = { names: new Map(), parent: this.scope, kind: "function" };
      this.state.set("this", factsValue(new Map([["s|this|", symbolFact("this", [], undefined)]])));
      const params = fn.parameters.map((_, i) => this.symbolic(`p${i}`));
      this.enterFunction(fn, params, cls);
      const effects = new Map<string, Value>();
      const exit = this.frame.exits ?? this.state;
      // what leaves the body (effects, the return value, a callback's arguments) keeps at most factsPerPath facts per
      // path: the effects are the joins of every write on every path through the body, and what a caller substitutes
      // into them is re-stepped fact by fact, so an unbounded join grows at each caller up the chain
      // a parameter's own declared-type sources are not written into the caller's object: a call `noop(ctx)` of
      // `noop(ctx: APIContext)` leaves the caller's `ctx` as it was, with its own data and no second source of it
      const notDeclared = factMapper((f) => (this.parameterSources.has(f.key) ? undefined : f));
      for (const p of this.frame.params) {
        const v = exit.vars.get(p.key);
        // a parameter assigned another object on every path (`mode = createFiber(…)`, then `mode.stateNode = …`) writes
        // that object's fields, not the caller's: only a value that may still be the caller's (it holds the parameter's
        // own fact) carries effects to the caller's argument
        if (!v?.fields || !v.facts?.has(parameterKey(p.root))) continue;
        const written = this.parameterSources.size > 0 ? mapFactsWith(makeValue(undefined, v.fields), notDeclared) : makeValue(undefined, v.fields);
        if (written.fields) effects.set(p.root, this.summarised(written, `the effects on ${p.root}`));
      }
      const thisV = exit.vars.get("this");
      if (thisV?.fields) effects.set("this", this.summarised(makeValue(undefined, thisV.fields), "the effects on this"));
      // what it put on channels and in its module's bindings of what it was handed: each call site writes its own
      for (const [key, written] of this.storeEffects) effects.set(key, this.summarised(written, isChannelKey(key) ? "a message put on a channel" : "what it stored in a module's binding"));
      const returns = this.summarised(this.frame.returns, "the return value");
      let sinks = this.sinks;
      if (sinks.length > this.ctx.budgets.summaryEntries) {
        this.budget(
          "budget-summary",
          `summary of ${this.rec.name} cut to ${this.ctx.budgets.summaryEntries} sink entries (of ${sinks.length})`,
        );
        sinks = sinks.slice(0, this.ctx.budgets.summaryEntries);
      }
      if (this.sinkCandidates.size > 0) sinks = sinks.map((entry, i) => withOtherPaths(entry, this.sinkCandidates.get(i) ?? []));
      const callbacks = this.callbacks.map((c) => ({ ...c, args: c.args.map((a) => this.summarised(a, "callback arguments")) }));
      summary = makeSummary(returns, effects, sinks, callbacks);
      const previous = this.rec.summary;
      if (previous !== undefined && previous !== EMPTY_SUMMARY && this.ctx.summarisedHere.has(this.rec)) summary = this.joinedWithPrevious(summary, withoutGuesses(previous));
    }
    this.keepPartial();
    return summary;
  }

  /**
   * The summary of a general record whose every receiver is one of `variants` (joined-variants.ts): their summaries
   * joined, each analysed on demand as a callee is, and bounded as any summary is; their flows are the record's.
   */
  runJoined(variants: readonly FunctionRecord[]): Summary {
    // its notes are this join's: an earlier join's cut stood only until this one, and the callers that read it then are
    // analysed again with this summary (a body that runs keeps its notes from every run: its flows come from each)
    this.rec.notes = [];
    const summaries = variants.map((variant) => {
      const summary = this.summaryOf(variant);
      this.ctx.reads.summaryRead(variant, this.rec, SummaryParts.all);
      return summary;
    });
    const joined = joinSummaries(summaries);
    const effects = new Map<string, Value>();
    for (const [root, tree] of joined.effects) effects.set(root, this.summarised(tree, root.startsWith("c:") ? "a message put on a channel" : `the effects on ${root}`));
    let sinks = joined.sinks;
    if (sinks.length > this.ctx.budgets.summaryEntries) {
      this.budget("budget-summary", `summary of ${this.rec.name} cut to ${this.ctx.budgets.summaryEntries} sink entries (of ${sinks.length})`);
      sinks = sinks.slice(0, this.ctx.budgets.summaryEntries);
    }
    const callbacks = joined.callbacks.map((c) => ({ ...c, args: c.args.map((a) => this.summarised(a, "callback arguments")) }));
    takeVariantsResults(this.rec, variants);
    return makeSummary(this.summarised(joined.returns, "the return value"), effects, sinks, callbacks);
  }

  /**
   * A re-run's summary: its growth past the previous run's folded (round-join.ts), joined with the summary this scan's
   * previous run gave — without the name-only sources that run read where the value carried none of their class
   * (`withoutGuesses`) — and bounded as any summary is. A record's summaries are then an ascending chain, which the
   * bounds (field depth, the facts cap, the sink entries) no longer turn into a cycle of their own: a tree cut at the
   * field depth grew again the next round, a set over the facts cap kept another shortest fact each round. Each run
   * reads its callees' latest summaries and the stores, which only add, so what the previous run found stays found: the
   * join gives the same data or more, never less — but for a guessed source, which a later run makes only where it
   * still stands (a read of a store that was empty at the first run names a source by the field's name, which the
   * store's data stands in for later: fixture engine/receiver-reads). The callbacks keep the previous summary's numbers
   * (`r<k>`), new ones numbered after them: a run that met them in another order would renumber them, and the summary
   * change for that alone.
   */
  private joinedWithPrevious(summary: Summary, previous: Summary): Summary {
    const joined = joinSummaries([foldedOnto(summary, previous), previous], previous);
    const effects = new Map<string, Value>();
    for (const [root, tree] of joined.effects) effects.set(root, this.summarised(tree, isChannelKey(root) ? "a message put on a channel" : isModuleKey(root) ? "what it stored in a module's binding" : `the effects on ${root}`));
    // this run's entries first: where the two lists together are past the budget, the run's own are kept, as without
    // the join; a list already cut (this run's, the previous one's) raised its note then
    let sinks = joined.sinks;
    const max = this.ctx.budgets.summaryEntries;
    if (sinks.length > max) {
      if (summary.sinks.length < max && previous.sinks.length < max) this.budget("budget-summary", `summary of ${this.rec.name} cut to ${max} sink entries (of ${sinks.length})`);
      sinks = sinks.slice(0, max);
    }
    const callbacks = joined.callbacks.map((c) => ({ ...c, args: c.args.map((a) => this.summarised(a, "callback arguments")) }));
    return makeSummary(this.summarised(joined.returns, "the return value"), effects, sinks, callbacks);
  }

  /**
   * A value of the summary, without its empty leaves (they hold nothing, but a new one would change the summary's key
   * and send its callers round again), cut at the field depth and capped at factsPerPath facts per path (budget-facts).
   */
  private summarised(v: Value, what: string): Value {
    return capFacts(truncate(withoutEmptyLeaves(v), this.fieldDepth), this.ctx.budgets.factsPerPath, () =>
      this.budget("budget-facts", `facts per path capped in ${what} of ${this.rec.name}`),
    );
  }

  protected analyseCallee(callee: FunctionRecord): Summary {
    return analyseRecord(this.ctx, callee);
  }

  /** The flows and egress found so far become the record's (all of them once `run` has finished). */
  keepPartial(): void {
    this.rec.flows = this.flows;
    this.rec.egress = this.egress;
    this.rec.unresolved = this.unresolved;
  }
}

/** The key of a parameter's own symbolic fact (the caller's object itself, at no path). */
function parameterKey(root: string): string {
  return symbolFact(root, [], undefined).key;
}

/** Analyses one function (once per change of what it depends on) and memoises its summary. */
export function analyseRecord(ctx: EngineContext, rec: FunctionRecord): Summary {
  if (ctx.heap.exhausted()) {
    // no room left (heap-guard.ts): nothing more is analysed, and callers go on with the summary it had, or none
    ctx.notAnalysed++;
    rec.status = "done";
    return rec.summary ?? EMPTY_SUMMARY;
  }
  // a record taken over and analysed again (its callee's summary or a store it read changed) may not have met its node
  nodeOf(rec);
  rec.status = "running";
  rec.runs++;
  ctx.functionsAnalysed++;
  const analysis = new FunctionAnalysis(ctx, rec);
  const caller = ctx.current;
  ctx.current = rec;
  ctx.running.push(rec);
  let summary: Summary;
  try {
    const variants = variantsToJoin(ctx, rec);
    summary = variants !== undefined ? analysis.runJoined(variants) : analysis.run();
  } catch (error) {
    // A bug of ours in this function's analysis: said once per cause (exit 3), and what it found before is kept. Its
    // callers go on with the summary it had (or none): one broken function must not cost the rest of the scan. The
    // heap guard's stop is no bug: it is reported once (analyze.ts), and unwinds the callers' analyses too.
    if (error instanceof HeapExhausted) ctx.notAnalysed++;
    else ctx.internalError(error, "engine", rec.node);
    analysis.keepPartial();
    summary = rec.summary ?? EMPTY_SUMMARY;
  } finally {
    ctx.current = caller;
    ctx.running.pop();
  }
  const parts = changedSince(rec, summary);
  if (summary !== EMPTY_SUMMARY) ctx.summarisedHere.add(rec);
  rec.earlierKey = undefined;
  rec.summary = summary;
  rec.status = "done";
  ctx.worklist.finished(rec);
  // a caller is analysed again only if it took a part that changed (reads.ts): not a caller that drops the return
  // value of a callee whose return value alone changed
  if (parts !== 0) for (const d of rec.dependents) if (ctx.reads.readsSummary(rec, d, parts)) ctx.worklist.add(d);
  return summary;
}

/**
 * The parts of `summary` that differ from the summary the record's callers used (none when its canonical key is the
 * same): the previous run's, compared part by part without spelling keys (reads.ts); else, for a function analysed
 * again after an earlier analysis (reuse.ts), the key that analysis kept; else all of them. The summary an analysis
 * that failed falls back on (EMPTY_SUMMARY, whose key is spelled "") is compared by key, as its key says less than its
 * parts do.
 */
function changedSince(rec: FunctionRecord, summary: Summary): number {
  const previous = rec.summary;
  if (previous === summary) return 0;
  if (previous !== undefined && previous !== EMPTY_SUMMARY && summary !== EMPTY_SUMMARY) return changedParts(previous, summary);
  const before = previous?.key ?? rec.earlierKey;
  if (before !== undefined && before === summary.key) return 0;
  return previous === undefined ? SummaryParts.all : changedParts(previous, summary);
}
