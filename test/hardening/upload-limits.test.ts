import { gzipSync } from "node:zlib";
import type { Log } from "sarif";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderSarif, GITHUB_LIMITS } from "../../src/report/sarif.js";
import type { ScanResult } from "../../src/result.js";
import { scan } from "../../src/scan.js";
import { removeTree, writeTree } from "../support/temp-tree.js";

/**
 * More findings than GitHub code scanning accepts in one run (25,000 results), from a real scan: the SARIF keeps
 * exactly the limit, cuts the same results every time, says so in a notification, and stays under the upload size.
 */
describe("GitHub upload limits on a real scan", () => {
  let root: string;
  let result: ScanResult;
  const files = 10;
  const functions = 50;
  const leaksPerFunction = 51; // 10 × 50 × 51 = 25,500 findings
  beforeAll(async () => {
    const module = Array.from(
      { length: functions },
      (_, i) => `export function f${i}(msisdn: string) {\n${"  console.log(msisdn);\n".repeat(leaksPerFunction)}}\n`,
    ).join("");
    root = writeTree({
      "flowgate.config.yaml": "extends: recommended\n",
      ...Object.fromEntries(Array.from({ length: files }, (_, i) => [`src/m${i}.ts`, module])),
    });
    result = await scan({ root });
  }, 120_000);
  afterAll(() => removeTree(root));

  it("cuts results to the limit deterministically, with a notification saying what was cut", () => {
    expect(result.findings.length).toBe(files * functions * leaksPerFunction);
    const text = renderSarif(result, { profile: "github" });
    const log = JSON.parse(text) as Log;
    const run = log.runs[0];
    expect(run?.results).toHaveLength(GITHUB_LIMITS.maxResults);
    const notes = (run?.invocations ?? []).flatMap((i) => i.toolExecutionNotifications ?? []).map((n) => n.message.text);
    expect(notes).toContain("500 result(s) were left out: at most 25000 fit in one run; the lowest-severity ones were cut.");
    expect(gzipSync(text).length).toBeLessThanOrEqual(GITHUB_LIMITS.maxGzipBytes);
    // the same cut every time (checked at a smaller limit: a second full-size render would double the test's time)
    const small = renderSarif(result, { profile: "github", limits: { maxResults: 100 } });
    expect(renderSarif(result, { profile: "github", limits: { maxResults: 100 } })).toBe(small);
    expect((JSON.parse(small) as Log).runs[0]?.results).toHaveLength(100);
  }, 120_000);
});
