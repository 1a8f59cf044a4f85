import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { countLines, DEFAULT_SEED, generateProject, writeProject } from "./generate.js";
import { ensureDependencies } from "./dependencies.js";
import { detectRssProbe, measure, type Measurement, type RssProbe } from "./measure.js";
import { cloneWithOneFileChange, commitWithOneFileChange } from "./update-change.js";
import { summariseProfile, type ProfileSummary } from "./profile-summary.js";
import { evaluateBudgets, median, type Budget, type TargetResult } from "./budgets.js";
import { renderTable } from "./table.js";
import { flowgateCommit, machineInfo } from "./machine.js";

/**
 * `npm run bench`: flowgate's full scan and `tsc --noEmit` side by side on generated gateways of growing size (and on
 * any real checkout with --project), alternating, several repetitions, medians; plus an update scan (`--base`) after
 * a one-file change. Prints a table and writes bench/out/results.json. Never part of the test suite.
 */
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const CLI = path.join(REPO, "bin/flowgate.js");
const TSC = path.join(REPO, "node_modules/typescript/bin/tsc");

const HELP = `usage: npm run bench -- [options]

  --sizes LIST     generated gateway sizes in lines (default 10k,50k,200k,500k; "none" for only --project)
  --project PATH   also measure a real checkout (repeatable); tsc runs on PATH/tsconfig.json
  --reps N[,N…]    repetitions of each measurement, alternating flowgate and tsc (default 3); a list gives one
                   count per size, in order (e.g. 3,3,2,1: fewer repetitions where one run takes minutes)
  --timeout MIN    per-run limit in minutes; a run over it is killed and reported (default 20)
  --seed N         generator seed (default ${DEFAULT_SEED})
  --owner-links    generated gateways with owner links: each module's workflow, held by its service, holds steps
                   that keep it (bench/owner-links.ts); their targets are named "generated 50k owner-links"
  --cpu-prof LIST  after measuring, profile one flowgate scan (node --cpu-prof) of each listed size or project
                   name (e.g. 50k, or "all") and rank the hot spots
  --out DIR        output directory (default bench/out)
`;

interface Target {
  name: string;
  dir: string;
  lines: number;
  files: number;
  /** Directory and base ref for the update scan, when one can be prepared. */
  update?: { dir: string; base: string; changed: string };
}

interface Capabilities {
  base: boolean;
  /** Options every scan gets (output to /dev/null, no failing exit code, quiet). */
  scanArgs: string[];
  /** Options only the full scan gets (no cache). */
  fullScanArgs: string[];
  warmUpdate: boolean;
  /** Whether scans can write their report to a file (kept to count findings); else stdout is discarded. */
  output: boolean;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      sizes: { type: "string", default: "10k,50k,200k,500k" },
      project: { type: "string", multiple: true, default: [] },
      reps: { type: "string", default: "3" },
      timeout: { type: "string", default: "20" },
      seed: { type: "string", default: String(DEFAULT_SEED) },
      "owner-links": { type: "boolean", default: false },
      "cpu-prof": { type: "string", default: "" },
      out: { type: "string", default: path.join(REPO, "bench/out") },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const repList = values.reps.split(",").map((r) => positiveInt(r, "--reps"));
  const timeoutMs = positiveInt(values.timeout, "--timeout") * 60_000;
  const seed = positiveInt(values.seed, "--seed");
  const sizes = values.sizes === "none" ? [] : values.sizes.split(",").map(parseSize);
  const out = path.resolve(values.out);
  mkdirSync(out, { recursive: true });
  if (!existsSync(path.join(REPO, "dist/cli/main.js"))) throw new Error("dist/ is missing: run `npm run build` first");

  const probe = detectRssProbe();
  const caps = detectCapabilities();
  log(`peak RSS from ${probe === "gnu-time" ? "/usr/bin/time -f %M" : "a process.resourceUsage() preload hook"}`);
  log(caps.base ? "update scan: flowgate scan --base HEAD~1" : "update scan: n/a (flowgate scan --help shows no --base)");

  const targets: Target[] = [];
  if (sizes.length > 0) {
    const nodeModules = ensureDependencies(path.join(out, "deps"));
    for (const size of sizes) targets.push(prepareGenerated(out, size, seed, nodeModules, values["owner-links"]));
  }
  for (const project of values.project) targets.push(prepareProject(out, path.resolve(project)));

  const results: TargetResult[] = [];
  const reps = targets.map((_, i) => repList[Math.min(i, repList.length - 1)] as number);
  for (const [i, target] of targets.entries()) {
    results.push(await measureTarget(target, caps, reps[i] as number, timeoutMs, probe, out));
    writeResults(out, results, evaluateBudgets(results), reps, probe);
  }
  const profiles: Record<string, ProfileSummary> = {};
  const profiled = values["cpu-prof"].split(",").filter(Boolean);
  for (const target of targets) {
    if (profiled.includes("all") || profiled.some((p) => target.name === `generated ${p}` || target.name === p)) {
      profiles[target.name] = profileTarget(out, target, caps);
    }
  }
  const budgets = evaluateBudgets(results);
  writeResults(out, results, budgets, reps, probe, profiles);
  process.stdout.write("\n" + renderTable(results, budgets) + "\n");
  for (const [name, summary] of Object.entries(profiles)) process.stdout.write(renderProfile(name, summary));
  log(`results: ${path.join(out, "results.json")}`);
  return 0;
}

function detectCapabilities(): Capabilities {
  const help = spawnSync(process.execPath, [CLI, "scan", "--help"], { encoding: "utf8", timeout: 60_000 });
  const text = `${help.stdout ?? ""}${help.stderr ?? ""}`;
  const scanArgs: string[] = [];
  // The CLI grows during development: pass only the options it advertises.
  if (text.includes("--format")) scanArgs.push("--format", "sarif");
  if (text.includes("--fail-on")) scanArgs.push("--fail-on", "none");
  if (text.includes("--quiet")) scanArgs.push("--quiet");
  // Full scans are measured cold. The update scan runs as in CI, where the cache a full scan of the base wrote (the
  // default branch's run) is restored read-only: one untimed full scan of the base warms it before the timed ones.
  const cache = text.includes("--no-cache");
  return { base: /--base\b/.test(text), scanArgs, fullScanArgs: cache ? ["--no-cache"] : [], warmUpdate: cache, output: text.includes("--output") };
}

function prepareGenerated(out: string, size: number, seed: number, nodeModules: string, ownerLinks: boolean): Target {
  const suffix = ownerLinks ? " owner-links" : "";
  const name = `generated ${formatSize(size)}${suffix}`;
  const dir = path.join(out, "projects", `gateway-${formatSize(size)}${ownerLinks ? "-owner-links" : ""}`);
  const started = performance.now();
  const project = generateProject({ lines: size, seed, ownerLinks });
  writeProject(dir, project);
  symlinkSync(nodeModules, path.join(dir, "node_modules"), "dir");
  commitWithOneFileChange(dir, project.changeTarget);
  log(
    `${name}: ${project.stats.lines} lines, ${project.stats.sourceFiles} files, ${project.stats.modules} modules ` +
      `(generated in ${((performance.now() - started) / 1000).toFixed(1)} s)`,
  );
  return {
    name,
    dir,
    lines: project.stats.lines,
    files: project.stats.sourceFiles,
    update: { dir, base: "HEAD~1", changed: project.changeTarget },
  };
}

function prepareProject(out: string, dir: string): Target {
  if (!existsSync(path.join(dir, "tsconfig.json"))) throw new Error(`--project ${dir}: no tsconfig.json for tsc -p`);
  const { lines, files } = countSource(dir);
  const clone = path.join(out, "projects", `clone-${path.basename(dir)}`);
  rmSync(clone, { recursive: true, force: true });
  mkdirSync(path.dirname(clone), { recursive: true });
  const changed = cloneWithOneFileChange(dir, clone);
  log(`${dir}: ${lines} lines, ${files} files${changed ? `; update scan on a clone changing ${changed}` : "; not a git checkout: no update scan"}`);
  return { name: path.basename(dir), dir, lines, files, update: changed ? { dir: clone, base: "HEAD~1", changed } : undefined };
}

/** Lines of TS/JS source outside node_modules, build output and VCS folders. */
function countSource(root: string): { lines: number; files: number } {
  let lines = 0;
  let files = 0;
  const stack = [root];
  while (stack.length > 0) {
    const dir = stack.pop() as string;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === "node_modules" || entry.name === "dist" || entry.name.startsWith(".")) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) stack.push(full);
      else if (/\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/.test(entry.name) && !entry.name.endsWith(".d.ts") && statSync(full).size < 5e6) {
        files++;
        lines += countLines(readFileSync(full, "utf8"));
      }
    }
  }
  return { lines, files };
}

async function measureTarget(
  target: Target,
  caps: Capabilities,
  reps: number,
  timeoutMs: number,
  probe: RssProbe,
  out: string,
): Promise<TargetResult> {
  // The full scan's SARIF is kept (CI writes it too), to count what the engine found.
  const sarif = path.join(out, "sarif", `${target.name.replace(/\W+/g, "-")}.sarif`);
  mkdirSync(path.dirname(sarif), { recursive: true });
  rmSync(sarif, { force: true });
  const fullOutput = caps.output ? ["--output", sarif] : [];
  const updateOutput = caps.output ? ["--output", os.devNull] : [];
  const full: Measurement[] = [];
  const tsc: Measurement[] = [];
  const update: Measurement[] = [];
  const runFull = () =>
    measure(process.execPath, [CLI, "scan", target.dir, ...caps.scanArgs, ...fullOutput, ...caps.fullScanArgs], {
      cwd: target.dir,
      timeoutMs,
      probe,
    });
  const runTsc = () => measure(process.execPath, [TSC, "--noEmit", "-p", target.dir], { cwd: target.dir, timeoutMs, probe });
  const updateTarget = target.update;
  const cacheDir = path.join(out, "cache", target.name.replace(/\W+/g, "-"));
  const cacheArgs = caps.warmUpdate ? ["--cache-dir", cacheDir, "--cache-read-only"] : [];
  const runUpdate = updateTarget
    ? () =>
        measure(process.execPath, [CLI, "scan", updateTarget.dir, "--base", updateTarget.base, ...caps.scanArgs, ...updateOutput, ...cacheArgs], {
          cwd: updateTarget.dir,
          timeoutMs,
          probe,
        })
    : undefined;
  if (caps.base && updateTarget && runUpdate && caps.warmUpdate) {
    rmSync(cacheDir, { recursive: true, force: true });
    const git = (...args: string[]) => spawnSync("git", args, { cwd: updateTarget.dir, encoding: "utf8" }).stdout.trim();
    const head = git("rev-parse", "--abbrev-ref", "HEAD");
    git("checkout", "-q", updateTarget.base);
    try {
      const warm = await measure(process.execPath, [CLI, "scan", updateTarget.dir, ...caps.scanArgs, ...updateOutput, "--cache-dir", cacheDir], { cwd: updateTarget.dir, timeoutMs, probe });
      log(`${target.name} warm-up: full scan of the base into the cache: ${describe(warm)}`);
    } finally {
      git("checkout", "-q", head);
    }
  }
  for (let rep = 0; rep < reps; rep++) {
    // Alternate who goes first, so drift on a shared machine does not favour one side.
    const order = rep % 2 === 0 ? (["flowgate", "tsc"] as const) : (["tsc", "flowgate"] as const);
    for (const who of order) {
      const m = who === "flowgate" ? await runFull() : await runTsc();
      (who === "flowgate" ? full : tsc).push(m);
      log(`${target.name} rep ${rep + 1}/${reps} ${who}: ${describe(m)}`);
    }
    if (caps.base && runUpdate) {
      const m = await runUpdate();
      update.push(m);
      log(`${target.name} rep ${rep + 1}/${reps} update scan: ${describe(m)}`);
    }
  }
  return {
    name: target.name,
    lines: target.lines,
    files: target.files,
    flowgate: summarise(full, [0, 1]),
    tsc: summarise(tsc, [0]),
    update: caps.base && runUpdate ? summarise(update, [0, 1]) : undefined,
    updateNote: !caps.base ? "n/a (update scan not available)" : !runUpdate ? "n/a (not a git checkout)" : undefined,
    findings: countFindings(sarif),
  };
}

/** Results per rule in the kept SARIF (suppressed ones included), or undefined when there is none. */
function countFindings(file: string): Record<string, number> | undefined {
  if (!existsSync(file)) return undefined;
  const log = JSON.parse(readFileSync(file, "utf8")) as { runs?: { results?: { ruleId?: string }[] }[] };
  const counts: Record<string, number> = {};
  for (const result of log.runs?.flatMap((r) => r.results ?? []) ?? []) {
    const rule = result.ruleId ?? "?";
    counts[rule] = (counts[rule] ?? 0) + 1;
  }
  return counts;
}

/** Median wall time and peak RSS over the runs that finished with an accepted exit code. */
function summarise(runs: Measurement[], okCodes: number[]): TargetResult["flowgate"] {
  const ok = runs.filter((m) => !m.timedOut && m.exitCode !== null && okCodes.includes(m.exitCode));
  const failures = runs.filter((m) => !ok.includes(m)).map((m) => (m.timedOut ? "timeout" : `exit ${m.exitCode}: ${lastLine(m.stderrTail)}`));
  const rss = ok.map((m) => m.maxRssKb).filter((v): v is number => v !== undefined);
  return {
    runs: runs.length,
    ok: ok.length,
    wallMs: ok.map((m) => Math.round(m.wallMs)),
    medianMs: ok.length > 0 ? median(ok.map((m) => m.wallMs)) : undefined,
    medianRssMb: rss.length > 0 ? median(rss) / 1024 : undefined,
    failures,
  };
}

function profileTarget(out: string, target: Target, caps: Capabilities): ProfileSummary {
  const dir = path.join(out, "profiles", target.name.replace(/\W+/g, "-"));
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const output = caps.output ? ["--output", os.devNull] : [];
  const args = ["--cpu-prof", "--cpu-prof-dir", dir, CLI, "scan", target.dir, ...caps.scanArgs, ...output, ...caps.fullScanArgs];
  const run = spawnSync(process.execPath, args, {
    stdio: ["ignore", "ignore", "inherit"],
  });
  const file = readdirSync(dir).find((f) => f.endsWith(".cpuprofile"));
  if (!file) throw new Error(`no CPU profile written for ${target.name} (exit ${run.status})`);
  log(`profile: ${path.join(dir, file)}`);
  return summariseProfile(path.join(dir, file), REPO);
}

function renderProfile(name: string, summary: ProfileSummary): string {
  const rows = (spots: ProfileSummary["functions"]) =>
    spots.map((s) => `  ${String(s.selfMs).padStart(6)} ms ${(100 * s.share).toFixed(1).padStart(5)}%  ${s.name}`).join("\n");
  return `\nCPU profile, ${name} (${summary.totalMs} ms sampled)\n self time by function:\n${rows(summary.functions)}\n self time by file:\n${rows(summary.files)}\n`;
}

function writeResults(
  out: string,
  results: TargetResult[],
  budgets: Budget[],
  reps: number[],
  probe: RssProbe,
  profiles: Record<string, ProfileSummary> = {},
): void {
  const doc = { date: new Date().toISOString(), flowgateCommit: flowgateCommit(REPO), machine: machineInfo(), reps, rssProbe: probe, results, budgets, profiles };
  writeFileSync(path.join(out, "results.json"), JSON.stringify(doc, null, 2) + "\n");
}

function describe(m: Measurement): string {
  const rss = m.maxRssKb !== undefined ? `${Math.round(m.maxRssKb / 1024)} MB` : "? MB";
  const status = m.timedOut ? " TIMEOUT" : m.exitCode === 0 || m.exitCode === 1 ? "" : ` exit ${m.exitCode}: ${lastLine(m.stderrTail)}`;
  return `${(m.wallMs / 1000).toFixed(2)} s, ${rss}${status}`;
}

function lastLine(text: string): string {
  return text.trim().split("\n").slice(-1)[0] ?? "";
}

function parseSize(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(k|m)?$/i.exec(text.trim());
  if (!match) throw new Error(`--sizes: "${text}" is not a size like 50k`);
  const unit = match[2]?.toLowerCase() === "m" ? 1_000_000 : match[2] ? 1_000 : 1;
  return Math.round(Number(match[1]) * unit);
}

function formatSize(size: number): string {
  return size % 1_000_000 === 0 ? `${size / 1_000_000}m` : size % 1_000 === 0 ? `${size / 1_000}k` : String(size);
}

function positiveInt(text: string, option: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${option}: expected a positive integer, got "${text}"`);
  return n;
}

function log(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);
