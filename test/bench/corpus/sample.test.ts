import { describe, expect, it } from "vitest";
import { entrySeed, renderSample, sampleResults } from "../../../bench/corpus/sample.js";
import type { CorpusResult } from "../../../bench/corpus/scan-summary.js";

const results: CorpusResult[] = Array.from({ length: 40 }, (_, i) => ({
  ruleId: i % 3 === 0 ? "leak-to-network" : "leak-to-log",
  dataClasses: ["email-address"],
  message: `result ${i}`,
  file: `src/file-${String(i % 7)}.ts`,
  startLine: i + 1,
  endLine: i + 1,
  startColumn: 3,
  steps: [],
  otherPaths: [],
}));

describe("corpus sampling", () => {
  it("picks the same results for the same seed and entry, whatever the order of the input", () => {
    const first = sampleResults(results, 5, 7, "outline");
    expect(first).toHaveLength(5);
    expect(sampleResults([...results].reverse(), 5, 7, "outline")).toEqual(first);
    expect(new Set(first).size).toBe(5);
  });

  it("picks differently for another seed or another entry", () => {
    const picked = (seed: number, entry: string) => sampleResults(results, 5, seed, entry).map((r) => r.message);
    expect(picked(8, "outline")).not.toEqual(picked(7, "outline"));
    expect(picked(7, "novu")).not.toEqual(picked(7, "outline"));
    expect(entrySeed(7, "outline")).not.toBe(entrySeed(7, "novu"));
  });

  it("returns every result when fewer exist than asked for", () => {
    expect(sampleResults(results.slice(0, 3), 15, 1, "jackson")).toHaveLength(3);
  });

  it("renders rule, data class, file:line, message and the code line", () => {
    const [one] = sampleResults(results, 1, 1, "jackson");
    const text = renderSample("jackson", 40, 1, [{ ...(one as CorpusResult), code: "    logger.info(email);" }]);
    expect(text).toContain("jackson: 1 of 40 results (seed 1)");
    expect(text).toContain(`${one?.ruleId} email-address  ${one?.file}:${one?.startLine}`);
    expect(text).toContain("| logger.info(email);");
  });
});
