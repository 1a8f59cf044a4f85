import { describe, expect, it } from "vitest";
import { renderPrecisionTable, type EntryReport } from "../../../bench/corpus/report.js";
import type { CorpusResult } from "../../../bench/corpus/scan-summary.js";
import {
  entryPrecision,
  expectedTrue,
  mergeVerdicts,
  pathHash,
  renderVerdictsFile,
  VerdictIndex,
  verdictProblem,
  verdictTemplate,
  type Verdict,
} from "../../../bench/corpus/verdicts.js";

const result = (over: Partial<CorpusResult>): CorpusResult => ({
  ruleId: "leak-to-log",
  dataClasses: ["ip-address"],
  message: "The IP address in [ip](1) is logged by `pino.child`.",
  file: "apps/remix/server/router.ts",
  startLine: 85,
  endLine: 90,
  startColumn: 3,
  steps: [
    { file: "apps/remix/server/router.ts", line: 88, endLine: 88 },
    { file: "apps/remix/server/router.ts", line: 85, endLine: 90 },
  ],
  otherPaths: [],
  ...over,
});

const verdict = (r: CorpusResult, over: Partial<Verdict>): Verdict => ({
  ...verdictTemplate("documenso", r, { kind: "unjudged" }),
  verdict: "T",
  cause: "true-leak",
  why: "the request logger carries the client's address",
  ...over,
});

describe("corpus precision verdicts", () => {
  it("hashes a path as the verdicts file always has: SHA-1 of its steps' file:line lines, 12 digits", () => {
    // The value a verdict in bench/corpus-verdicts.json holds for this path; a different hash would unjudge every result.
    expect(pathHash(result({}))).toBe("d4ddeaca68ee");
    expect(pathHash(result({ steps: [{ file: "apps/remix/server/router.ts", line: 85, endLine: 90 }] }))).not.toBe("d4ddeaca68ee");
  });

  it("scores a result judged on its path, re-reads one whose path changed, and counts the rest unjudged", () => {
    const judgedTrue = result({});
    const judgedFalse = result({ startLine: 120, message: "The IP address in [ip](1) is logged by `console.error`." });
    const index = new VerdictIndex([verdict(judgedTrue, {}), verdict(judgedFalse, { verdict: "F", cause: "onerror-app" })]);
    const repathed = { ...judgedTrue, steps: [{ file: "server/ip.ts", line: 3, endLine: 3 }, ...judgedTrue.steps.slice(1)] };
    // a new source is a new result, not a re-pathing: the source is part of what identifies it
    expect(index.standing("documenso", repathed).kind).toBe("unjudged");
    const longer = { ...judgedTrue, steps: [judgedTrue.steps[0] as CorpusResult["steps"][number], { file: "server/mid.ts", line: 5, endLine: 5 }, ...judgedTrue.steps.slice(1)] };
    expect(index.standing("documenso", longer)).toMatchObject({ kind: "repathed", earlier: { verdict: "T" } });
    expect(index.standing("other-entry", judgedTrue).kind).toBe("unjudged");

    const p = entryPrecision("documenso", [judgedTrue, judgedFalse, longer, result({ startLine: 200 })], index);
    expect(p).toEqual({ results: 4, truths: 1, falses: 1, unjudged: 2, repathed: 1, falseCauses: { "onerror-app": 1 } });
  });

  it("expects true results in a draw by the judged share, each entry weighing at most the draw", () => {
    const many = { results: 40, truths: 27, falses: 3, unjudged: 10, repathed: 0, falseCauses: {} };
    expect(expectedTrue(many, 15)).toEqual({ expected: 13.5, drawn: 15 });
    expect(expectedTrue({ ...many, results: 6, truths: 5, falses: 1 }, 15)).toEqual({ expected: 5, drawn: 6 });
    expect(expectedTrue({ ...many, truths: 0, falses: 0 }, 15)).toBeUndefined();
  });

  it("totals the expected precision over entries and tallies the drawn sample", () => {
    const report = (name: string, truths: number, falses: number, sample?: { truths: number; falses: number }): EntryReport => ({
      name,
      repository: "o/r",
      commit: "a".repeat(40),
      checkoutCommit: undefined,
      files: 1,
      lines: 1,
      precision: {
        results: truths + falses,
        truths,
        falses,
        unjudged: 0,
        repathed: 0,
        falseCauses: falses > 0 ? { "class-store": falses } : {},
        ...(sample ? { sample: { results: 15, ...sample, unjudged: 0, repathed: 0, falseCauses: {} } } : {}),
      },
    });
    const table = renderPrecisionTable([report("a", 30, 10, { truths: 11, falses: 4 }), report("b", 5, 0, { truths: 5, falses: 0 })], 15);
    expect(table).toContain("| a | 40 | 30 | 10 | 0 | 11.3 of 15 | 11 / 4 / 0 | class-store 10 |");
    // 11.25 + 5 of 15 + 5
    expect(table).toContain("16.3 of 20 (81.3 %)");
    expect(table).toContain("16 / 4 / 0 (80.0 %)");
  });

  it("merges a second reading over the first, appends new ones, and rejects unfilled or malformed verdicts", () => {
    const r = result({});
    const first = verdict(r, {});
    const second = verdict(r, { verdict: "F", cause: "hono-onerror-app" });
    const other = verdict(result({ startLine: 7 }), {});
    const { verdicts, replaced } = mergeVerdicts([first], [second, other]);
    expect(replaced).toBe(1);
    expect(verdicts.map((v) => `${v.sink} ${v.verdict}`)).toEqual(["apps/remix/server/router.ts:85 F", "apps/remix/server/router.ts:7 T"]);

    expect(verdictProblem(second, ["documenso"])).toBeUndefined();
    expect(verdictProblem(verdictTemplate("documenso", r, { kind: "unjudged" }), ["documenso"])).toMatch(/"cause"|"why"|"verdict"/);
    expect(verdictProblem({ ...second, verdict: "?" }, ["documenso"])).toMatch(/"verdict"/);
    expect(verdictProblem(second, ["jackson"])).toMatch(/unknown entry/);
    expect(verdictProblem({ ...second, sink: "apps/remix/server/router.ts" }, ["documenso"])).toMatch(/file:line/);
  });

  it("writes the verdicts file one field a line, as it has always been kept", () => {
    const text = renderVerdictsFile({ $comment: "c", verdicts: [verdict(result({}), {})] });
    expect(text.startsWith('{\n"$comment": "c",\n"verdicts": [\n{\n"entry": "documenso",\n')).toBe(true);
    expect(text.endsWith("\n]\n}\n")).toBe(true);
  });
});
