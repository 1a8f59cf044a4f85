import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import type { Log } from "sarif";
import { flowgateCommit, machineInfo } from "../machine.js";
import { detectRssProbe, measure, type RssProbe } from "../measure.js";
import { readExtracted } from "./checkouts.js";
import { describeInstall, readDepsRecords } from "./deps-record.js";
import { excludesOf, loadCorpus, repositoryRoot, selectEntries, type Corpus, type CorpusEntry } from "./corpus-file.js";
import { validateJudged, type Judged } from "./judged.js";
import { medianRun, outcome, renderCorpusTable, renderFindingsOfNote, renderPrecisionTable, summaryCounts, type EntryReport, type RunOutcome, type TimedRun, type UpdateOutcome } from "./report.js";
import { renderSample, sampleResults, type SampledResult } from "./sample.js";
import { prepareScope, type EntryScope } from "./scope.js";
import { summariseSarif, type CorpusResult } from "./scan-summary.js";
import { readTscOutput } from "./tsc-output.js";
import { scoreEntry } from "./score.js";
import { renderStagesTable, type StageTimes } from "./stages.js";
import { prepareUpdate } from "./update-scan.js";
import { entryPrecision, VerdictIndex, verdictTemplate, type VerdictsFile } from "./verdicts.js";

/**
 * `npm run corpus -- --dir DIR`: scans each corpus entry's server code (bench/corpus.json) in DIR/<name> with the built
 * flowgate CLI, runs `tsc --noEmit` on the same files, scores the results against bench/corpus-judged.json and prints
 * one table (plus a JSON report), and the results' precision against the verdicts of bench/corpus-verdicts.json. Each child runs under a time limit; a timeout is a row, not a crash. Never part of
 * the test suite: it needs the snapshots (docs/corpus.md).
 */
const REPO = repositoryRoot(path.dirname(fileURLToPath(import.meta.url)));
const CLI = path.join(REPO, "bin/flowgate.js");
const TSC = path.join(REPO, "node_modules/typescript/bin/tsc");
const STAGE_CHILD = path.join(REPO, "bench/out/build/corpus/stage-child.js");
/** The issue's draw: 15 results an entry (issue 11), the size expected precision is given for without --sample. */
const DRAW = 15;

const HELP = `usage: npm run corpus -- --dir DIR [options]

  --dir DIR         checkouts: DIR/<name> for each entry (npm run corpus:extract writes them)
  --only LIST       only these entries (comma-separated names from bench/corpus.json)
  --json FILE       write the report as JSON (default: bench/out/corpus.json)
  --sarif-dir DIR   keep each entry's SARIF as DIR/<name>.sarif (default: a temporary directory)
  --from-sarif DIR  do not scan: read DIR/<name>.sarif from an earlier run (scoring and sampling only; no timings)
  --sample N        print N results per entry picked at random, to classify by hand (docs/precision.md)
  --seed S          seed of the sample (default 1)
  --update          also time an update review (\`--base HEAD~1\` after a one-line change to one scanned file), through
                    a throwaway repository in a scratch directory: the checkout is left as it was
  --stages          also run the scan's pipeline stage by stage in a process of its own and print each stage's CPU
                    as a share of tsc's: reading, parsing and binding are the floor tsc pays too (docs/performance.md)
  --reps N          time the full scan and tsc N times each, alternating (default 1); the table shows each side's run
                    of median wall time and the JSON every run's times: on a shared or drifting machine one run each
                    can differ by a fifth or more from the next
  --timeout MIN     per-child limit in minutes; a run over it is killed and reported as a timeout (default 20)
  --judged FILE     judged flows (default: bench/corpus-judged.json)
  --verdicts FILE   verdicts on earlier results, to score precision (default: bench/corpus-verdicts.json)
  --unjudged FILE   write the results no verdict covers (new, or on a changed path) as verdicts to fill in
                    (\`npm run corpus:verdicts -- --from FILE\` merges them once judged)
`;

interface Options {
  dir: string;
  timeoutMs: number;
  reps: number;
  sarifDir: string;
  fromSarif: boolean;
  sample: number;
  seed: number;
  update: boolean;
  stages: boolean;
  judged: Judged;
  verdicts: VerdictIndex;
  /** Verdicts to fill in, collected over the entries when --unjudged is given. */
  unjudged: unknown[] | undefined;
  probe: RssProbe;
  scratch: string;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      dir: { type: "string" },
      only: { type: "string", default: "" },
      json: { type: "string", default: path.join(REPO, "bench/out/corpus.json") },
      "sarif-dir": { type: "string" },
      "from-sarif": { type: "string" },
      sample: { type: "string", default: "0" },
      seed: { type: "string", default: "1" },
      timeout: { type: "string", default: "20" },
      reps: { type: "string", default: "1" },
      update: { type: "boolean", default: false },
      stages: { type: "boolean", default: false },
      judged: { type: "string", default: path.join(REPO, "bench/corpus-judged.json") },
      verdicts: { type: "string", default: path.join(REPO, "bench/corpus-verdicts.json") },
      unjudged: { type: "string" },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (!values.dir) throw new Error(`--dir is required\n${HELP}`);
  if (!existsSync(path.join(REPO, "dist/cli/main.js"))) throw new Error("dist/ is missing: run `npm run build` first");
  const corpus = loadCorpus(path.join(REPO, "bench/corpus.json"));
  const entries = selectEntries(corpus, values.only);
  const scratch = mkdtempSync(path.join(os.tmpdir(), "flowgate-corpus-"));
  const sarifDir = path.resolve(values["from-sarif"] ?? values["sarif-dir"] ?? path.join(scratch, "sarif"));
  mkdirSync(sarifDir, { recursive: true });
  const options: Options = {
    dir: path.resolve(values.dir),
    timeoutMs: positiveNumber(values.timeout, "--timeout") * 60_000,
    reps: atLeastOne(nonNegativeInt(values.reps, "--reps"), "--reps"),
    sarifDir,
    fromSarif: values["from-sarif"] !== undefined,
    sample: nonNegativeInt(values.sample, "--sample"),
    seed: nonNegativeInt(values.seed, "--seed"),
    update: values.update && values["from-sarif"] === undefined,
    stages: values.stages && values["from-sarif"] === undefined,
    judged: loadJudged(values.judged, corpus),
    verdicts: loadVerdicts(values.verdicts),
    unjudged: values.unjudged === undefined ? undefined : [],
    probe: detectRssProbe(),
    scratch,
  };
  log(`flowgate ${flowgateCommit(REPO)}; peak RSS from ${options.probe === "gnu-time" ? "/usr/bin/time -f %M" : "a preload hook"}`);
  const reports: EntryReport[] = [];
  const samples: string[] = [];
  try {
    for (const [i, entry] of entries.entries()) {
      const { report, results } = await runEntry(corpus, entry, options, i % 2 === 0);
      reports.push(report);
      if (options.sample > 0 && report.sample) samples.push(renderSample(entry.name, results.length, options.seed, report.sample));
      writeJson(path.resolve(values.json), reports, options);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  process.stdout.write(`\n${renderCorpusTable(reports)}\n\n${renderFindingsOfNote(reports)}`);
  if (options.stages) process.stdout.write(`\nStages of a full scan, CPU as a share of tsc's (one process each, no startup snapshot)\n\n${renderStagesTable(reports)}\n`);
  process.stdout.write(`\nPrecision by the verdicts (${path.relative(REPO, path.resolve(values.verdicts))})\n\n${renderPrecisionTable(reports, options.sample > 0 ? options.sample : DRAW)}\n`);
  if (values.unjudged !== undefined && options.unjudged) {
    writeFileSync(path.resolve(values.unjudged), JSON.stringify(options.unjudged, null, 1) + "\n");
    log(`${options.unjudged.length} results without a verdict: ${path.resolve(values.unjudged)}`);
  }
  if (samples.length > 0) process.stdout.write(`\nSampled results (seed ${options.seed})\n\n${samples.join("\n")}`);
  log(`report: ${path.resolve(values.json)}${values["sarif-dir"] ? `; SARIF: ${sarifDir}` : ""}`);
  return 0;
}

async function runEntry(corpus: Corpus, entry: CorpusEntry, options: Options, flowgateFirst: boolean): Promise<{ report: EntryReport; results: CorpusResult[] }> {
  const checkout = path.join(options.dir, entry.name);
  const extracted = readExtracted(options.dir)[entry.name];
  const report: EntryReport = {
    name: entry.name,
    repository: entry.repository,
    commit: entry.commit,
    checkoutCommit: extracted?.commit,
    files: 0,
    lines: 0,
  };
  if (!existsSync(checkout)) {
    report.skipped = `no checkout at ${checkout} (npm run corpus:extract)`;
    log(`${entry.name}: ${report.skipped}`);
    return { report, results: [] };
  }
  const installed = readDepsRecords(options.dir)[entry.name];
  if (installed?.status === "failed") {
    report.skipped = `its dependencies did not install (${path.join(options.dir, `${entry.name}.install.log`)})`;
    log(`${entry.name}: ${report.skipped}`);
    return { report, results: [] };
  }
  if (extracted && extracted.commit !== entry.commit) log(`${entry.name}: WARNING: ${checkout} holds ${extracted.commit}, bench/corpus.json pins ${entry.commit}`);
  const scope = await prepareScope(REPO, checkout, entry, excludesOf(corpus, entry), options.scratch);
  report.files = scope.files.length;
  report.lines = scope.lines;
  const sarif = path.join(options.sarifDir, `${entry.name}.sarif`);
  if (!options.fromSarif) {
    rmSync(sarif, { force: true });
    log(`${entry.name}: ${scope.files.length} files, ${scope.lines} lines; scanning and type-checking (${scope.tscMode})`);
    const scan = () =>
      measure(process.execPath, [CLI, "scan", checkout, "--config", scope.policyFile, "--format", "sarif", "--output", sarif, "--fail-on", "none", "--granularity", "flow", "--quiet", "--no-cache"], {
        cwd: options.scratch,
        timeoutMs: options.timeoutMs,
        probe: options.probe,
      });
    const tscOutput = path.join(options.scratch, `${entry.name}.tsc.txt`);
    const tsc = () =>
      measure(process.execPath, [TSC, "--noEmit", "--pretty", "false", "-p", scope.tscProject], {
        cwd: options.scratch,
        timeoutMs: options.timeoutMs,
        probe: options.probe,
        stdoutFile: tscOutput,
      });
    // Alternate who goes first from entry to entry and from round to round (A B B A …), so drift on a shared machine
    // does not favour one side. tsc exits 1 or 2 when it reports type errors, which a checkout without its
    // dependencies always has.
    const flowgateRuns: RunOutcome[] = [];
    const tscRuns: RunOutcome[] = [];
    for (let rep = 0; rep < options.reps; rep++) {
      const first = flowgateFirst === (rep % 2 === 0);
      if (first) flowgateRuns.push(outcome(await scan(), [0, 1, 3]));
      tscRuns.push(outcome(await tsc(), [0, 1, 2]));
      if (!first) flowgateRuns.push(outcome(await scan(), [0, 1, 3]));
      // a failed run is the outcome (medianRun): repeating a timeout only costs its limit again
      if ([...flowgateRuns, ...tscRuns].some((r) => r.failure !== undefined)) break;
    }
    report.flowgate = repeated(flowgateRuns);
    report.tsc = { ...repeated(tscRuns), mode: scope.tscMode, ...(installed ? { install: describeInstall(installed.recipe) } : {}), ...readTscOutput(tscOutput) };
    log(`${entry.name}: flowgate ${describe(report.flowgate)}; tsc ${describe(report.tsc)}`);
    if (report.tsc.typeChecked === false) log(`${entry.name}: WARNING: tsc stopped before type-checking (see ${tscOutput}): its time is no yardstick`);
    if (options.stages) report.stages = await timeStages(checkout, entry, scope, options);
    if (options.update && report.flowgate.failure === undefined) Object.assign(report, await timeUpdate(checkout, entry, scope, options));
  }
  if (!existsSync(sarif)) return { report, results: [] };
  const summary = summariseSarif(JSON.parse(readFileSync(sarif, "utf8")) as Log);
  report.scan = summaryCounts(summary);
  const judged = options.judged.entries[entry.name];
  if (judged) report.score = scoreEntry(judged, summary.results);
  report.precision = entryPrecision(entry.name, summary.results, options.verdicts);
  for (const result of summary.results) {
    const standing = options.verdicts.standing(entry.name, result);
    if (standing.kind !== "judged") options.unjudged?.push(verdictTemplate(entry.name, result, standing));
  }
  if (options.sample > 0) {
    const drawn = sampleResults(summary.results, options.sample, options.seed, entry.name);
    report.sample = drawn.map((r) => withCode(checkout, r));
    report.precision.sample = entryPrecision(entry.name, drawn, options.verdicts);
  }
  return { report, results: summary.results };
}

/**
 * The update review of a one-line change, timed like the full scan (same policy, same output); its SARIF holds only
 * what the update introduces, which for an appended constant is nothing. Timed twice: without the analysis cache, and
 * as a pull request's CI run pays it — with the cache a full scan of the base left (the default branch's run),
 * restored read-only.
 */
async function timeUpdate(checkout: string, entry: CorpusEntry, scope: EntryScope, options: Options): Promise<Pick<EntryReport, "update" | "cachedUpdate">> {
  const cacheDir = path.join(options.scratch, `${entry.name}.cache`);
  rmSync(cacheDir, { recursive: true, force: true });
  log(`${entry.name}: full scan of the base, writing the analysis cache`);
  const warm = await measure(
    process.execPath,
    [CLI, "scan", checkout, "--config", scope.policyFile, "--format", "sarif", "--output", path.join(options.scratch, `${entry.name}.warm.sarif`), "--fail-on", "none", "--granularity", "flow", "--quiet", "--cache-dir", cacheDir],
    { cwd: options.scratch, timeoutMs: options.timeoutMs, probe: options.probe },
  );
  log(`${entry.name}: cache warm-up ${describe(outcome(warm, [0, 1, 3]))}`);
  const scenario = prepareUpdate(checkout, scope.files, readFileSync(scope.policyFile, "utf8"), path.join(options.scratch, `${entry.name}.git`));
  try {
    const once = async (label: string, name: string, cacheArgs: string[]): Promise<UpdateOutcome> => {
      const sarif = path.join(options.sarifDir, `${entry.name}.${name}.sarif`);
      rmSync(sarif, { force: true });
      log(`${entry.name}: ${label} of a change to ${scenario.changed}`);
      const measured = await measure(
        process.execPath,
        [CLI, "scan", checkout, "--config", scenario.policyFile, "--base", "HEAD~1", "--format", "sarif", "--output", sarif, "--fail-on", "none", "--granularity", "flow", "--quiet", ...cacheArgs],
        { cwd: options.scratch, timeoutMs: options.timeoutMs, probe: options.probe, env: scenario.env },
      );
      const result = outcome(measured, [0, 1, 3]);
      const reported = existsSync(sarif) ? (JSON.parse(readFileSync(sarif, "utf8")) as Log).runs.reduce((n, run) => n + (run.results?.length ?? 0), 0) : undefined;
      log(`${entry.name}: ${label} ${describe(result)}; ${reported ?? "no"} results reported`);
      return { ...result, changed: scenario.changed, results: reported };
    };
    const update = await once("update review without the cache", "update", ["--no-cache"]);
    // the cached review takes about a second, which one stall of a shared machine can move by a third: timed
    // CACHED_REVIEW_RUNS times, the run of median wall time reported, every run kept (docs/performance.md, session 44)
    const cachedRuns: UpdateOutcome[] = [];
    for (let run = 1; run <= CACHED_REVIEW_RUNS; run++) {
      cachedRuns.push(await once(`update review with the base's cache (${run}/${CACHED_REVIEW_RUNS})`, "update-cached", ["--cache-dir", cacheDir, "--cache-read-only"]));
    }
    return { update, cachedUpdate: medianRun(cachedRuns) };
  } finally {
    scenario.restore();
    rmSync(cacheDir, { recursive: true, force: true });
  }
}

/** How often the cached update review is timed (each a run of its own, read-only: the runs leave nothing behind). */
const CACHED_REVIEW_RUNS = 3;

/** The stages of one full scan (stages.ts), in a fresh process like the scan's; undefined, with a log line, if it failed. */
async function timeStages(checkout: string, entry: CorpusEntry, scope: EntryScope, options: Options): Promise<StageTimes | undefined> {
  const output = path.join(options.scratch, `${entry.name}.stages.json`);
  const run = await measure(process.execPath, [STAGE_CHILD, REPO, checkout, scope.policyFile], { cwd: options.scratch, timeoutMs: options.timeoutMs, probe: options.probe, stdoutFile: output });
  if (run.exitCode !== 0 || run.timedOut) {
    log(`${entry.name}: stages failed (${run.timedOut ? "timeout" : `exit ${run.exitCode}`}): ${run.stderrTail.trim().split("\n").slice(-3).join(" | ")}`);
    return undefined;
  }
  return JSON.parse(readFileSync(output, "utf8")) as StageTimes;
}

function loadJudged(file: string, corpus: Corpus): Judged {
  if (!existsSync(file)) {
    log(`no judged flows at ${file}: recall and negatives are not scored`);
    return { entries: {} };
  }
  const { judged, rejected } = validateJudged(JSON.parse(readFileSync(file, "utf8")), file, corpus.entries.map((e) => e.name));
  if (rejected.length > 0) throw new Error(`${file} is not in the judged format:\n${rejected.map((r) => `  ${r.where}: ${r.problem}`).join("\n")}`);
  return judged;
}

function loadVerdicts(file: string): VerdictIndex {
  if (!existsSync(file)) {
    log(`no verdicts at ${file}: precision is not scored`);
    return new VerdictIndex([]);
  }
  return new VerdictIndex((JSON.parse(readFileSync(file, "utf8")) as VerdictsFile).verdicts);
}

function withCode(checkout: string, result: CorpusResult): SampledResult {
  let code = "";
  try {
    code = readFileSync(path.join(checkout, result.file), "utf8").split("\n")[result.startLine - 1] ?? "";
  } catch {
    code = "(file not readable)";
  }
  return { ...result, code };
}

function writeJson(file: string, reports: EntryReport[], options: Options): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const doc = {
    date: new Date().toISOString(),
    flowgateCommit: flowgateCommit(REPO),
    machine: machineInfo(),
    rssProbe: options.probe,
    timeoutMinutes: options.timeoutMs / 60_000,
    checkouts: options.dir,
    scanned: !options.fromSarif,
    ...(options.sample > 0 ? { sampleSeed: options.seed } : {}),
    entries: reports,
  };
  writeFileSync(file, JSON.stringify(doc, null, 2) + "\n");
}

function describe(o: { wallMs: number; maxRssMb: number | undefined; exitCode: number | null; timedOut: boolean }): string {
  return `${(o.wallMs / 1000).toFixed(2)} s, ${o.maxRssMb ?? "?"} MB${o.timedOut ? ", TIMEOUT" : `, exit ${o.exitCode}`}`;
}

function positiveNumber(text: string, option: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${option}: expected a positive number, got "${text}"`);
  return n;
}

function nonNegativeInt(text: string, option: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${option}: expected a whole number, got "${text}"`);
  return n;
}

function atLeastOne(n: number, option: string): number {
  if (n === 0) throw new Error(`${option}: expected at least 1`);
  return n;
}

/** One run as it is; several as the run of median wall time with every run's times (`--reps`). */
function repeated(runs: readonly RunOutcome[]): RunOutcome & { runs?: TimedRun[] } {
  return runs.length === 1 ? runs[0]! : medianRun(runs);
}

function log(message: string): void {
  process.stderr.write(`corpus: ${message}\n`);
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`corpus: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);
