import { describe, expect, it } from "vitest";
import type { JudgedEntry } from "../../../bench/corpus/judged.js";
import type { CorpusResult } from "../../../bench/corpus/scan-summary.js";
import { scoreEntry } from "../../../bench/corpus/score.js";

const result = (over: Partial<CorpusResult>): CorpusResult => ({
  ruleId: "leak-to-log",
  dataClasses: ["email-address"],
  message: "email-address data from `email` reaches `logger.info`.",
  file: "src/a.ts",
  startLine: 10,
  endLine: 10,
  startColumn: 5,
  steps: [],
  otherPaths: [],
  ...over,
});

const judged: JudgedEntry = {
  leaks: [
    { file: "src/a.ts", line: 10, class: "email-address", kind: "log", why: "e-mail logged on sign-in" },
    { file: "src/a.ts", line: 21, class: "ip-address", kind: "log", why: "client IP logged inside a multi-line call" },
    { file: "src/b.ts", line: 5, class: "phone-number", kind: "network", why: "phone number sent to the SMS vendor" },
  ],
  negatives: [
    { file: "src/a.ts", line: 30, why: "only the user id is logged" },
    { file: "src/c.ts", line: 7, why: "the e-mail is hashed before it is logged" },
  ],
};

describe("corpus scoring", () => {
  it("finds a judged leak on its line, or inside a multi-line region, with its data class", () => {
    const score = scoreEntry(judged, [result({}), result({ dataClasses: ["ip-address"], startLine: 19, endLine: 23 })]);
    expect(score.found).toBe(2);
    expect(score.missed.map((l) => `${l.file}:${l.line}`)).toEqual(["src/b.ts:5"]);
  });

  it("finds a judged leak whose line a result's path passes, with its data class: a wrapper's caller", () => {
    const throughWrapper = result({
      file: "src/logging/Logger.ts",
      startLine: 86,
      endLine: 86,
      steps: [{ file: "src/b.ts", line: 5, endLine: 5 }, { file: "src/logging/Logger.ts", line: 86, endLine: 86 }],
    });
    expect(scoreEntry(judged, [throughWrapper]).missed.map((l) => `${l.file}:${l.line}`)).toContain("src/b.ts:5");
    expect(scoreEntry(judged, [{ ...throughWrapper, dataClasses: ["phone-number"] }]).missed.map((l) => `${l.file}:${l.line}`)).not.toContain("src/b.ts:5");
    // a path through a judged negative's line does not violate it: its egress is elsewhere
    expect(scoreEntry(judged, [{ ...throughWrapper, steps: [{ file: "src/c.ts", line: 7, endLine: 7 }] }]).violated).toEqual([]);
  });

  it("finds a judged leak on another path of a result: a second caller of the wrapper, shown as a further code flow", () => {
    const webhook = { file: "src/addons/webhook.ts", line: 40, endLine: 40 };
    const sink = { file: "src/logging/Logger.ts", line: 86, endLine: 86 };
    const twoCallers = result({
      file: "src/logging/Logger.ts",
      startLine: 86,
      endLine: 86,
      dataClasses: ["phone-number"],
      steps: [webhook, sink],
      otherPaths: [[{ file: "src/b.ts", line: 5, endLine: 5 }, sink]],
    });
    expect(scoreEntry(judged, [twoCallers]).missed.map((l) => `${l.file}:${l.line}`)).not.toContain("src/b.ts:5");
    expect(scoreEntry(judged, [{ ...twoCallers, otherPaths: [] }]).missed.map((l) => `${l.file}:${l.line}`)).toContain("src/b.ts:5");
  });

  it("finds a judged leak inside a multi-line argument its path passes: the step's region covers the judged line", () => {
    // Logger.info("auth", "signed in", {   ← the step "passed as argument `extra`" spans lines 3–6
    //   teamId,
    //   email,                               ← the judged line
    // })
    const passing = (line: number, endLine: number) =>
      result({ file: "src/logging/Logger.ts", startLine: 86, endLine: 86, dataClasses: ["phone-number"], steps: [{ file: "src/b.ts", line, endLine }] });
    const missed = (line: number, endLine: number) => scoreEntry(judged, [passing(line, endLine)]).missed.map((l) => `${l.file}:${l.line}`);
    expect(missed(3, 6)).not.toContain("src/b.ts:5");
    expect(missed(2, 4)).toContain("src/b.ts:5");
    expect(missed(6, 8)).toContain("src/b.ts:5");
  });

  it("misses a judged leak reported with another data class, in another file, or by a rule that is not a leak rule", () => {
    const score = scoreEntry(judged, [
      result({ dataClasses: ["phone-number"] }),
      result({ file: "src/other.ts", dataClasses: ["ip-address"], startLine: 21, endLine: 21 }),
      result({ ruleId: "new-egress-destination", dataClasses: [], file: "src/b.ts", startLine: 5, endLine: 5 }),
    ]);
    expect(score).toMatchObject({ leaks: 3, found: 0 });
    expect(score.missed).toHaveLength(3);
  });

  it("counts a judged negative violated when any leak result's region covers its line, whatever the class", () => {
    const onNegative = result({ dataClasses: ["phone-number"], startLine: 29, endLine: 31 });
    const score = scoreEntry(judged, [onNegative, result({ ruleId: "suppression-added", file: "src/c.ts", startLine: 7, endLine: 7 })]);
    expect(score.negatives).toBe(2);
    expect(score.violated).toEqual([{ negative: judged.negatives[0], results: [onNegative] }]);
  });
});
