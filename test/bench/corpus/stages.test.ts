import path from "node:path";
import type { Log } from "sarif";
import { describe, expect, it } from "vitest";
import type { EntryReport } from "../../../bench/corpus/report.js";
import { floorMs, measureStages, renderStagesTable, type StageTimes } from "../../../bench/corpus/stages.js";
import { FIXTURES_DIR, REPO_ROOT } from "../../support/paths.js";
import { runCli } from "../../support/run-cli.js";

const DEMO = path.join(FIXTURES_DIR, "demo-gateway");
const DEMO_POLICY = path.join(DEMO, "flowgate.config.yaml");

describe("the stages of a full scan (npm run corpus -- --stages)", () => {
  it("runs the scan's own pipeline: the stage run's findings are the CLI's results", async () => {
    const [stages, cli] = await Promise.all([
      measureStages(REPO_ROOT, DEMO, DEMO_POLICY),
      runCli(["scan", DEMO, "--config", DEMO_POLICY, "--format", "sarif", "--granularity", "flow", "--fail-on", "none", "--quiet", "--no-cache"]),
    ]);
    const results = (JSON.parse(cli.stdout) as Log).runs[0]?.results ?? [];
    expect(results.length).toBeGreaterThan(0);
    expect(stages.results).toBe(results.length);
    const parts = [stages.loadModules, stages.read, stages.parse, stages.program, stages.bindAndChecker, stages.analyze, stages.findings];
    for (const ms of parts) expect(ms).toBeGreaterThanOrEqual(0);
    // every lap is a difference of the same clock: the parts never add up to more than the whole
    expect(parts.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(stages.total + parts.length);
  }, 60_000);

  it("gives each stage as a share of tsc's CPU, the floor being read + parse + program + bind", () => {
    const stages: StageTimes = { loadModules: 100, read: 50, parse: 150, program: 25, bindAndChecker: 75, analyze: 600, findings: 0, total: 1000, results: 3, rssMb: 200 };
    const entry = (name: string, extra: Partial<EntryReport>): EntryReport => ({ name, repository: "r", commit: "c", checkoutCommit: undefined, files: 1, lines: 1, ...extra });
    const tsc = (cpuMs: number, typeChecked?: boolean) => ({ wallMs: cpuMs, maxRssMb: 1, cpuMs, exitCode: 2, timedOut: false, failure: undefined, mode: "no deps" as const, errors: 1, ...(typeChecked === undefined ? {} : { typeChecked }) });
    expect(floorMs(stages)).toBe(300);
    const table = renderStagesTable([
      entry("measured", { tsc: tsc(1000), stages }),
      entry("unchecked", { tsc: tsc(1000, false), stages }),
      entry("no-stages", { tsc: tsc(1000) }),
    ]);
    const rows = table.split("\n").filter((line) => line.startsWith("| measured") || line.startsWith("| unchecked") || line.startsWith("| no-stages"));
    expect(rows).toEqual([
      "| measured | 1.00 s | 0.10 | 0.05 | 0.15 | 0.10 | 0.30 | 0.60 | 0.00 | 1.00 | 3 |",
      // tsc stopped before checking: no yardstick, so no shares
      "| unchecked | – | – | – | – | – | – | – | – | – | 3 |",
    ]);
  });
});
