import { describe, expect, it } from "vitest";
import { counts, medianRun, outcome, renderCorpusTable, renderFindingsOfNote, type EntryReport, type UpdateOutcome } from "../../../bench/corpus/report.js";
import type { Measurement } from "../../../bench/measure.js";

const measured = (over: Partial<Measurement>): Measurement => ({ wallMs: 4000, maxRssKb: 300 * 1024, cpuMs: 3000, exitCode: 0, timedOut: false, stderrTail: "", ...over });

const base = { repository: "o/r", commit: "a".repeat(40), checkoutCommit: "a".repeat(40) };
const ok: EntryReport = {
  ...base,
  name: "jackson",
  files: 88,
  lines: 14_571,
  flowgate: outcome(measured({ wallMs: 2000, maxRssKb: 150 * 1024, cpuMs: 750, exitCode: 1 }), [0, 1, 3]),
  tsc: { ...outcome(measured({ exitCode: 2 }), [0, 1, 2]), mode: "no deps", errors: 159 },
  update: { ...outcome(measured({ wallMs: 2500, exitCode: 0 }), [0, 1, 3]), changed: "npm/src/a.ts", results: 0 },
  cachedUpdate: { ...outcome(measured({ wallMs: 1000, exitCode: 0 }), [0, 1, 3]), changed: "npm/src/a.ts", results: 0 },
  scan: {
    results: 4,
    resultsByRule: { "leak-to-log": 3, "leak-to-network": 1 },
    doorsByRule: { "leak-to-log": 2, "leak-to-network": 1 },
    notificationsById: { "budget-facts": 2 },
    internalErrors: [],
    budgetHits: 2,
    filesScanned: 88,
    executionSuccessful: true,
  },
  score: {
    leaks: 4,
    found: 3,
    missed: [{ file: "npm/src/a.ts", line: 9, class: "email-address", kind: "log", why: "e-mail logged on every retry" }],
    negatives: 2,
    violated: [],
  },
};
const timedOut: EntryReport = {
  ...base,
  name: "outline",
  files: 1174,
  lines: 130_488,
  flowgate: outcome(measured({ wallMs: 1_200_000, maxRssKb: undefined, exitCode: null, timedOut: true }), [0, 1, 3]),
  tsc: { ...outcome(measured({ wallMs: 30_000, exitCode: 2 }), [0, 1, 2]), mode: "no deps", errors: 10 },
};
const crashed: EntryReport = {
  ...base,
  name: "novu",
  files: 10,
  lines: 100,
  flowgate: outcome(measured({ exitCode: 3, stderrTail: "flowgate: internal error" }), [0, 1, 3]),
  tsc: { ...outcome(measured({}), [0, 1, 2]), mode: "with deps", errors: 0 },
  scan: {
    results: 0,
    resultsByRule: {},
    doorsByRule: {},
    notificationsById: { "internal-error": 1 },
    internalErrors: [{ id: "internal-error", level: "error", message: "model: boom", where: "src/x.ts:3" }],
    budgetHits: 0,
    filesScanned: 10,
    executionSuccessful: false,
  },
};
// tsc stopped at an options error (a JavaScript file without allowJs): it parsed, it did not type-check
const parsedOnly: EntryReport = {
  ...ok,
  name: "documenso",
  tsc: { ...outcome(measured({ exitCode: 2 }), [0, 1, 2]), mode: "no deps", errors: 2, typeChecked: false },
};
const skipped: EntryReport = { ...base, name: "medusa", checkoutCommit: undefined, files: 0, lines: 0, skipped: "no checkout at /x/medusa" };

const cells = (table: string, name: string) =>
  table
    .split("\n")
    .find((line) => line.startsWith(`| ${name} `))
    ?.split(" | ")
    .map((c) => c.replace(/^\| | \|$/g, ""));

describe("corpus table", () => {
  const table = renderCorpusTable([ok, timedOut, crashed, skipped]);

  it("shows one row per entry with times, memory, ratios, results, notifications and the score", () => {
    expect(cells(table, "jackson")).toEqual([
      "jackson",
      "88",
      "14,571",
      "2.00 s",
      "150 MB",
      "4.00 s (no deps, 159 errors)",
      "300 MB",
      "0.50",
      "0.50",
      "0.25",
      "2.50 s",
      "1.25",
      "1.00 s",
      "0.50",
      "leak-to-log 2 (3), leak-to-network 1",
      "budget-facts 2",
      "0",
      "2",
      "3 / 4",
      "0 / 2",
    ]);
  });

  it("reports a timeout and a skipped entry as rows, without ratios", () => {
    expect(cells(table, "outline")?.slice(3, 15)).toEqual(["timeout (1200.00 s)", "–", "30.00 s (no deps, 10 errors)", "300 MB", "–", "–", "–", "–", "–", "–", "–", "no report"]);
    expect(cells(table, "medusa")?.[3]).toBe("no checkout at /x/medusa");
  });

  it("gives no ratio against a tsc that did not type-check, and says so", () => {
    const row = cells(renderCorpusTable([parsedOnly]), "documenso");
    expect(row?.slice(3, 10)).toEqual(["2.00 s", "150 MB", "4.00 s (no deps, 2 errors, did not type-check)", "300 MB", "–", "–", "–"]);
  });

  it("counts internal errors and marks exit 3, which is still a measured run", () => {
    const row = cells(table, "novu");
    expect(row?.[3]).toBe("4.00 s");
    expect(row?.[16]).toBe("1 (exit 3)");
  });

  it("totals files, lines, results and the score over the entries", () => {
    const total = cells(table, "**total** (4)");
    expect(total?.slice(1, 3)).toEqual(["1,272", "145,159"]);
    expect(total?.slice(10, 14)).toEqual(["2.50 s", "", "1.00 s", ""]);
    expect(total?.slice(14)).toEqual(["leak-to-log 2 (3), leak-to-network 1", "budget-facts 2, internal-error 1", "1", "2", "3 / 4", "0 / 2"]);
  });

  it("lists what needs a person below the table: failed runs, internal errors, missed leaks", () => {
    const notes = renderFindingsOfNote([ok, timedOut, crashed, skipped]);
    expect(notes).toContain("- jackson: missed judged leak npm/src/a.ts:9 email-address (log): e-mail logged on every retry");
    expect(notes).toContain("- outline: flowgate timed out: (no stderr)");
    expect(notes).toContain("- novu: 1 internal-error notification: src/x.ts:3: model: boom");
  });

  it("shows the update review's time next to the full scan's, and a failed one below the table", () => {
    const failedUpdate: EntryReport = { ...ok, name: "hoppscotch", update: { ...outcome(measured({ exitCode: 2, stderrTail: "flowgate: bad ref" }), [0, 1, 3]), changed: "a.ts", results: undefined } };
    expect(cells(renderCorpusTable([failedUpdate]), "hoppscotch")?.slice(10, 12)).toEqual(["failed, exit 2 (4.00 s)", "–"]);
    expect(renderFindingsOfNote([failedUpdate])).toContain("- hoppscotch: update review exit 2: flowgate: bad ref");
  });

  it("reports the cached review's run of median wall time, keeps every run's times, and never hides a failed run", () => {
    const review = (wallMs: number, cpuMs: number, exitCode = 0): UpdateOutcome => ({
      ...outcome(measured({ wallMs, cpuMs, exitCode }), [0, 1, 3]),
      changed: "npm/src/a.ts",
      results: 0,
    });
    const median = medianRun([review(1160, 900), review(780, 850), review(810, 880)]);
    expect(median.wallMs).toBe(810);
    expect(median.cpuMs).toBe(880);
    expect(median.runs).toEqual([
      { wallMs: 1160, cpuMs: 900 },
      { wallMs: 780, cpuMs: 850 },
      { wallMs: 810, cpuMs: 880 },
    ]);
    const failed = medianRun([review(800, 700), review(300, 200, 2), review(900, 800)]);
    expect(failed.exitCode).toBe(2);
    expect(failed.failure).toBeDefined();
    expect(() => medianRun([])).toThrow();
  });

  it("orders counts by size, then name", () => {
    expect(counts({ b: 1, a: 1, c: 5 })).toBe("c 5, a 1, b 1");
  });
});
