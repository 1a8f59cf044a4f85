import path from "node:path";
import { pathToFileURL } from "node:url";
import { ratio } from "../budgets.js";
import { fixed, markdown, secs } from "../table.js";
import type { EntryReport } from "./report.js";

/**
 * Where a full scan's time goes against `tsc --noEmit` (`npm run corpus -- --stages`): the pipeline run stage by
 * stage in one process from the built dist/ (the modules the CLI runs). Reading, parsing, and creating the program and
 * checker are what tsc pays too, so their sum is the floor no engine work can go below. Not the CLI: no startup
 * snapshot (loading the modules is its own stage), no findings or reports.
 */
export interface StageTimes {
  /** CPU ms per stage, in pipeline order: importing flowgate's modules and the compiler. */
  loadModules: number;
  /** Listing, reading, and the imported-files pass (readSourceSet). */
  read: number;
  parse: number;
  program: number;
  /** The checker's creation, which binds every file. */
  bindAndChecker: number;
  /** The model and the engine, with the checker's questions they ask (compileModel is lazy). */
  analyze: number;
  /** Flows to findings, at flow granularity (the corpus's: one finding per source × sink argument × data class). */
  findings: number;
  total: number;
  /** How many findings: what the scan's SARIF holds as results. */
  results: number;
  rssMb: number;
}

export async function measureStages(repo: string, rootAsGiven: string, policyFile: string): Promise<StageTimes> {
  const start = process.cpuUsage();
  let last = start;
  const lap = (): number => {
    const now = process.cpuUsage();
    const ms = (now.user - last.user + now.system - last.system) / 1000;
    last = now;
    return Math.round(ms);
  };
  const load = async <T>(module: string): Promise<T> => (await import(pathToFileURL(path.join(repo, "dist", module)).href)) as T;
  // Typed here, not by dist's declarations: the harness's build must not depend on src/'s internals.
  const { loadPolicy } = await load<{ loadPolicy(o: { root: string; configPath: string }): unknown }>("config/load-policy.js");
  const { readSourceSet } = await load<{ readSourceSet(root: string, policy: unknown): Promise<unknown> }>("workspace/source-set.js");
  const { loadWorkspace } = await load<{ loadWorkspace(root: string, policy: unknown, o: { sources: unknown }): Promise<{ program(): unknown; checker(): unknown }> }>(
    "workspace/load-workspace.js",
  );
  const { compileModel } = await load<{ compileModel(policy: unknown, workspace: unknown): unknown }>("model/compile-model.js");
  const { analyze } = await load<{ analyze(...args: unknown[]): { flows: unknown[] } }>("dataflow/analyze.js");
  const { DEFAULT_BUDGETS } = await load<{ DEFAULT_BUDGETS: unknown }>("dataflow/budgets.js");
  const { InternalErrors } = await load<{ InternalErrors: new (debug: boolean) => unknown }>("internal-errors.js");
  const { buildFindings } = await load<{ buildFindings(flows: unknown[], workspace: unknown, rules: unknown, o: unknown): { findings: unknown[] } }>("findings/build-findings.js");
  const { loadRuleCatalog } = await load<{ loadRuleCatalog(): unknown }>("findings/rule-catalog.js");
  const { realPath } = await load<{ realPath(file: string): string }>("real-path.js");
  const loadModules = lap();
  // the root as the CLI resolves it: file paths, and so which flows are in scope, depend on it
  const root = realPath(path.resolve(rootAsGiven));
  const policy = loadPolicy({ root, configPath: policyFile }) as { dataClasses: unknown };
  const sources = await readSourceSet(root, policy);
  const read = lap();
  const workspace = await loadWorkspace(root, policy, { sources });
  const parse = lap();
  workspace.program();
  const program = lap();
  workspace.checker();
  const bindAndChecker = lap();
  const internal = new InternalErrors(false);
  const analysis = analyze(workspace, compileModel(policy, workspace), DEFAULT_BUDGETS, undefined, undefined, internal);
  const analyzeMs = lap();
  const built = buildFindings(analysis.flows, workspace, loadRuleCatalog(), { internal, granularity: "flow", dataClasses: policy.dataClasses });
  const findings = lap();
  const total = process.cpuUsage(start);
  return {
    loadModules,
    read,
    parse,
    program,
    bindAndChecker,
    analyze: analyzeMs,
    findings,
    total: Math.round((total.user + total.system) / 1000),
    results: built.findings.length,
    rssMb: Math.round(process.memoryUsage().rss / 1024 / 1024),
  };
}

/** The floor: what tsc --noEmit does too (read, parse, program, bind), without loading modules (a snapshot's part). */
export function floorMs(t: StageTimes): number {
  return t.read + t.parse + t.program + t.bindAndChecker;
}

/** Each stage as a share of tsc's CPU on the same files: the floor's share says how far engine work alone can go. */
export function renderStagesTable(reports: readonly EntryReport[]): string {
  const header = ["entry", "tsc CPU", "load modules", "read", "parse", "program + bind", "floor", "analyze", "findings", "total", "results"];
  const rows = reports
    .filter((r): r is EntryReport & { stages: StageTimes } => r.stages !== undefined)
    .map((r) => {
      const s = r.stages;
      const tsc = r.tsc?.typeChecked === false ? undefined : r.tsc?.cpuMs;
      const share = (ms: number) => fixed(ratio(ms, tsc));
      return [r.name, secs(tsc), share(s.loadModules), share(s.read), share(s.parse), share(s.program + s.bindAndChecker), share(floorMs(s)), share(s.analyze), share(s.findings), share(s.total), String(s.results)];
    });
  return markdown(header, rows);
}
