import { existsSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Command } from "commander";
import { UsageError } from "../errors.js";
import { PACKAGE_ROOT } from "../package-root.js";
import { POLICY_FILE_NAMES } from "../config/load-policy.js";
import { EXIT } from "./exit-codes.js";
import type { CliContext } from "./context.js";
import { starterPolicy } from "./starter-policy.js";

interface InitOptions {
  force?: boolean;
  quiet?: boolean;
}

export function initCommand(context: CliContext): Command {
  return new Command("init")
    .description("write a commented starter flowgate.config.yaml")
    .argument("[dir]", "directory to write it in", ".")
    .option("--force", "overwrite an existing policy file")
    .option("--quiet", "no status message on stderr")
    .action((dir: string, options: InitOptions) => {
      const root = path.resolve(dir);
      if (!statSync(root, { throwIfNoEntry: false })?.isDirectory()) throw new UsageError(`not a directory: ${dir}`);
      const file = path.join(root, POLICY_FILE_NAMES[0]!);
      if (existsSync(file) && !options.force) {
        throw new UsageError(`${path.relative(".", file) || file} already exists; use --force to overwrite it`);
      }
      writeFileSync(file, starterPolicy(schemaReference(root)));
      if (!options.quiet) context.stderr.write(`wrote ${path.relative(".", file) || file}\n`);
      context.exitCode = EXIT.clean;
    });
}

/**
 * The `$schema` path editors should use: relative to the project when flowgate is installed inside it, else where a
 * dev-dependency install puts it (an absolute path of this machine would not survive a commit).
 */
function schemaReference(root: string): string {
  const schema = path.join(PACKAGE_ROOT, "rules/schema/flowgate.config.schema.json");
  const relative = path.relative(root, schema);
  if (!relative.startsWith("..") && !path.isAbsolute(relative)) return relative.split(path.sep).join("/");
  return "node_modules/flowgate/rules/schema/flowgate.config.schema.json";
}
