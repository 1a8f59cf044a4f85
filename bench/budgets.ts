/**
 * The performance budgets of issue 6, judged from measured medians. The harness reports them; no test asserts them
 * (timings on a shared 2-core machine are too noisy to gate a build on).
 */
export interface SideResult {
  runs: number;
  /** Runs that finished with an accepted exit code (flowgate: 0 or 1; tsc: 0). */
  ok: number;
  wallMs: number[];
  medianMs: number | undefined;
  medianRssMb: number | undefined;
  failures: string[];
}

export interface TargetResult {
  name: string;
  lines: number;
  files: number;
  flowgate: SideResult;
  tsc: SideResult;
  update: SideResult | undefined;
  updateNote: string | undefined;
  /** Results per rule in the full scan's SARIF: evidence that the engine did its real work. */
  findings?: Record<string, number>;
}

export interface Budget {
  budget: string;
  target: string;
  limit: string;
  measured: string;
  status: "met" | "not met" | "n/a";
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export function ratio(a: number | undefined, b: number | undefined): number | undefined {
  return a !== undefined && b !== undefined && b > 0 ? a / b : undefined;
}

function judge(budget: string, target: string, limit: number, value: number | undefined, detail: string): Budget {
  return {
    budget,
    target,
    limit: `≤ ${limit}`,
    measured: value === undefined ? "n/a" : `${value.toFixed(2)} (${detail})`,
    status: value === undefined ? "n/a" : value <= limit ? "met" : "not met",
  };
}

const seconds = (ms: number | undefined) => (ms === undefined ? "?" : `${(ms / 1000).toFixed(2)} s`);
const megabytes = (mb: number | undefined) => (mb === undefined ? "?" : `${Math.round(mb)} MB`);

export function evaluateBudgets(results: readonly TargetResult[]): Budget[] {
  const budgets: Budget[] = [];
  const byName = new Map(results.map((r) => [r.name, r]));
  for (const r of results) {
    if (r.name === "generated 50k" || r.name === "generated 200k") {
      const value = ratio(r.flowgate.medianMs, r.tsc.medianMs);
      budgets.push(judge("full scan / tsc --noEmit wall time", r.name, 0.5, value, `${seconds(r.flowgate.medianMs)} vs ${seconds(r.tsc.medianMs)}`));
    }
  }
  for (const r of results) {
    const value = ratio(r.flowgate.medianRssMb, r.tsc.medianRssMb);
    budgets.push(judge("full scan / tsc peak RSS", r.name, 0.6, value, `${megabytes(r.flowgate.medianRssMb)} vs ${megabytes(r.tsc.medianRssMb)}`));
  }
  const small = byName.get("generated 50k");
  const large = byName.get("generated 500k");
  if (small && large) {
    const value = ratio(large.flowgate.medianMs, small.flowgate.medianMs);
    budgets.push(
      judge("scaling: 500k time / 50k time", "generated 500k", 11, value, `${seconds(large.flowgate.medianMs)} vs ${seconds(small.flowgate.medianMs)}`),
    );
  }
  for (const r of results) {
    const value = ratio(r.update?.medianMs, r.flowgate.medianMs);
    const b = judge("update scan / full scan", r.name, 0.25, value, `${seconds(r.update?.medianMs)} vs ${seconds(r.flowgate.medianMs)}`);
    if (value === undefined && r.updateNote) b.measured = r.updateNote;
    budgets.push(b);
  }
  return budgets;
}
