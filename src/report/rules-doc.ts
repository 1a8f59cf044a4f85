import type { RuleMetadata } from "../findings/rule-catalog.js";

/**
 * Renders docs/rules.md from rule metadata: a table of every rule, then each rule's help under a heading that is its id
 * (so `helpUri`'s `#<id>` anchors land there). A test fails when the committed file differs from this output.
 */
export function renderRulesMarkdown(rules: readonly RuleMetadata[]): string {
  const out: string[] = [
    "# flowgate rules",
    "",
    "<!-- Generated from rules/checks/*.yaml by src/report/rules-doc.ts; do not edit by hand.",
    "     Regenerate: FLOWGATE_UPDATE_DOCS=1 npx vitest run --config test/vitest.config.ts test/report/rules-doc.test.ts -->",
    "",
    "Each rule's metadata and help live in `rules/checks/<id>.yaml`; SARIF `rules[]`, `flowgate rules` and this page",
    "are generated from it. Levels are the defaults written to SARIF; `security-severity` is GitHub's 0–10 score (a leak",
    "result's own is moved by the sensitivity of the data reaching it: [data-classes.md](data-classes.md)).",
    "",
    "| Rule | Level | Security severity | Precision | Summary |",
    "| --- | --- | --- | --- | --- |",
  ];
  for (const rule of rules) {
    out.push(
      `| [\`${rule.id}\`](#${rule.id}) | ${rule.level} | ${rule.securitySeverity} | ${rule.precision} | ${tableCell(rule.shortDescription)} |`,
    );
  }
  for (const rule of rules) {
    out.push(
      "",
      `## ${rule.id}`,
      "",
      `**${rule.name}** — ${rule.shortDescription}`,
      "",
      `Default level: \`${rule.level}\` · security-severity: ${rule.securitySeverity} · precision: ${rule.precision} · tags: ${rule.tags.map((t) => `\`${t}\``).join(", ")}`,
      "",
      rule.fullDescription,
      "",
      demoteHeadings(rule.help.markdown).trimEnd(),
    );
  }
  return out.join("\n") + "\n";
}

function tableCell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

/** Help sections are `##` in the YAML (a page of their own in SARIF viewers); on this page they sit under the rule. */
function demoteHeadings(markdown: string): string {
  let inCode = false;
  return markdown
    .split("\n")
    .map((line) => {
      if (line.startsWith("```")) inCode = !inCode;
      return !inCode && /^#{1,5} /.test(line) ? `#${line}` : line;
    })
    .join("\n");
}
