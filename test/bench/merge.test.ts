import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Log } from "sarif";
import { describe, expect, it } from "vitest";
import { loadRuleCatalog } from "../../src/findings/rule-catalog.js";
import { mergeSarif } from "../../src/report/merge.js";
import { renderSarif } from "../../src/report/sarif.js";
import { GATEWAY_FILES, gatewayFlows, makeResult, makeWorkspace } from "../support/hand-made.js";
import { runCli, tempProject } from "../support/run-cli.js";
import { validateSarif } from "../support/sarif-validator.js";

// `flowgate merge`: per-package SARIF of a monorepo into one upload, one run per category, rebased onto the repo root.
const rules = loadRuleCatalog();

/** A package's scan as the SARIF reporter writes it; `drop` leaves some findings out so the two packages differ. */
function packageSarif(drop: number): string {
  const ws = makeWorkspace(GATEWAY_FILES);
  const result = makeResult(ws, gatewayFlows(ws).slice(drop), rules);
  return renderSarif(result);
}

const uris = (log: Log, run: number) =>
  (log.runs[run]?.results ?? []).flatMap((r) => [
    ...(r.locations ?? []).map((l) => l.physicalLocation?.artifactLocation?.uri),
    ...(r.codeFlows ?? []).flatMap((c) => c.threadFlows.flatMap((t) => t.locations.map((l) => l.location?.physicalLocation?.artifactLocation?.uri))),
  ]);

describe("flowgate merge", () => {
  const dir = tempProject({ "api.sarif": packageSarif(0), "worker.sarif": packageSarif(2) });
  const api = JSON.parse(readFileSync(path.join(dir, "api.sarif"), "utf8")) as Log;
  const worker = JSON.parse(readFileSync(path.join(dir, "worker.sarif"), "utf8")) as Log;

  it("gives each package its own run and category, URIs rebased onto the repository root, and validates", async () => {
    const run = await runCli(["merge", "packages/api=api.sarif", "packages/worker=worker.sarif", "--output", "merged.sarif"], { cwd: dir });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const text = readFileSync(path.join(dir, "merged.sarif"), "utf8");
    const merged = JSON.parse(text) as Log;
    expect(merged.runs.map((r) => r.automationDetails?.id)).toEqual(["packages/api/", "packages/worker/"]);
    expect(merged.runs.map((r) => r.results?.length)).toEqual([api.runs[0]?.results?.length, worker.runs[0]?.results?.length]);
    expect(uris(merged, 0).length).toBeGreaterThan(0);
    expect(uris(merged, 0).every((u) => u?.startsWith("packages/api/src/"))).toBe(true);
    expect(uris(merged, 1).every((u) => u?.startsWith("packages/worker/src/"))).toBe(true);
    // The inputs are left as they were; fingerprints travel unchanged (identity is per category).
    expect(merged.runs[1]?.results?.[0]?.partialFingerprints).toEqual(worker.runs[0]?.results?.[0]?.partialFingerprints);
    const report = await validateSarif({ text });
    expect([...report.errors, ...report.warnings]).toEqual([]);
  });

  it("combines inputs of one category into one run with united rules and renumbered rule indexes", async () => {
    const tagged = (log: Log): Log => ({ ...log, runs: log.runs.map((r) => ({ ...r, automationDetails: { id: "gateway/" } })) });
    const few = { ...worker, runs: worker.runs.map((r) => ({ ...r, tool: { driver: { ...r.tool.driver, rules: r.tool.driver.rules?.slice(2) } } })) };
    // Rule indexes of the second input point into its own (shorter) rules list: rewrite them as a reporter would.
    for (const result of few.runs[0]?.results ?? []) {
      result.ruleIndex = few.runs[0]?.tool.driver.rules?.findIndex((r) => r.id === result.ruleId);
    }
    const merged = mergeSarif([
      { label: "a.sarif", log: tagged(api), prefix: "packages/a" },
      { label: "b.sarif", log: tagged(few), prefix: "packages/b" },
    ]);
    expect(merged.runs).toHaveLength(1);
    const run = merged.runs[0]!;
    expect(run.automationDetails?.id).toBe("gateway/");
    expect(run.results).toHaveLength((api.runs[0]?.results?.length ?? 0) + (worker.runs[0]?.results?.length ?? 0));
    for (const result of run.results ?? []) expect(run.tool.driver.rules?.[result.ruleIndex ?? -1]?.id).toBe(result.ruleId);
    expect(run.properties?.mergedFrom).toEqual(["a.sarif", "b.sarif"]);
    expect(run.invocations).toHaveLength(1);
    const report = await validateSarif({ text: JSON.stringify(merged, null, 2) });
    expect([...report.errors, ...report.warnings]).toEqual([]);
  });

  it("names a file's category after the file when it has no prefix, and is deterministic", () => {
    const merged = mergeSarif([
      { label: "out/worker.sarif", log: worker },
      { label: "out/api.sarif", log: api },
    ]);
    expect(merged.runs.map((r) => r.automationDetails?.id)).toEqual(["api/", "worker/"]);
    expect(uris(merged, 0)[0]).toBe(uris(api, 0)[0]);
    const again = mergeSarif([
      { label: "out/worker.sarif", log: worker },
      { label: "out/api.sarif", log: api },
    ]);
    expect(JSON.stringify(again)).toBe(JSON.stringify(merged));
  });

  it("rejects input that is not SARIF, a missing file and a prefix outside the repository with exit 2", async () => {
    writeFileSync(path.join(dir, "not-sarif.json"), JSON.stringify({ version: "1.0.0" }));
    const bad = await runCli(["merge", "not-sarif.json"], { cwd: dir });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("not-sarif.json: not a SARIF 2.1.0 log");
    const missing = await runCli(["merge", "api.sarif", "gone.sarif"], { cwd: dir });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("cannot read gone.sarif");
    const outside = await runCli(["merge", "../elsewhere=api.sarif"], { cwd: dir });
    expect(outside.status).toBe(2);
    expect(outside.stderr).toContain("must be a relative path inside the repository");
  });
});
