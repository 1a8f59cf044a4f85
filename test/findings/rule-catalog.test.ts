import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { CHECKS_DIR, HELP_SECTIONS, loadRuleCatalog, missingHelpSections } from "../../src/findings/rule-catalog.js";
import { ruleHelpUri } from "../../src/findings/tool-info.js";

// The rule ids every stage agrees on (PROTOCOL.md): one leak rule per sink kind, one for unmodelled packages, plus the
// update-review rules.
const EXPECTED_IDS = [
  "leak-to-log",
  "leak-to-network",
  "leak-to-process",
  "leak-to-queue",
  "leak-to-socket",
  "leak-to-storage",
  "leak-to-telemetry",
  "leak-to-third-party",
  "leak-to-unmodelled-library",
  "new-egress-destination",
  "policy-weakened",
  "sanitizer-removed",
  "suppression-added",
  "suppression-unjustified",
];

describe("loadRuleCatalog()", () => {
  const rules = loadRuleCatalog();

  it("has exactly the agreed rule ids, sorted", () => {
    expect(rules.map((r) => r.id)).toEqual(EXPECTED_IDS);
  });

  it("names each rule file after its id (read independently of the loader)", () => {
    for (const file of readdirSync(CHECKS_DIR)) {
      const data = parse(readFileSync(path.join(CHECKS_DIR, file), "utf8")) as { id: string };
      expect(`${data.id}.yaml`).toBe(file);
    }
  });

  it("gives every rule help with Description, Remediation and Examples, in that order", () => {
    for (const rule of rules) {
      const headings = rule.help.markdown.split("\n").filter((l) => l.startsWith("## "));
      expect(headings, rule.id).toEqual(HELP_SECTIONS.map((s) => `## ${s}`));
    }
  });

  it("fills the SARIF-facing fields: PascalCase name, sentences, CWE tags on leaks, no made-up help link", () => {
    for (const rule of rules) {
      expect(rule.name).toMatch(/^[A-Z][A-Za-z0-9]+$/);
      expect(rule.shortDescription).toMatch(/\.$/);
      expect(rule.fullDescription).toMatch(/\.$/);
      // package.json has no homepage: no help link rather than a placeholder (help.markdown carries the help).
      expect(rule.helpUri).toBeUndefined();
      expect(ruleHelpUri("https://github.com/acme/flowgate#readme", rule.id)).toBe(`https://github.com/acme/flowgate/blob/main/docs/rules.md#${rule.id}`);
      expect(rule.help.text).not.toContain("```");
      expect(rule.tags).toContain("security");
      if (rule.id.startsWith("leak-to-")) {
        // a package nobody modelled is a question for the reviewer, not a proven egress
        expect(rule.level).toBe(rule.id === "leak-to-unmodelled-library" ? "warning" : "error");
        expect(rule.tags.some((t) => t.startsWith("external/cwe/cwe-"))).toBe(true);
      }
    }
    expect(rules.find((r) => r.id === "leak-to-log")?.tags).toContain("external/cwe/cwe-532");
    expect(rules.find((r) => r.id === "new-egress-destination")?.level).toBe("note");
  });

  it("writes leak examples with same-line @flowgate expectations, one leak and one clean line", () => {
    for (const rule of rules.filter((r) => r.id.startsWith("leak-to-"))) {
      expect(rule.help.markdown, rule.id).toMatch(new RegExp(`// @flowgate ${rule.id} [a-z-]+\\n`));
      expect(rule.help.markdown, rule.id).toContain("// @flowgate clean");
    }
  });

  describe("on a broken rule file", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "flowgate-checks-"));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const valid = readFileSync(path.join(CHECKS_DIR, "leak-to-log.yaml"), "utf8");

    it("rejects an id that differs from the file name", () => {
      writeFileSync(path.join(dir, "leak-to-logs.yaml"), valid);
      expect(() => loadRuleCatalog(dir)).toThrow(/rule id 'leak-to-log' must equal the file name 'leak-to-logs'/);
      rmSync(path.join(dir, "leak-to-logs.yaml"));
    });

    it("rejects a help text without a Remediation section", () => {
      writeFileSync(path.join(dir, "leak-to-log.yaml"), valid.replace("## Remediation", "## Fixes"));
      expect(() => loadRuleCatalog(dir)).toThrow(/help lacks the section\(s\) '## Remediation'/);
    });

    it("rejects a field of the wrong shape, naming it", () => {
      writeFileSync(path.join(dir, "leak-to-log.yaml"), valid.replace("level: error", "level: fatal"));
      expect(() => loadRuleCatalog(dir)).toThrow(/leak-to-log\.yaml: invalid rule metadata: \/level/);
    });
  });
});

describe("missingHelpSections()", () => {
  it("finds sections only as level-2 headings", () => {
    expect(missingHelpSections("## Description\n### Remediation\n## Examples\n")).toEqual(["Remediation"]);
    expect(missingHelpSections("## Description\n## Remediation\n## Examples")).toEqual([]);
  });
});
