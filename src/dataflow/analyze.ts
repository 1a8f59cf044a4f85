import { Kind } from "../compiler-direct.js";
import { backReferenceFactsMemo, backReferenceNames, backReferencesNamed, findBackReferences, setBackReferences, type BackReferenceFacts } from "./back-references.js";
import type { ScannedFile, Workspace } from "../workspace/workspace.js";
import type { Notification, ScanStats } from "../result.js";
import { compareLocations } from "../location.js";
import { nodeLocation } from "./located-node.js";
import type { Budgets } from "./budgets.js";
import { EngineContext, spanKey, type FunctionRecord } from "./context.js";
import type { Destination, EgressPoint, Flow } from "../vocabulary/flow.js";
import { analyseRecord } from "./interpret.js";
import { recordJoinedReads, takeVariantsResults } from "./joined-variants.js";
import type { Question } from "../vocabulary/question.js";
import { valueKey, type FlowRecord, type SinkSite } from "./summary.js";
import { EMPTY } from "./value.js";
import { takeOver, type AnalysisState, type Reuse } from "./reuse.js";
import { materialize, type Step } from "./trace.js";
import { allVisited, comparePaths, filesOf, otherPaths } from "./other-paths.js";
import { InternalErrors } from "../internal-errors.js";
import { functionListOf, functionsOf, propertiesOf, settersOf, type FunctionList } from "./function-list.js";
import { nodeOf } from "./record-table.js";
import type { HeapStop } from "./heap-guard.js";
import type { FileRef } from "./trace.js";

export interface AnalysisResult {
  flows: Flow[];
  egress: EgressPoint[];
  notifications: Notification[];
  stats: Pick<ScanStats, "functionsAnalysed" | "summariesReused" | "unresolvedCalls" | "budgetHits">;
  /** For a later analysis of mostly the same code (reuse.ts). */
  state: AnalysisState;
  /** Records taken over from an earlier analysis. */
  reused: number;
}

export interface AnalysisProgress {
  functionsAnalysed: number;
}

/**
 * Runs the taint engine over the workspace: every file's top level, then every function (of a file imported from
 * outside the include, only those the rest reaches), each analysed once from symbolic inputs (callees first, on demand); then a worklist re-analyses what depended on a summary or a store that
 * changed (recursion, class fields, module bindings) until nothing changes or the SCC-rounds budget is spent.
 * With `reuse`, an earlier analysis's records that still hold are taken over instead of being analysed again.
 * `backReferenceFacts`: each file's facts for the back-references (a cache entry's for the files it was computed from).
 */
export function analyze(
  workspace: Workspace,
  question: Question,
  budgets: Budgets,
  onProgress?: (progress: AnalysisProgress) => void,
  reuse?: Reuse,
  internal: InternalErrors = new InternalErrors(),
  backReferenceFacts: (file: ScannedFile) => BackReferenceFacts = backReferenceFactsMemo(),
): AnalysisResult {
  const ctx = new EngineContext(question, budgets, workspace, internal);
  for (const f of workspace.files) {
    ctx.files.add(f);
    ctx.filesByPath.set(f.path, f);
  }
  // paths through an owner's parts back to the owner (back-references.ts): the whole workspace's syntax says which — the
  // earlier analysis's when it was of these very texts (a cached run over the entry's tree walks no file for them), else
  // read from each file's facts and the trees of the files an owner involves (a cached run walks only the changed files)
  const found = reuse?.sameTree ? backReferencesNamed(reuse.prior.backReferences) : findBackReferences(workspace.files, backReferenceFacts);
  const backReferences = backReferenceNames(found);
  const lists = new Map<FileRef, FunctionList>();
  // the scan's back-references hold while this analysis runs, and never outlive it (a later scan in this process, an
  // exception of ours on the way)
  const backRefs = setBackReferences(found);
  try {
    // a file the earlier analysis listed (the cache entry's list: the same text) is not walked for its setters and
    // properties, nor for its functions when each of them has a record taken over (below)
    const earlierList = reuse?.prior.functionList;
    for (const f of workspace.files) {
      const list = earlierList?.(f);
      if (list !== undefined) lists.set(f, list);
      for (const name of list?.setters ?? settersOf(functionsOf(f.sourceFile))) ctx.setterNames.add(name);
      ctx.propertyNames.add(f, list?.properties ?? propertiesOf(f.sourceFile));
    }
    const taken = reuse ? takeOver(reuse, (file) => (ctx.files.holds(file) ? file : undefined), ctx.setterNames, backReferences) : undefined;
    if (taken) {
      for (const r of taken.records) ctx.records.add(r);
      for (const key of taken.store.keys()) taken.store.copyTo(key, ctx.store, key);
      for (const [key, readers] of taken.storeReaders) ctx.storeReaders.set(key, readers);
      for (const [key, writers] of taken.storeWriters) ctx.storeWriters.set(key, writers);
      ctx.recordsReused = taken.records.length;
      ctx.earlier = taken.earlier;
    }
    const modules: FunctionRecord[] = [];
    const functions: FunctionRecord[] = [];
    for (const f of workspace.files) {
      // a top level taken over waits by place like the functions, finished: nothing needs the tree to start it
      if (!ctx.records.topLevelWaiting(f)) {
        const m = ctx.recordFor(f.sourceFile);
        if (m) modules.push(m);
      }
      // A file imported from outside the include is the gateway's code as far as the scanned code uses it: its top level
      // runs (the client built there), its functions when a call or callback of the scanned code reaches them.
      if (workspace.imported.has(f.path)) continue;
      // every function taken over: the records wait by place for the engine to ask (record-table.ts), their nodes unfound
      const list = lists.get(f);
      if (list !== undefined && ctx.records.allWaiting(f, list.places)) continue;
      for (const fn of functionsOf(f.sourceFile)) {
        const r = ctx.recordFor(fn);
        if (r) functions.push(r);
      }
    }
    let lastReported = 0;
    const progress = () => {
      if (onProgress && ctx.functionsAnalysed - lastReported >= 25) {
        lastReported = ctx.functionsAnalysed;
        onProgress({ functionsAnalysed: ctx.functionsAnalysed });
      }
    };
    if (taken) for (const r of [...taken.revisit, ...(taken.earlier?.orphanedCallers() ?? [])]) ctx.worklist.add(r);
    if (reuse?.onRedo) {
      const files = new Set<string>();
      for (const rec of [...modules, ...functions]) if (rec.status === "new") files.add(rec.file.path);
      for (const rec of ctx.worklist) files.add(rec.file.path);
      reuse.onRedo(files);
    }
    for (const rec of [...modules, ...functions]) {
      if (rec.status === "new") analyseRecord(ctx, rec);
      progress();
    }
    settle(ctx, budgets, progress);
    // stores rebuilt from scratch (reuse.ts): readers taken over are analysed again only if the value came out different;
    // from now on they are readers like any other
    if (taken?.rebuiltStores) {
      for (const [key, { earlier, readers }] of taken.rebuiltStores) {
        const now = ctx.store.get(key);
        const differs = valueKey(now ?? EMPTY) !== valueKey(earlier ?? EMPTY);
        let registered = ctx.storeReaders.get(key);
        if (!registered) ctx.storeReaders.set(key, (registered = new Set()));
        for (const reader of readers) {
          registered.add(reader);
          if (differs) ctx.worklist.add(reader);
        }
      }
      settle(ctx, budgets, progress);
    }
    // a variant run again after its general record last joined it may have found more flows with the same summary
    for (const [rec, variants] of ctx.joined) if (variants !== null) takeVariantsResults(rec, variants);
    recordJoinedReads(ctx);
    onProgress?.({ functionsAnalysed: ctx.functionsAnalysed });
    if (ctx.heap.stopped) internal.record(heapLimitError(ctx.heap.stopped, ctx.functionsAnalysed, ctx.notAnalysed), { stage: "engine" });

  } finally {
    setBackReferences(backRefs);
  }
  const records = [...ctx.records.values()];
  const flows = buildFlows(records, ctx.question);
  const egress = buildEgress(records, flows.records, ctx.question);
  // a call is counted once however many bodies interpret it (local closures run inline in the bodies around them)
  const unresolved = new Set<string>();
  for (const r of records) for (const k of r.unresolved) unresolved.add(`${r.file.path}:${k}`);
  const notes = ctx.notifications();
  return {
    flows: flows.flows,
    egress,
    notifications: notes.notifications,
    stats: {
      functionsAnalysed: ctx.functionsAnalysed,
      summariesReused: ctx.summariesReused,
      unresolvedCalls: unresolved.size,
      budgetHits: notes.budgetHits,
    },
    state: { records: ctx.records, store: ctx.store, storeReaders: ctx.storeReaders, storeWriters: ctx.storeWriters, setterNames: ctx.setterNames, backReferences,
      functionList: (file) => lists.get(file) ?? (ctx.files.holds(file) ? functionListOf(file.sourceFile) : undefined),
    },
    reused: ctx.recordsReused,
  };
}

/** The analysis stopped short of the heap limit: what was left undone, and how to give it room. */
function heapLimitError(stop: HeapStop, analysed: number, notAnalysed: number): Error {
  const gb = (bytes: number) => `${(bytes / 2 ** 30).toFixed(1)} GB`;
  const error = new Error(
    `the analysis stopped with ${gb(stop.live)} of the ${gb(stop.limit)} heap this process may use still alive, after ` +
      `${analysed} function analyses; the ${notAnalysed} asked for after that were not made, so flows through those ` +
      `functions are missing. A larger heap may let the scan finish (NODE_OPTIONS=--max-old-space-size=8192)`,
  );
  error.name = "HeapLimit";
  return error;
}

/** Revisits what used a summary or a store that changed since, until nothing changes or the SCC-rounds budget is spent. */
function settle(ctx: EngineContext, budgets: Budgets, progress: () => void): void {
  for (let rec = ctx.worklist.take(); rec !== undefined; rec = ctx.worklist.take()) {
    if (rec.status === "running") continue;
    // a record joined from its variants (joined-variants.ts) runs no body: it settles when they do, each within the budget
    if (rec.runs > budgets.sccRounds && !ctx.joined.get(rec)) {
      ctx.notify(
        "budget-scc",
        "warning",
        `${rec.name} was analysed ${budgets.sccRounds} times without reaching a fixpoint (recursion or shared state): its latest result is kept`,
        nodeOf(rec).kind === Kind.SourceFile ? undefined : rec.node,
        true,
      );
      continue;
    }
    analyseRecord(ctx, rec);
    progress();
  }
}

/** A flow is vetted when its host is vetted for every class, or for the flow's own class. */
function isVetted(rec: FlowRecord, question: Question): boolean {
  return destinationVetted(rec.site.destination, [rec.fact.dataClass], question);
}

/**
 * A destination is vetted for these data classes: the origin the code runs on always, a host the policy vets for every
 * class or for each of these; an unresolved destination, or none, never.
 */
function destinationVetted(d: Destination, dataClasses: readonly string[], question: Question): boolean {
  if (d.status === "same-origin") return true;
  if (d.status !== "resolved") return false;
  if (question.isVettedHost(d.host)) return true;
  const vettedFor = question.hostVettedOnlyFor?.(d.host);
  return vettedFor !== undefined && dataClasses.every((c) => vettedFor.includes(c));
}

/** The vettings on a flow's way out that cover other data classes only, for the finding's message. */
function vettedOnlyFor(rec: FlowRecord, question: Question): Flow["vettedOnlyFor"] {
  const d = rec.site.destination;
  const host = d.status === "resolved" ? question.hostVettedOnlyFor?.(d.host) : undefined;
  const door = rec.site.door;
  if (host === undefined && door === undefined) return undefined;
  return { ...(host ? { host } : {}), ...(door ? { door: { label: door.label, classes: door.classes } } : {}) };
}

/**
 * The flows of one record that {@link buildFlows} can pick: of the flows of one data class and fact key at one sink
 * site, the first with the shortest trace, and each other path {@link otherPathsOf} could show — a flow whose steps'
 * files are all on one path before it (by {@link comparePaths}) is never shown, as that path, or one before it with its
 * files, has taken them by the time it comes. buildFlows keeps, per fact key and sink argument, the first flow of the
 * lowest rank (vetted, then the trace's length), and flows of one class at one site are vetted alike (the site's
 * destination decides), so a flow left out here has one kept before it, or with a shorter trace, that outranks it; the
 * kept ones stay in their order, and nothing but buildFlows reads a record's flows (joined-variants.ts hands them on to
 * it). A record's flows as a cache entry writes them (state-codec.ts): jackson's 22 records with flows held 1,404, of
 * which 228 are candidates, and each flow's trace is objects a cached run decodes.
 */
export function candidateFlows(flows: readonly FlowRecord[]): readonly FlowRecord[] {
  const groups = new Map<SinkSite, Map<string, FlowRecord[]>>();
  for (const f of flows) {
    let bySite = groups.get(f.site);
    if (bySite === undefined) groups.set(f.site, (bySite = new Map()));
    const key = `${f.fact.dataClass}@${f.fact.key}`;
    const group = bySite.get(key);
    if (group === undefined) bySite.set(key, [f]);
    else group.push(f);
  }
  const kept = new Set<FlowRecord>();
  for (const bySite of groups.values()) {
    for (const group of bySite.values()) {
      let first = group[0]!;
      for (const f of group) if (f.step.length < first.step.length) first = f;
      kept.add(first);
      if (group.length === 1) continue;
      const shown: Set<string>[] = [];
      for (const f of [...group].sort((a, b) => comparePaths(a.step, b.step))) {
        const files = filesOf(f.step);
        if (shown.some((earlier) => allVisited(files, earlier))) continue;
        shown.push(files);
        kept.add(f);
      }
    }
  }
  return kept.size === flows.length ? flows : flows.filter((f) => kept.has(f));
}

/**
 * One flow per source × sink argument × data class, with the shortest trace, and its other paths (other-paths.ts);
 * sorted.
 */
function buildFlows(records: FunctionRecord[], question: Question): { flows: Flow[]; records: FlowRecord[] } {
  const best = new Map<string, FlowRecord>();
  // every path found per flow: a door inside a shared wrapper is reached through each of its callers
  const candidates = new Map<string, FlowRecord[]>();
  const flowKey = (f: FlowRecord) => `${f.fact.key}@${f.site.file.path}:${f.site.argument.pos}:${f.site.argument.end}`;
  for (const r of records) {
    for (const f of r.flows) {
      const key = flowKey(f);
      const old = best.get(key);
      // a source reaching one sink argument through several destinations: an unvetted one decides, then the shortest
      const rank = (x: FlowRecord) => (isVetted(x, question) ? 1_000_000 : 0) + x.step.length;
      if (!old || rank(f) < rank(old)) best.set(key, f);
      const list = candidates.get(key);
      if (list) list.push(f);
      else candidates.set(key, [f]);
    }
  }
  // a name-only source where callers' data may flow too (a parameter named `phone`) counts for calls from outside the
  // project; where a caller's own source reaches the same sink argument with the same class, that flow is shown
  const upstream = new Set<string>();
  for (const f of best.values()) {
    if (!f.fact.origin.shadowable) upstream.add(`${f.fact.dataClass}@${f.site.file.path}:${f.site.argument.pos}`);
  }
  // and a flow that starts at a parameter (or a `this` field) is downstream of any flow that entered it
  const entered = new Set<string>();
  for (const f of best.values()) {
    for (let s: Step | undefined = f.step; s; s = s.prev) {
      if (s.enters) entered.add(`${f.fact.dataClass}@${f.site.file.path}:${f.site.argument.pos}@${s.enters}`);
    }
  }
  const kept = [...best.values()].filter((f) => {
    const at = `${f.fact.dataClass}@${f.site.file.path}:${f.site.argument.pos}`;
    if (f.fact.origin.shadowable && upstream.has(at)) return false;
    const place = f.fact.origin.place;
    return !place || !entered.has(`${at}@${place}`);
  });
  const flows = kept.map((f): Flow => {
    const origin = f.fact.origin;
    return {
      dataClass: f.fact.dataClass,
      source: {
        location: nodeLocation(origin.node, origin.file),
        reason: origin.reason,
        expression: origin.expression,
      },
      sink: {
        location: nodeLocation(f.site.argument, f.site.file),
        id: f.site.hit.id,
        kind: f.site.hit.kind,
        label: f.site.hit.label,
        callee: f.site.hit.callee,
        ...(f.site.hit.package !== undefined ? { package: f.site.hit.package } : {}),
        enclosingFunction: f.site.enclosing,
      },
      destination: f.site.destination,
      vetted: isVetted(f, question),
      ...(vettedOnlyFor(f, question) ? { vettedOnlyFor: vettedOnlyFor(f, question) } : {}),
      steps: materialize(f.step),
      ...otherPathsOf(f, candidates.get(flowKey(f)) ?? [], question),
    };
  });
  flows.sort(
    (a, b) =>
      compareLocations(a.sink.location, b.sink.location) ||
      compareLocations(a.source.location, b.source.location) ||
      (a.dataClass < b.dataClass ? -1 : a.dataClass > b.dataClass ? 1 : 0) ||
      a.steps.length - b.steps.length,
  );
  return { flows, records: kept };
}

/**
 * The other paths a flow's data takes to the same sink argument (other-paths.ts): only paths to an unvetted
 * destination, as the flow's own is.
 */
function otherPathsOf(shown: FlowRecord, all: readonly FlowRecord[], question: Question): Pick<Flow, "otherPaths"> {
  if (all.length < 2 || isVetted(shown, question)) return {};
  const others = all.filter((f) => f !== shown && !isVetted(f, question));
  const out = otherPaths(shown.step, others, (f) => f.step).map((f) => materialize(f.step));
  return out.length > 0 ? { otherPaths: out } : {};
}

/** Every sink call seen, with the data classes that reach it from anywhere (its own body or its callers). */
function buildEgress(records: FunctionRecord[], flows: FlowRecord[], question: Question): EgressPoint[] {
  // a sink call by its file and span: the records keep their egress without nodes (context.ts, EgressSeen)
  const classes = new Map<string, Set<string>>();
  for (const f of flows) {
    const call = `${f.site.file.path}:${spanKey(f.site.call)}`;
    let s = classes.get(call);
    if (!s) classes.set(call, (s = new Set()));
    s.add(f.fact.dataClass);
  }
  const out: EgressPoint[] = [];
  const seen = new Set<string>();
  for (const r of records) {
    for (const [span, e] of r.egress) {
      const call = `${r.file.path}:${span}`;
      if (seen.has(call)) continue;
      seen.add(call);
      const d = e.destination;
      const dataClasses = [...new Set([...(classes.get(call) ?? []), ...e.classes])].sort();
      // every call into an unmodelled package would be a point: only those restricted data reaches are doors
      if (e.hit.kind === "unmodelled-library" && dataClasses.length === 0) continue;
      const vettedFor = d.status === "resolved" ? question.hostVettedOnlyFor?.(d.host) : undefined;
      out.push({
        location: { ...e.location },
        kind: e.hit.kind,
        label: e.hit.label,
        callee: e.hit.callee,
        ...(e.hit.package !== undefined ? { package: e.hit.package } : {}),
        destination: d,
        vetted: destinationVetted(d, dataClasses, question),
        ...(vettedFor ? { vettedFor } : {}),
        dataClasses,
      });
    }
  }
  out.sort((a, b) => compareLocations(a.location, b.location) || (a.callee < b.callee ? -1 : 1));
  return out;
}
