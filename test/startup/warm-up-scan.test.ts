import { describe, expect, it } from "vitest";
import { warmUpScans } from "../../src/startup/warm-up-scan.js";

// The startup snapshot keeps compiled what its warm-up ran (docs/performance.md, session 41): these say the warm-up's
// sample runs the engine and, for the review, the cache's code — the entry written, read and taken over.
describe("the startup snapshot's warm-up scans", () => {
  it("find the sample gateway's leaks, and its update review starts from the entry its full scan wrote", async () => {
    const { full, review } = await warmUpScans();
    expect(new Set(full.findings.map((f) => f.ruleId))).toEqual(new Set(["leak-to-log", "leak-to-network"]));
    expect(full.stats.functionsAnalysed).toBeGreaterThan(10);
    const notes = review.notifications.map((n) => n.id);
    expect(notes).toContain("analysis-cache");
    expect(notes).toContain("update-reuse");
    expect(review.stats.functionsAnalysed).toBeLessThan(full.stats.functionsAnalysed);
    // a finding per flow (source × data class × sink argument) in the review, per door in the full scan: more of them
    expect(new Set(review.findings.map((f) => f.ruleId))).toEqual(new Set(full.findings.map((f) => f.ruleId)));
    expect(review.findings.length).toBeGreaterThan(full.findings.length);
  }, 60_000);
});
