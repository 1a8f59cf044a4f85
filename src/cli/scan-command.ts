import { statSync, writeFileSync } from "node:fs";
import { Command, Option } from "commander";
import { Chalk } from "chalk";
import { PolicyError, UsageError } from "../errors.js";
import type { Notification, ScanResult } from "../result.js";
import type { TextOptions } from "../report/text.js";
import type { ScanOptions } from "../scan.js";
import { GRANULARITIES, type Granularity } from "../findings/granularity.js";
import { DEFAULT_CATEGORY } from "../report/category.js";
import { EXIT, FAIL_ON_LEVELS, failingFindings, type FailOn } from "./exit-codes.js";
import { createProgressLine } from "./progress.js";
import { wantsColor, wantsProgress } from "./terminal.js";
import type { CliContext } from "./context.js";
import { collectGarbageBeforeReports } from "../collect-garbage.js";
import { INTERNAL_ERROR, InternalErrors } from "../internal-errors.js";
import { realPath } from "../real-path.js";
import { CACHE_KEY_VARIABLE, defaultCacheDir } from "../cache/cache-dir.js";
import type { CacheOptions } from "../cache/analysis-cache.js";
import path from "node:path";
import { handOverLargeScan, LargeScanHandedOver } from "../startup/large-scan.js";

export const FORMATS = ["text", "sarif", "markdown", "inventory", "inventory-markdown"] as const;
export type Format = (typeof FORMATS)[number];

/** What commander hands the action: one field per option below. */
export interface ScanCommandOptions {
  config?: string;
  format: Format;
  output?: string;
  failOn: FailOn;
  quiet?: boolean;
  color: boolean;
  debug?: boolean;
  verbose?: boolean;
  // Update review (src/diff/): what the update introduces, judged by the base revision's policy.
  base?: string;
  includeWorktree?: boolean;
  diff?: string;
  baseline?: string;
  policyFrom: "base" | "head";
  newOnly?: boolean;
  all?: boolean;
  sarifProfile: "full" | "github";
  granularity: Granularity;
  category: string;
  sarifArtifact?: string;
  markdownSummary?: string;
  cache: boolean;
  cacheDir?: string;
  cacheReadOnly?: boolean;
}

/**
 * The scan command's options, in the order `--help` lists them. Adding an option = a line here and, if the library
 * needs it, a line in toScanOptions().
 */
function scanCommandOptions(): Option[] {
  return [
    new Option("--config <file>", "policy file (default: flowgate.config.yaml in <dir>); YAML only"),
    new Option("--format <format>", "output format").choices(FORMATS).default("text"),
    new Option("--output <file>", "write the report to a file instead of stdout"),
    new Option("--fail-on <level>", "exit 1 when a finding is at or above this level").choices(FAIL_ON_LEVELS).default("error"),
    new Option("--quiet", "no progress line and no status messages on stderr"),
    new Option("--no-color", "no colours in text output (also: NO_COLOR, or stdout not a terminal)"),
    new Option("--debug", "print stack traces of internal errors"),
    new Option("--verbose", "text output: list every budget notification (past ten they are counted by id)"),
    new Option("--base <ref>", "update review: report what HEAD adds since its merge base with <ref> (git), judged by the base's policy"),
    new Option("--include-worktree", "with --base: review uncommitted and untracked files too"),
    new Option("--diff <patch>", "update review of a unified diff already applied to <dir> (base = <dir> with the patch taken out)"),
    new Option("--baseline <sarif>", "compare with an earlier flowgate SARIF file by fingerprint (baselineState new/unchanged/updated/absent)"),
    new Option("--policy-from <revision>", "with --base/--diff: read the policy from the base (trusted) or the head (logged opt-out)")
      .choices(["base", "head"])
      .default("base"),
    new Option("--new-only", "report only new, updated and fixed findings (default with --base and --diff)").conflicts("all"),
    new Option("--all", "report every finding, with its baselineState marked"),
    new Option("--sarif-profile <profile>", "github: leave out suppressed, fixed and (in update review) unchanged results for code scanning")
      .choices(["full", "github"])
      .default("full"),
    new Option("--granularity <unit>", "door: one finding per sink argument and rule, naming every source; flow: one per source and data class")
      .choices(GRANULARITIES)
      .default("door"),
    new Option("--category <id>", "SARIF runs[0].automationDetails.id: tells apart several analyses of one commit in code scanning").default(
      DEFAULT_CATEGORY,
    ),
    new Option("--sarif-artifact <file>", "also write the full SARIF (every finding, states and suppressions marked) to <file>"),
    new Option("--markdown-summary <file>", "also write the markdown PR summary (what --format markdown prints) to <file>"),
    new Option("--cache-dir <dir>", "the analysis cache's folder (default: the OS cache folder's flowgate/); see docs/update-review.md"),
    new Option("--no-cache", "neither read nor write the analysis cache"),
    new Option("--cache-read-only", "use the analysis cache, never write to it (pull-request runs)"),
  ];
}

/** CLI options → the library's ScanOptions: the one place the two meet. */
function toScanOptions(root: string, options: ScanCommandOptions, env: NodeJS.ProcessEnv, onProgress: ScanOptions["onProgress"]): ScanOptions {
  return {
    root,
    ...(options.config !== undefined ? { configPath: options.config } : {}),
    ...(options.base !== undefined ? { base: options.base } : {}),
    ...(options.includeWorktree ? { includeWorktree: true } : {}),
    ...(options.diff !== undefined ? { diff: options.diff } : {}),
    ...(options.baseline !== undefined ? { baseline: options.baseline } : {}),
    policyFrom: options.policyFrom,
    granularity: options.granularity,
    // Filtering happens after the scan (reportedFindings), so --sarif-artifact can still see every finding.
    newOnly: false,
    ...(options.debug ? { debug: true } : {}),
    ...(options.cache ? { cache: cacheOptions(options, env) } : {}),
    onProgress,
    ...(canRunAgain(options) ? { onSourcesRead: handOverLargeScan } : {}),
  };
}

/**
 * A large scan is run again by another process with the same arguments (startup/large-scan.ts) — unless `--diff` names
 * something other than a file (`/dev/stdin`, a pipe), which this process has read and the other could not read again.
 */
export function canRunAgain(options: Pick<ScanCommandOptions, "diff">): boolean {
  if (options.diff === undefined) return true;
  return statSync(options.diff, { throwIfNoEntry: false })?.isFile() === true;
}

/** The analysis cache as the options and the environment set it: the signing key only ever from the environment. */
function cacheOptions(options: ScanCommandOptions, env: NodeJS.ProcessEnv): CacheOptions {
  const secret = env[CACHE_KEY_VARIABLE];
  return {
    dir: options.cacheDir !== undefined ? path.resolve(options.cacheDir) : defaultCacheDir(env),
    ...(options.cacheReadOnly ? { readOnly: true } : {}),
    ...(secret ? { secret } : {}),
  };
}

function isReview(options: ScanCommandOptions): boolean {
  return options.base !== undefined || options.diff !== undefined || options.baseline !== undefined;
}

/** --new-only / --all: the default is new-only in update review against a revision, all otherwise. */
function wantsNewOnly(options: ScanCommandOptions): boolean {
  if (options.all) return false;
  return options.newOnly === true || options.base !== undefined || options.diff !== undefined;
}

export function scanCommand(context: CliContext): Command {
  const command = new Command("scan")
    .description("scan a gateway's source for restricted data reaching unvetted egress points")
    .argument("[dir]", "directory to scan", ".");
  for (const option of scanCommandOptions()) command.addOption(option);
  return command.action(async (dir: string, options: ScanCommandOptions) => {
    context.debug = options.debug === true;
    context.exitCode = await runScan(dir, options, context);
  });
}

async function runScan(dir: string, options: ScanCommandOptions, context: CliContext): Promise<number> {
  const stat = statSync(dir, { throwIfNoEntry: false });
  if (!stat) throw new UsageError(`scan root does not exist: ${dir}`);
  if (!stat.isDirectory()) throw new UsageError(`scan root is not a directory: ${dir}`);
  const root = realPath(dir);

  const progress = createProgressLine({
    stream: context.stderr,
    enabled: wantsProgress(context.stderr, options.quiet === true, context.env),
  });
  // Loaded here, not at the top: the pipeline pulls in the TypeScript compiler (~0.4 s), which --help, `rules`, `init`
  // and usage errors do not need.
  const { scan } = await import("../scan.js");
  let result: ScanResult;
  try {
    result = await scan(toScanOptions(root, options, context.env, (p) => progress.update(p)));
  } catch (error) {
    // the launcher runs the scan again, in a process with a larger young generation: nothing is written here
    if (error instanceof LargeScanHandedOver) return EXIT.internal;
    if (error instanceof UsageError || error instanceof PolicyError) throw error;
    // A failure of ours outside the per-function and per-finding guards: the report is still written, holding the
    // internal error (a CI job's SARIF upload then shows why the scan is incomplete), and the exit code is 3.
    result = await failedScan(root, error, options.debug === true);
  } finally {
    progress.done();
  }
  collectGarbageBeforeReports(); // the scan's trees and checker are garbage now: render the reports in their room
  if (options.policyFrom === "head" && (options.base !== undefined || options.diff !== undefined) && options.quiet !== true) {
    context.stderr.write("flowgate: --policy-from head: the update's own policy judges it (the base revision's policy is not used)\n");
  }
  if (options.sarifArtifact !== undefined) writeReport(options.sarifArtifact, (await import("../report/sarif.js")).renderSarif(result, { category: options.category }));
  if (wantsNewOnly(options)) {
    const { isReportedAsNew } = await import("../diff/baseline.js");
    result = { ...result, findings: result.findings.filter(isReportedAsNew) };
  }
  if (options.markdownSummary !== undefined) writeReport(options.markdownSummary, await render(result, "markdown", { color: false }, "full"));

  const toTerminal = options.output === undefined;
  const color = wantsColor(options.color, toTerminal, context.stdout, context.env);
  const report = await render(result, options.format, { color, verbose: options.verbose === true }, options.sarifProfile, options.category);
  if (toTerminal) context.stdout.write(report);
  else writeReport(options.output!, report);

  const internal = result.notifications.filter((n) => n.id === INTERNAL_ERROR);
  if (internal.length > 0) {
    reportInternalErrors(internal, options, context);
    return EXIT.internal;
  }
  // In update review the gate is what the update introduces: with --all, unchanged findings are shown, not failed on.
  const gated = isReview(options) ? result.findings.filter((f) => f.baselineState !== "unchanged") : result.findings;
  return failingFindings(gated, options.failOn).length > 0 ? EXIT.findings : EXIT.clean;
}

async function render(result: ScanResult, format: Format, text: TextOptions, sarifProfile: "full" | "github", category?: string): Promise<string> {
  switch (format) {
    case "text":
      return (await import("../report/text.js")).renderText(result, text);
    case "sarif":
      return (await import("../report/sarif.js")).renderSarif(result, { profile: sarifProfile, category });
    case "markdown":
      return (await import("../report/markdown.js")).renderMarkdown(result);
    case "inventory":
      return (await import("../report/inventory.js")).renderInventory(result);
    case "inventory-markdown":
      return (await import("../report/inventory-markdown.js")).renderInventoryMarkdown(result);
  }
}

function writeReport(file: string, report: string): void {
  try {
    writeFileSync(file, report);
  } catch (err) {
    throw new UsageError(`cannot write ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

/** The result of a scan that failed as a whole in our own code: no findings, one internal error. */
async function failedScan(root: string, error: unknown, debug: boolean): Promise<ScanResult> {
  const internal = new InternalErrors(debug);
  internal.record(error, { stage: "scan" });
  return {
    root,
    findings: [],
    egress: [],
    notifications: internal.notifications(),
    stats: { filesScanned: 0, filesSkipped: 0, functionsAnalysed: 0, summariesReused: 0, unresolvedCalls: 0, budgetHits: 0 },
    rules: (await import("../findings/rule-catalog.js")).loadRuleCatalog(),
    policyFiles: [],
  };
}

/**
 * One prominent line however many causes (each is a notification in the report, written already), and with --debug
 * each cause's stack trace.
 */
function reportInternalErrors(internal: readonly Notification[], options: ScanCommandOptions, context: CliContext): void {
  const first = internal[0]!.exception?.message ?? internal[0]!.message;
  const line =
    `flowgate: ${internal.length === 1 ? "internal error" : `${internal.length} internal errors, the first`}: ${first}. ` +
    `The scan is incomplete and cannot pass (see the report's notifications). This is a bug in flowgate; please report it` +
    (options.debug ? " with the stack traces below." : " (run again with --debug for the stack traces).");
  context.stderr.write(`${wantsColor(options.color, true, context.stderr, context.env) ? new Chalk({ level: 1 }).red.bold(line) : line}\n`);
  if (options.debug) for (const n of internal) if (n.exception?.stack) context.stderr.write(`${n.exception.stack}\n`);
}
