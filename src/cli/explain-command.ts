import { statSync } from "node:fs";
import { Command, Option } from "commander";
import { UsageError } from "../errors.js";
import { GRANULARITIES, type Granularity } from "../findings/granularity.js";
import { INTERNAL_ERROR } from "../internal-errors.js";
import { realPath } from "../real-path.js";
import type { CliContext } from "./context.js";
import { EXIT } from "./exit-codes.js";
import { wantsColor } from "./terminal.js";

interface ExplainCommandOptions {
  config?: string;
  granularity: Granularity;
  color: boolean;
  debug?: boolean;
}

/**
 * `flowgate explain <fingerprint|file:line> [dir]`: runs the scan's own analysis (same policy, same options) and tells
 * one finding in full. A query that matches no finding is a usage error (exit 2) listing the nearest ones.
 */
export function explainCommand(context: CliContext): Command {
  return new Command("explain")
    .description("explain one finding: its whole path, why each source was classified, how the destination was resolved, what would vet it")
    .argument("<finding>", "a fingerprint (or 6+ of its first hex digits), or file:line of the finding's sink argument")
    .argument("[dir]", "directory that was scanned", ".")
    .addOption(new Option("--config <file>", "policy file (default: flowgate.config.yaml in <dir>); YAML only"))
    .addOption(new Option("--granularity <unit>", "as the scan was run: door (default) or flow").choices(GRANULARITIES).default("door"))
    .addOption(new Option("--no-color", "no colours (also: NO_COLOR, or stdout not a terminal)"))
    .addOption(new Option("--debug", "print stack traces of internal errors"))
    .action(async (query: string, dir: string, options: ExplainCommandOptions) => {
      context.debug = options.debug === true;
      context.exitCode = await runExplain(query, dir, options, context);
    });
}

async function runExplain(text: string, dir: string, options: ExplainCommandOptions, context: CliContext): Promise<number> {
  const stat = statSync(dir, { throwIfNoEntry: false });
  if (!stat?.isDirectory()) throw new UsageError(`scan root is not a directory: ${dir}`);
  const root = realPath(dir);
  const { parseFindingQuery, selectFindings } = await import("../findings/select-findings.js");
  const query = parseFindingQuery(text, root, process.cwd());
  if (!query) throw new UsageError(`\`${text}\` is neither a fingerprint (hex digits) nor file:line`);

  // the scan's own analysis, with the options the scan takes that change findings
  const [{ scan }, { loadPolicy }, { renderExplanation, findingLine }] = await Promise.all([
    import("../scan.js"),
    import("../config/load-policy.js"),
    import("../report/explain.js"),
  ]);
  const configPath = options.config !== undefined ? { configPath: options.config } : {};
  const policy = loadPolicy({ root, ...configPath });
  const result = await scan({ root, ...configPath, granularity: options.granularity, ...(options.debug ? { debug: true } : {}) });

  const { matches, nearest } = selectFindings(result.findings, query);
  if (matches.length === 0) {
    const asked = query.kind === "fingerprint" ? `with a fingerprint starting ${query.prefix}` : `at ${query.file}:${query.line}`;
    const list = nearest.length > 0 ? `; the nearest:\n${nearest.map((f) => `  ${findingLine(f)}`).join("\n")}` : "; the scan found none";
    throw new UsageError(`no finding ${asked} (${result.findings.length} in the scan)${list}`);
  }
  const userFile = policy.files.find((f) => !f.startsWith("flowgate:"));
  const color = wantsColor(options.color, true, context.stdout, context.env);
  context.stdout.write(matches.map((finding) => renderExplanation(finding, { policy, rules: result.rules, policyFile: userFile, color })).join("\n"));
  const internal = result.notifications.filter((n) => n.id === INTERNAL_ERROR);
  if (internal.length > 0) {
    context.stderr.write(`flowgate: internal error during the scan: ${internal[0]!.exception?.message ?? internal[0]!.message}; the explanation may be incomplete.\n`);
    return EXIT.internal;
  }
  return EXIT.clean;
}
