import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { Command } from "commander";
import { UsageError } from "../errors.js";
import { MAX_RUNS_PER_UPLOAD, mergeSarif, type MergeInput } from "../report/merge.js";
import { EXIT } from "./exit-codes.js";
import type { CliContext } from "./context.js";

/**
 * `flowgate merge [PREFIX=]FILE…`: the SARIF files of a monorepo's per-package scans into one log, one run per category
 * (docs/performance.md, "Large monorepos"). PREFIX is the scanned package's directory in the repository.
 */
export function mergeCommand(context: CliContext): Command {
  return new Command("merge")
    .description("merge SARIF files of per-package scans into one log, one run per category")
    .argument("<inputs...>", "SARIF files, each optionally as PREFIX=FILE where PREFIX is the scanned directory in the repository")
    .option("--output <file>", "write the merged log to a file instead of stdout")
    .action((inputs: string[], options: { output?: string }) => {
      const log = mergeSarif(inputs.map(readInput));
      if (log.runs.length > MAX_RUNS_PER_UPLOAD) {
        context.stderr.write(
          `flowgate: warning: ${log.runs.length} runs (categories); GitHub code scanning accepts at most ${MAX_RUNS_PER_UPLOAD} in one upload — upload in several parts.\n`,
        );
      }
      const text = JSON.stringify(log, null, 2) + "\n";
      if (options.output === undefined) context.stdout.write(text);
      else writeOutput(options.output, text);
      context.exitCode = EXIT.clean;
    });
}

function readInput(arg: string): MergeInput {
  // A path that exists is a file even if it contains "="; otherwise PREFIX=FILE.
  const split = !existsSync(arg) && arg.includes("=") ? arg.indexOf("=") : -1;
  const file = split >= 0 ? arg.slice(split + 1) : arg;
  const prefix = split >= 0 ? arg.slice(0, split) : undefined;
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  let log: unknown;
  try {
    log = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${file} is not JSON: ${(err as Error).message}`);
  }
  return { label: file, log, ...(prefix !== undefined ? { prefix } : {}) };
}

function writeOutput(file: string, text: string): void {
  try {
    writeFileSync(file, text);
  } catch (err) {
    throw new UsageError(`cannot write ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}
