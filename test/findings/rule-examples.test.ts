import { readFileSync } from "node:fs";
import path from "node:path";
import { ts } from "ts-morph";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { loadRuleCatalog, type RuleMetadata } from "../../src/findings/rule-catalog.js";
import { REPO_ROOT } from "../support/paths.js";

// Rule help examples are code a reader copies: they must parse, and their `// @flowgate` expectations must name the
// rule they illustrate and data classes the recommended pack defines.

interface Example {
  rule: string;
  code: string;
}

interface Expectation {
  line: number;
  clean: boolean;
  findings: { rule: string; dataClass: string }[];
}

function examplesOf(rule: RuleMetadata): Example[] {
  const blocks = [...rule.help.markdown.matchAll(/```ts\n([\s\S]*?)```/g)];
  return blocks.map((m) => ({ rule: rule.id, code: m[1] as string }));
}

/** The same-line annotations of fixtures (PROTOCOL.md): `@flowgate clean`, `@flowgate <rule> <class>[, …]`. */
function expectationsOf(code: string): Expectation[] {
  const out: Expectation[] = [];
  code.split("\n").forEach((text, i) => {
    const m = /\/\/ @flowgate (.*)$/.exec(text);
    if (!m) return;
    const body = (m[1] as string).trim();
    if (body === "clean") out.push({ line: i + 1, clean: true, findings: [] });
    else {
      const findings = body.split(",").map((part) => {
        const [rule, dataClass, ...rest] = part.trim().split(/\s+/);
        expect(rest, `annotation '${part}'`).toEqual([]);
        return { rule: rule as string, dataClass: dataClass as string };
      });
      out.push({ line: i + 1, clean: false, findings });
    }
  });
  return out;
}

const rules = loadRuleCatalog();
const pack = parse(readFileSync(path.join(REPO_ROOT, "rules/packs/recommended.yaml"), "utf8")) as { dataClasses: { id: string }[] };
const dataClasses = new Set(pack.dataClasses.map((d) => d.id));
const leakRules = rules.filter((r) => r.id.startsWith("leak-to-"));

describe("rule help examples", () => {
  it("exist for every leak rule, as TypeScript that parses", () => {
    for (const rule of leakRules) {
      const examples = examplesOf(rule);
      expect(examples.length, rule.id).toBeGreaterThan(0);
      for (const example of examples) {
        const out = ts.transpileModule(example.code, { reportDiagnostics: true, fileName: `${rule.id}.ts` });
        expect(out.diagnostics?.map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n")), rule.id).toEqual([]);
      }
    }
  });

  it("annotate the rule they illustrate with data classes of the recommended pack, plus a clean near miss", () => {
    for (const rule of leakRules) {
      const expectations = examplesOf(rule).flatMap((e) => expectationsOf(e.code));
      const leaks = expectations.flatMap((e) => e.findings);
      expect(leaks.length, rule.id).toBeGreaterThan(0);
      for (const leak of leaks) {
        expect(leak.rule, rule.id).toBe(rule.id);
        expect(dataClasses.has(leak.dataClass), `${rule.id}: ${leak.dataClass}`).toBe(true);
      }
      expect(expectations.some((e) => e.clean), rule.id).toBe(true);
    }
  });
});
