import { readFileSync } from "node:fs";
import path from "node:path";
import { Command, CommanderError } from "commander";
import { PolicyError, UsageError } from "../errors.js";
import { PACKAGE_ROOT } from "../package-root.js";
import type { CliContext } from "./context.js";
import { EXIT } from "./exit-codes.js";
import { explainCommand } from "./explain-command.js";
import { initCommand } from "./init-command.js";
import { mergeCommand } from "./merge-command.js";
import { rulesCommand } from "./rules-command.js";
import { scanCommand } from "./scan-command.js";

/** Entry point: parses argv (as process.argv: node, script, args…), runs one command, returns the exit code. */
export async function main(argv: string[], context: Partial<CliContext> = {}): Promise<number> {
  const ctx: CliContext = {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    exitCode: EXIT.clean,
    debug: argv.includes("--debug"),
    ...context,
  };
  const program = new Command("flowgate")
    .description("Finds restricted user data reaching unvetted egress points in a gateway's source code.")
    .version(packageVersion(), "-V, --version")
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ writeOut: (s) => ctx.stdout.write(s), writeErr: (s) => ctx.stderr.write(s) })
    .addCommand(scanCommand(ctx))
    .addCommand(explainCommand(ctx))
    .addCommand(rulesCommand(ctx))
    .addCommand(initCommand(ctx))
    .addCommand(mergeCommand(ctx));
  for (const command of program.commands) command.exitOverride().configureOutput(program.configureOutput());

  try {
    await program.parseAsync(argv);
    return ctx.exitCode;
  } catch (err) {
    return reportError(err, ctx);
  }
}

function reportError(err: unknown, ctx: CliContext): number {
  if (err instanceof CommanderError) {
    // Commander has already printed its message; --help and --version are successes.
    return err.code === "commander.helpDisplayed" || err.code === "commander.version" || err.exitCode === 0
      ? EXIT.clean
      : EXIT.usage;
  }
  if (err instanceof PolicyError || err instanceof UsageError) {
    ctx.stderr.write(`flowgate: ${err.message}\n`);
    return EXIT.usage;
  }
  const error = err instanceof Error ? err : new Error(String(err));
  ctx.stderr.write(`flowgate: internal error: ${error.message}\n`);
  if (ctx.debug) ctx.stderr.write(`${error.stack ?? ""}\n`);
  ctx.stderr.write(
    `This is a bug in flowgate; please report it with the command you ran${ctx.debug ? " and the stack trace above" : " (run again with --debug for the stack trace)"}.\n`,
  );
  return EXIT.internal;
}

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, "package.json"), "utf8")) as { version: string };
  return pkg.version;
}
