import { describe, expect, it } from "vitest";
import { failingFindings } from "../../src/cli/exit-codes.js";
import type { Finding, Level } from "../../src/findings/finding.js";

function finding(level: Level, extra: Partial<Finding> = {}): Finding {
  const location = { file: "src/a.ts", startLine: 1, startColumn: 1, endLine: 1, endColumn: 2 };
  return { ruleId: "leak-to-log", level, message: "m", location, relatedLocations: [], fingerprint: level, ...extra };
}

describe("failingFindings (--fail-on)", () => {
  const all = [finding("error"), finding("warning"), finding("note")];

  it("counts findings at or above the threshold", () => {
    expect(failingFindings(all, "error").map((f) => f.level)).toEqual(["error"]);
    expect(failingFindings(all, "warning").map((f) => f.level)).toEqual(["error", "warning"]);
    expect(failingFindings(all, "note")).toHaveLength(3);
    expect(failingFindings(all, "none")).toHaveLength(0);
  });

  it("does not fail on suppressed findings or on ones absent since the baseline", () => {
    const suppressed = finding("error", { suppression: { justification: "vetted by legal", location: all[0]!.location } });
    expect(failingFindings([suppressed, finding("error", { baselineState: "absent" })], "note")).toHaveLength(0);
    expect(failingFindings([finding("error", { baselineState: "unchanged" })], "error")).toHaveLength(1);
  });
});
