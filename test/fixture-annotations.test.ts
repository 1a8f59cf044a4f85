import { describe, expect, it } from "vitest";
import { compareWithAnnotations, describeVerdict, parseAnnotations } from "./support/fixture-annotations.js";

describe("parseAnnotations", () => {
  it("reads expectations, several per line, gaps and clean lines", () => {
    const text = [
      "send(phone); // @flowgate leak-to-network phone-number",
      'log(`${ip} ${email}`); // @flowgate leak-to-log ip-address, leak-to-log email-address',
      "log(name); // @flowgate clean",
      "queue.send(user); //   @flowgate   gap leak-to-queue phone-number",
      "const url = 'https://x.example//path'; // a comment, not an annotation",
    ].join("\r\n");
    const annotations = parseAnnotations("src/a.ts", text);
    expect(annotations.expected).toEqual([
      { file: "src/a.ts", line: 1, ruleId: "leak-to-network", dataClass: "phone-number" },
      { file: "src/a.ts", line: 2, ruleId: "leak-to-log", dataClass: "ip-address" },
      { file: "src/a.ts", line: 2, ruleId: "leak-to-log", dataClass: "email-address" },
    ]);
    expect(annotations.gaps).toEqual([{ file: "src/a.ts", line: 4, ruleId: "leak-to-queue", dataClass: "phone-number" }]);
    expect(annotations.clean).toEqual([{ file: "src/a.ts", line: 3 }]);
    expect(annotations.errors).toEqual([]);
  });

  it("rejects malformed annotations instead of silently expecting nothing", () => {
    const annotations = parseAnnotations("a.js", ["x(); // @flowgate leak-to-log", "y(); // @flowgate", "z(); // @flowgate clean, leak-to-log ip-address"].join("\n"));
    expect(annotations.errors).toHaveLength(3);
    expect(annotations.errors[0]).toMatch(/^a\.js:1: cannot read "leak-to-log"/);
    expect(annotations.errors[1]).toMatch(/^a\.js:2: empty/);
    expect(annotations.errors[2]).toMatch(/^a\.js:3: cannot read "clean"/);
  });
});

describe("compareWithAnnotations", () => {
  const annotations = parseAnnotations(
    "src/a.ts",
    [
      "a(); // @flowgate leak-to-log phone-number",
      "b(); // @flowgate leak-to-network email-address",
      "c(); // @flowgate clean",
      "d(); // @flowgate gap leak-to-queue ip-address",
      "e(); // @flowgate gap leak-to-log ip-address",
      "f(); // @flowgate fp leak-to-log phone-number",
      "g(); // @flowgate clean",
      "h(); // @flowgate fp leak-to-log email-address",
    ].join("\n"),
  );
  const finding = (line: number, ruleId: string, dataClass: string) => ({ file: "src/a.ts", line, ruleId, dataClass, message: `m${line}` });

  it("checks both ways: missing, extra, extra on a clean line, a gap that is found now", () => {
    const verdict = compareWithAnnotations(annotations, [
      finding(1, "leak-to-log", "phone-number"),
      finding(1, "leak-to-log", "phone-number"), // the same key twice (two sources) is one finding for the oracle
      finding(1, "leak-to-log", "email-address"),
      finding(3, "leak-to-log", "ip-address"),
      finding(5, "leak-to-log", "ip-address"),
      finding(6, "leak-to-log", "phone-number"),
    ]);
    expect(verdict.truePositives.map((k) => k.line)).toEqual([1]);
    expect(verdict.missing).toEqual([{ file: "src/a.ts", line: 2, ruleId: "leak-to-network", dataClass: "email-address" }]);
    expect(verdict.extra.map((k) => [k.line, k.dataClass, k.onCleanLine])).toEqual([
      [1, "email-address", false],
      [3, "ip-address", true],
    ]);
    expect(verdict.gapsFound.map((k) => k.line)).toEqual([5]);
    expect(verdict.knownGaps.map((k) => k.line)).toEqual([4]);
    expect(verdict.knownFalsePositives.map((k) => k.line)).toEqual([6]);
    expect(verdict.falsePositivesGone.map((k) => k.line)).toEqual([8]);
    expect(describeVerdict("case", verdict, [])).toBe(
      [
        "fixtures/case:",
        "  missing   src/a.ts:2 leak-to-network email-address   (annotated, not found)",
        "  extra     src/a.ts:1 leak-to-log email-address   (found, not annotated: m1)",
        "  extra     src/a.ts:3 leak-to-log ip-address   (found on a line marked clean: m3)",
        "  gap found src/a.ts:5 leak-to-log ip-address   (a known gap is found now: turn `gap` into an expectation)",
        "  fp gone   src/a.ts:8 leak-to-log email-address   (a known false positive is no longer reported: turn `fp` into `clean`)",
      ].join("\n"),
    );
  });

  it("passes when every expectation and known false positive is found and nothing else", () => {
    const verdict = compareWithAnnotations(annotations, [
      finding(1, "leak-to-log", "phone-number"),
      finding(2, "leak-to-network", "email-address"),
      finding(6, "leak-to-log", "phone-number"),
      finding(8, "leak-to-log", "email-address"),
    ]);
    expect(describeVerdict("case", verdict, [])).toBeUndefined();
    expect(verdict.knownGaps).toHaveLength(2);
  });
});
