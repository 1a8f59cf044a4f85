import { statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Command, Option } from "commander";
import { UsageError } from "../errors.js";
import type { ScanResult } from "../result.js";
import type { ScanOptions } from "../scan.js";
import { EXIT, FAIL_ON_LEVELS, failingFindings, type FailOn } from "./exit-codes.js";
import { createProgressLine } from "./progress.js";
import { wantsColor, wantsProgress } from "./terminal.js";
import type { CliContext } from "./context.js";

export const FORMATS = ["text", "sarif", "markdown", "inventory"] as const;
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
}

/**
 * The scan command's options, in the order `--help` lists them. Adding an option = a line here and, if the library
 * needs it, a line in toScanOptions() (update review's --base, --diff, --baseline… plug in the same way).
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
  ];
}

/** CLI options → the library's ScanOptions: the one place the two meet. */
function toScanOptions(root: string, options: ScanCommandOptions, onProgress: ScanOptions["onProgress"]): ScanOptions {
  return {
    root,
    ...(options.config !== undefined ? { configPath: options.config } : {}),
    onProgress,
  };
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
  const root = path.resolve(dir);
  const stat = statSync(root, { throwIfNoEntry: false });
  if (!stat) throw new UsageError(`scan root does not exist: ${dir}`);
  if (!stat.isDirectory()) throw new UsageError(`scan root is not a directory: ${dir}`);

  const progress = createProgressLine({
    stream: context.stderr,
    enabled: wantsProgress(context.stderr, options.quiet === true, context.env),
  });
  // Loaded here, not at the top: the pipeline pulls in the TypeScript compiler (~0.4 s), which --help, `rules`, `init`
  // and usage errors do not need.
  const { scan } = await import("../scan.js");
  let result: ScanResult;
  try {
    result = await scan(toScanOptions(root, options, (p) => progress.update(p)));
  } finally {
    progress.done();
  }

  const toTerminal = options.output === undefined;
  const color = wantsColor(options.color, toTerminal, context.stdout, context.env);
  const report = await render(result, options.format, color);
  if (toTerminal) context.stdout.write(report);
  else writeReport(options.output!, report);

  return failingFindings(result.findings, options.failOn).length > 0 ? EXIT.findings : EXIT.clean;
}

async function render(result: ScanResult, format: Format, color: boolean): Promise<string> {
  switch (format) {
    case "text":
      return (await import("../report/text.js")).renderText(result, { color });
    case "sarif":
      return (await import("../report/sarif.js")).renderSarif(result);
    case "markdown":
      return (await import("../report/markdown.js")).renderMarkdown(result);
    case "inventory":
      return (await import("../report/inventory.js")).renderInventory(result);
  }
}

function writeReport(file: string, report: string): void {
  try {
    writeFileSync(file, report);
  } catch (err) {
    throw new UsageError(`cannot write ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}
