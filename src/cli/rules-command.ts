import { Command } from "commander";
import { loadRuleCatalog, type RuleMetadata } from "../findings/rule-catalog.js";
import { EXIT } from "./exit-codes.js";
import type { CliContext } from "./context.js";

export function rulesCommand(context: CliContext): Command {
  return new Command("rules").description("list every rule: id, default level and short description").action(() => {
    context.stdout.write(formatRules(loadRuleCatalog()));
    context.exitCode = EXIT.clean;
  });
}

/** One rule a line, aligned: `leak-to-network  error    Restricted data sent over the network to an unvetted host.` */
export function formatRules(rules: readonly RuleMetadata[]): string {
  if (rules.length === 0) return "no rules found (rules/checks/ is empty)\n";
  const idWidth = Math.max(...rules.map((r) => r.id.length));
  const levelWidth = Math.max(...rules.map((r) => r.level.length));
  return rules.map((r) => `${r.id.padEnd(idWidth)}  ${r.level.padEnd(levelWidth)}  ${r.shortDescription}\n`).join("");
}
