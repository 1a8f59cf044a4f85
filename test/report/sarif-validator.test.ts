import { describe, expect, it } from "vitest";
import { validateSarif } from "../support/sarif-validator.js";

// The validator is the oracle of every SARIF test: prove it reports what it should, so a passing test means something.
describe("validateSarif()", () => {
  const log = (startLine: number) => ({
      $schema: "https://json.schemastore.org/sarif-2.1.0.json",
      version: "2.1.0",
      runs: [
        {
          tool: { driver: { name: "t", informationUri: "https://example.com/", semanticVersion: "1.0.0", rules: [{ id: "r1" }] } },
          results: [
            {
              ruleId: "r1",
              level: "warning",
              message: { text: "no final period" },
              locations: [{ physicalLocation: { artifactLocation: { uri: "a.ts" }, region: { startLine } } }],
            },
          ],
        },
      ],
  });

  it("reports GitHub rule errors (a rule without help) and SARIF warnings (a rules array of bare ids)", async () => {
    const report = await validateSarif({ text: JSON.stringify(log(1)) });
    expect(report.errors.map((w) => w.ruleId)).toContain("GH2012");
    expect(report.warnings.map((w) => w.ruleId)).toContain("SARIF2004");
  });

  it("reports an error for a schema violation", async () => {
    const report = await validateSarif({ text: JSON.stringify(log(0)) });
    expect(report.errors.length).toBeGreaterThan(0);
  });
});
