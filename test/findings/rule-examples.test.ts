import { readFileSync } from "node:fs";
import path from "node:path";
import { ts } from "ts-morph";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { loadRuleCatalog } from "../../src/findings/rule-catalog.js";
import { scan } from "../../src/index.js";
import type { ScanResult } from "../../src/result.js";
import { compareWithAnnotations, describeVerdict, foundKeys, readCaseAnnotations } from "../support/fixture-annotations.js";
import { REPO_ROOT } from "../support/paths.js";
import { removeTree, writeTree } from "../support/temp-tree.js";

// Rule help examples are code a reader copies and the rule's promise: they must parse, annotate (with the fixture
// oracle's same-line `// @flowgate` comments) the rule they illustrate with data classes the recommended pack defines,
// and a scan of them must find exactly what they annotate.

const rules = loadRuleCatalog();
const leakRules = rules.filter((r) => r.id.startsWith("leak-to-"));
const pack = parse(readFileSync(path.join(REPO_ROOT, "rules/packs/recommended.yaml"), "utf8")) as { dataClasses: { id: string }[] };
const dataClasses = new Set(pack.dataClasses.map((d) => d.id));

/** Each leak rule's ```ts examples, as files of one scanned tree: src/<rule-id>-<n>.ts. */
const exampleFiles: Record<string, string> = {};
for (const rule of leakRules) {
  [...rule.help.markdown.matchAll(/```ts\n([\s\S]*?)```/g)].forEach((m, i) => {
    exampleFiles[`src/${rule.id}-${i}.ts`] = m[1] as string;
  });
}

describe("rule help examples", () => {
  // The examples as a scanned tree; the fixture oracle reads their annotations from it like any fixture case.
  const root = writeTree({ ...exampleFiles, "flowgate.config.yaml": "extends: recommended\n" }, "flowgate-rule-examples-");
  const annotations = readCaseAnnotations(root);
  afterAll(() => removeTree(root));

  it("exist for every leak rule, as TypeScript that parses", () => {
    for (const rule of leakRules) expect(Object.keys(exampleFiles).some((f) => f.startsWith(`src/${rule.id}-`)), rule.id).toBe(true);
    for (const [file, code] of Object.entries(exampleFiles)) {
      const out = ts.transpileModule(code, { reportDiagnostics: true, fileName: file });
      expect(out.diagnostics?.map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n")), file).toEqual([]);
    }
  });

  it("annotate the rule they illustrate with data classes of the recommended pack, next to a clean near miss", () => {
    expect(annotations.errors).toEqual([]);
    for (const rule of leakRules) {
      const files = Object.keys(exampleFiles).filter((f) => f.startsWith(`src/${rule.id}-`));
      const leaks = [...annotations.expected, ...annotations.gaps].filter((k) => files.includes(k.file));
      expect(leaks.length, rule.id).toBeGreaterThan(0);
      for (const leak of leaks) {
        expect(leak.ruleId, leak.file).toBe(rule.id);
        expect(dataClasses.has(leak.dataClass), `${leak.file}: ${leak.dataClass}`).toBe(true);
      }
      expect(annotations.clean.some((c) => files.includes(c.file)), rule.id).toBe(true);
    }
  });

  describe("scanned with the recommended pack", () => {
    let result: ScanResult;
    beforeAll(async () => {
      result = await scan({ root });
    });

    it("find exactly what they annotate", () => {
      const failure = describeVerdict("(rule help examples)", compareWithAnnotations(annotations, foundKeys(result.findings)), annotations.errors);
      if (failure) expect.fail(failure);
    });
  });
});
