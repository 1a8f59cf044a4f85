import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadRuleCatalog } from "../../src/findings/rule-catalog.js";
import { ruleHelpUri } from "../../src/findings/tool-info.js";
import { renderRulesMarkdown } from "../../src/report/rules-doc.js";
import { REPO_ROOT } from "../support/paths.js";

const RULES_DOC = path.join(REPO_ROOT, "docs/rules.md");

describe("docs/rules.md", () => {
  const rules = loadRuleCatalog();
  const rendered = renderRulesMarkdown(rules);

  it("is up to date with rules/checks/*.yaml", () => {
    if (process.env.FLOWGATE_UPDATE_DOCS === "1") writeFileSync(RULES_DOC, rendered);
    const committed = readFileSync(RULES_DOC, "utf8");
    expect(
      committed === rendered,
      "docs/rules.md is stale: run FLOWGATE_UPDATE_DOCS=1 npx vitest run --config test/vitest.config.ts test/report/rules-doc.test.ts",
    ).toBe(true);
  });

  it("has a section per rule, headed by its id (the anchor a help link points at, given a home page)", () => {
    for (const rule of rules) {
      expect(rendered).toContain(`\n## ${rule.id}\n`);
      expect(ruleHelpUri("https://github.com/acme/flowgate", rule.id)?.endsWith(`#${rule.id}`)).toBe(true);
    }
  });
});
