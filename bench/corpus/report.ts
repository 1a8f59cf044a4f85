import { ratio } from "../budgets.js";
import { fixed, markdown, mb, secs } from "../table.js";
import type { Measurement } from "../measure.js";
import type { SampledResult } from "./sample.js";
import type { CorpusNotification, ScanSummary } from "./scan-summary.js";
import type { EntryScore } from "./score.js";
import type { StageTimes } from "./stages.js";
import { expectedTrue, type EntryPrecision } from "./verdicts.js";

/** One child run (flowgate or tsc) of one entry, as the table and the JSON report show it. */
export interface RunOutcome {
  wallMs: number;
  maxRssMb: number | undefined;
  /** User + system CPU time: the ratio that holds on a loaded machine, where wall time also measures the neighbours. */
  cpuMs: number | undefined;
  exitCode: number | null;
  timedOut: boolean;
  /** The end of stderr when the run failed (timeout, or an exit code outside the accepted ones). */
  failure: string | undefined;
}

/** One row of `npm run corpus`: everything measured and found for one entry; also its element in the JSON report. */
export interface EntryReport {
  name: string;
  repository: string;
  commit: string;
  /** The commit the checkout holds per DIR/extracted.json; undefined when the folder was not extracted by us. */
  checkoutCommit: string | undefined;
  /** Why the entry could not be measured at all (no checkout, …). */
  skipped?: string;
  files: number;
  lines: number;
  /** With `--reps N`, the run of median wall time of N alternating runs, and every run's times in `runs`. */
  flowgate?: RunOutcome & { runs?: TimedRun[] };
  /** `typeChecked`: false when tsc stopped at an options, global or syntax error before checking (no yardstick then). */
  /** `install`: how the dependencies of a "with deps" checkout were installed, when `npm run corpus:deps` did it. */
  tsc?: RunOutcome & { mode: "with deps" | "no deps"; install?: string; errors: number | undefined; typeChecked?: boolean | undefined; runs?: TimedRun[] };
  /** The update review of a one-line change (`--update`); undefined when not measured. */
  update?: UpdateOutcome;
  /**
   * The same update review with the analysis cache a full scan of the base wrote (a pull request's CI run): timed
   * several times, the run of median wall time (`medianRun`), with every run's times in `runs`.
   */
  cachedUpdate?: UpdateOutcome & { runs?: TimedRun[] };
  /** The pipeline's stages in a process of their own (`--stages`); undefined when not measured or when it failed. */
  stages?: StageTimes;
  /** The SARIF's counts; undefined when no report was written. */
  scan?: Omit<ScanSummary, "results"> & { results: number };
  score?: EntryScore;
  /** The results against bench/corpus-verdicts.json; `sample`: the drawn ones alone (with --sample). */
  precision?: EntryPrecision & { sample?: EntryPrecision };
  sample?: SampledResult[];
}

/** An update review's run: which file changed, and how many results it reported (none are expected). */
export type UpdateOutcome = RunOutcome & { changed: string; results: number | undefined };

/** One of several runs of the same command: its times, kept beside the median run in the JSON report. */
export interface TimedRun {
  wallMs: number;
  cpuMs: number | undefined;
}

/**
 * Of repeated runs of one command (a review, a full scan, tsc), the run of median wall time (the later of the two middle
 * ones for an even count), and every run's wall and CPU time; a failed run is the outcome whatever the others did, so a
 * failure is never hidden.
 */
export function medianRun<T extends RunOutcome>(runs: readonly T[]): T & { runs: TimedRun[] } {
  if (runs.length === 0) throw new Error("no run to take the median of");
  const failed = runs.find((r) => r.failure !== undefined);
  const median = failed ?? [...runs].sort((a, b) => a.wallMs - b.wallMs)[Math.floor(runs.length / 2)]!;
  return { ...median, runs: runs.map((r) => ({ wallMs: r.wallMs, cpuMs: r.cpuMs })) };
}

/** flowgate's accepted exit codes: 0/1 (no finding / findings), 3 (internal error: the report is still written). */
export function outcome(m: Measurement, okCodes: readonly number[]): RunOutcome {
  const failed = m.timedOut || m.exitCode === null || !okCodes.includes(m.exitCode);
  return {
    wallMs: Math.round(m.wallMs),
    maxRssMb: m.maxRssKb === undefined ? undefined : Math.round(m.maxRssKb / 1024),
    cpuMs: m.cpuMs,
    exitCode: m.exitCode,
    timedOut: m.timedOut,
    failure: failed ? lastLines(m.stderrTail) : undefined,
  };
}

export function summaryCounts(summary: ScanSummary): NonNullable<EntryReport["scan"]> {
  const { results, ...rest } = summary;
  return { ...rest, results: results.length };
}

const HEADER = [
  "entry",
  "files",
  "lines",
  "flowgate",
  "flowgate RSS",
  "tsc --noEmit",
  "tsc RSS",
  "flowgate/tsc",
  "RSS ratio",
  "CPU ratio",
  "update (--base)",
  "update/full",
  "update, cache warm",
  "cached/full",
  "doors by rule (flows)",
  "notifications by id",
  "internal errors",
  "budget hits",
  "judged leaks found",
  "negatives violated",
];

/** The corpus table (Markdown, readable in a terminal and pasted as is into docs/performance.md), with a total row. */
export function renderCorpusTable(reports: readonly EntryReport[]): string {
  const rows = reports.map(row);
  const measured = reports.filter((r) => r.scan);
  const scored = reports.filter((r) => r.score);
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
  rows.push([
    `**total** (${reports.length})`,
    sum(reports.map((r) => r.files)).toLocaleString("en-US"),
    sum(reports.map((r) => r.lines)).toLocaleString("en-US"),
    secs(sum(reports.map((r) => r.flowgate?.wallMs ?? 0))),
    "",
    secs(sum(reports.map((r) => r.tsc?.wallMs ?? 0))),
    "",
    "",
    "",
    "",
    reports.some((r) => r.update) ? secs(sum(reports.map((r) => r.update?.wallMs ?? 0))) : "–",
    "",
    reports.some((r) => r.cachedUpdate) ? secs(sum(reports.map((r) => r.cachedUpdate?.wallMs ?? 0))) : "–",
    "",
    doorCounts(mergeCounts(measured.map((r) => r.scan?.doorsByRule ?? {})), mergeCounts(measured.map((r) => r.scan?.resultsByRule ?? {}))),
    counts(mergeCounts(measured.map((r) => r.scan?.notificationsById ?? {}))),
    String(sum(measured.map((r) => r.scan?.internalErrors.length ?? 0))),
    String(sum(measured.map((r) => r.scan?.budgetHits ?? 0))),
    scored.length > 0 ? recall(sum(scored.map((r) => r.score?.found ?? 0)), sum(scored.map((r) => r.score?.leaks ?? 0))) : "–",
    scored.length > 0 ? `${sum(scored.map((r) => r.score?.violated.length ?? 0))} / ${sum(scored.map((r) => r.score?.negatives ?? 0))}` : "–",
  ]);
  return markdown(HEADER, rows);
}

function row(r: EntryReport): string[] {
  if (r.skipped) return [r.name, "–", "–", r.skipped, ...HEADER.slice(4).map(() => "–")];
  const flowgate = r.flowgate;
  const tsc = r.tsc;
  // a tsc that stopped before type-checking only parsed the files: no yardstick, so no ratio
  const both = flowgate && tsc && flowgate.failure === undefined && tsc.failure === undefined && tsc.typeChecked !== false;
  return [
    r.name,
    r.files.toLocaleString("en-US"),
    r.lines.toLocaleString("en-US"),
    run(flowgate),
    mb(flowgate?.maxRssMb),
    tsc ? `${run(tsc)} (${tsc.mode}${tsc.errors ? `, ${tsc.errors} errors` : ""}${tsc.typeChecked === false ? ", did not type-check" : ""})` : "–",
    mb(tsc?.maxRssMb),
    both ? fixed(ratio(flowgate.wallMs, tsc.wallMs)) : "–",
    both ? fixed(ratio(flowgate.maxRssMb, tsc.maxRssMb)) : "–",
    both ? fixed(ratio(flowgate.cpuMs, tsc.cpuMs)) : "–",
    run(r.update),
    r.update && r.update.failure === undefined && flowgate?.failure === undefined ? fixed(ratio(r.update.wallMs, flowgate?.wallMs)) : "–",
    run(r.cachedUpdate),
    r.cachedUpdate && r.cachedUpdate.failure === undefined && flowgate?.failure === undefined ? fixed(ratio(r.cachedUpdate.wallMs, flowgate?.wallMs)) : "–",
    r.scan ? doorCounts(r.scan.doorsByRule, r.scan.resultsByRule) || "none" : "no report",
    r.scan ? counts(r.scan.notificationsById) || "none" : "–",
    r.scan ? String(r.scan.internalErrors.length) + (flowgate?.exitCode === 3 ? " (exit 3)" : "") : "–",
    r.scan ? String(r.scan.budgetHits) : "–",
    r.score ? recall(r.score.found, r.score.leaks) : "–",
    r.score ? `${r.score.violated.length} / ${r.score.negatives}` : "–",
  ];
}

function run(o: RunOutcome | undefined): string {
  if (!o) return "–";
  if (o.timedOut) return `timeout (${secs(o.wallMs)})`;
  if (o.failure !== undefined) return `failed, exit ${o.exitCode} (${secs(o.wallMs)})`;
  return secs(o.wallMs);
}

/** `leak-to-log 12 (40)`: doors, and in parentheses the flows reaching them when there are more. */
function doorCounts(doors: Record<string, number>, flows: Record<string, number>): string {
  return Object.entries(doors)
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .map(([rule, n]) => `${rule} ${n}${(flows[rule] ?? n) > n ? ` (${flows[rule]})` : ""}`)
    .join(", ");
}

const recall = (found: number, judged: number) => (judged === 0 ? "–" : `${found} / ${judged}`);

/** `a 3, b 1`, largest first (ties by name). */
export function counts(byKey: Record<string, number>): string {
  return Object.entries(byKey)
    .sort(([ka, a], [kb, b]) => b - a || (ka < kb ? -1 : 1))
    .map(([key, n]) => `${key} ${n}`)
    .join(", ");
}

export function mergeCounts(all: readonly Record<string, number>[]): Record<string, number> {
  const merged: Record<string, number> = {};
  for (const byKey of all) for (const [key, n] of Object.entries(byKey)) merged[key] = (merged[key] ?? 0) + n;
  return merged;
}

/**
 * Precision by the verdicts, one row an entry: judged true / false / unjudged (re-pathed among them), the false
 * results' causes, the true results expected in a draw of `draw` (each entry weighs `min(draw, results)`), and — when a
 * sample was drawn — its own tally. Unjudged results are left out of the shares: they are to be read, not guessed.
 */
export function renderPrecisionTable(reports: readonly EntryReport[], draw: number): string {
  const header = ["entry", "results", "true", "false", "unjudged (re-pathed)", `expected true of a draw of ${draw}`, "drawn: true / false / unjudged", "false causes"];
  let expected = 0;
  let weight = 0;
  const drawn = { truths: 0, falses: 0, unjudged: 0 };
  const rows = reports.flatMap((r) => {
    const p = r.precision;
    if (!p) return [];
    const e = expectedTrue(p, draw);
    if (e) {
      expected += e.expected;
      weight += e.drawn;
    }
    if (p.sample) {
      drawn.truths += p.sample.truths;
      drawn.falses += p.sample.falses;
      drawn.unjudged += p.sample.unjudged;
    }
    return [
      [
        r.name,
        String(p.results),
        String(p.truths),
        String(p.falses),
        `${p.unjudged}${p.repathed > 0 ? ` (${p.repathed})` : ""}`,
        e ? `${e.expected.toFixed(1)} of ${e.drawn}` : "–",
        p.sample ? `${p.sample.truths} / ${p.sample.falses} / ${p.sample.unjudged}` : "–",
        counts(p.falseCauses),
      ],
    ];
  });
  const share = (n: number, of: number) => (of === 0 ? "–" : `${((100 * n) / of).toFixed(1)} %`);
  const anySample = reports.some((r) => r.precision?.sample);
  rows.push([
    "**total**",
    String(rows.reduce((n, row) => n + Number(row[1]), 0)),
    "",
    "",
    "",
    `${expected.toFixed(1)} of ${weight} (${share(expected, weight)})`,
    anySample ? `${drawn.truths} / ${drawn.falses} / ${drawn.unjudged} (${share(drawn.truths, drawn.truths + drawn.falses)})` : "–",
    "",
  ]);
  return markdown(header, rows);
}

/** Below the table: what a person must act on — failed runs, internal errors, missed leaks, violated negatives. */
export function renderFindingsOfNote(reports: readonly EntryReport[]): string {
  const lines: string[] = [];
  for (const r of reports) {
    for (const [who, o] of [["flowgate", r.flowgate], ["tsc", r.tsc], ["update review", r.update], ["cached update review", r.cachedUpdate]] as const) {
      if (o?.failure !== undefined) lines.push(`${r.name}: ${who} ${o.timedOut ? "timed out" : `exit ${o.exitCode}`}: ${o.failure || "(no stderr)"}`);
    }
    for (const [id, errors] of groupById(r.scan?.internalErrors ?? [])) {
      const shown = errors.slice(0, 3).map(notificationLine);
      const more = errors.length > shown.length ? `; … ${errors.length - shown.length} more in the JSON report` : "";
      lines.push(`${r.name}: ${errors.length} ${id} notification${errors.length === 1 ? "" : "s"}: ${shown.join("; ")}${more}`);
    }
    for (const leak of r.score?.missed ?? []) lines.push(`${r.name}: missed judged leak ${leak.file}:${leak.line} ${leak.class} (${leak.kind}): ${leak.why}`);
    for (const v of r.score?.violated ?? []) {
      lines.push(`${r.name}: judged negative violated ${v.negative.file}:${v.negative.line} by ${v.results.map((x) => x.ruleId).join(", ")}: ${v.negative.why}`);
    }
  }
  return lines.length > 0 ? lines.map((l) => `- ${l}`).join("\n") + "\n" : "";
}

function groupById(notifications: readonly CorpusNotification[]): Map<string, CorpusNotification[]> {
  const groups = new Map<string, CorpusNotification[]>();
  for (const n of notifications) groups.set(n.id, [...(groups.get(n.id) ?? []), n]);
  return groups;
}

function notificationLine(n: CorpusNotification): string {
  return `${n.where ? `${n.where}: ` : ""}${n.message}`;
}

function lastLines(text: string): string {
  return text.trim().split("\n").slice(-3).join(" / ");
}
