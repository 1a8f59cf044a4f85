import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { scan } from "../src/index.js";
import {
  compareWithAnnotations,
  describeVerdict,
  findFixtureCases,
  foundKeys,
  readCaseAnnotations,
  type Verdict,
} from "./support/fixture-annotations.js";
import { FIXTURES_DIR } from "./support/paths.js";

// The fixture oracle: every directory under fixtures/ with a flowgate.config.yaml is scanned once, and its findings
// are compared both ways with the `// @flowgate …` annotations in its files (test/support/fixture-annotations.ts).
const cases = findFixtureCases(FIXTURES_DIR);
const verdicts = new Map<string, Verdict>();

describe("fixture cases", () => {
  it("are not nested inside one another (a case's scan would take in the other's files)", () => {
    const nested = cases.filter((c) => cases.some((other) => other !== c && (other === "" || c.startsWith(`${other}/`))));
    expect(nested).toEqual([]);
  });

  // One test per case, named by its directory; cases run concurrently (each scan is independent).
  it.concurrent.each(cases)("fixtures/%s", async (caseName) => {
    const caseDir = path.join(FIXTURES_DIR, caseName);
    const annotations = readCaseAnnotations(caseDir);
    const result = await scan({ root: caseDir });
    // a bug of ours is never part of a fixture's answer
    expect(result.notifications.filter((n) => n.id === "internal-error").map((n) => n.message)).toEqual([]);
    const verdict = compareWithAnnotations(annotations, foundKeys(result.findings));
    verdicts.set(caseName, verdict);
    const failure = describeVerdict(caseName, verdict, annotations.errors);
    if (failure) expect.fail(failure);
  });
});

afterAll(() => {
  const total = { tp: 0, fp: 0, fn: 0, gaps: 0, knownFp: 0 };
  for (const verdict of verdicts.values()) {
    total.tp += verdict.truePositives.length + verdict.gapsFound.length;
    total.fp += verdict.extra.length;
    total.fn += verdict.missing.length;
    total.gaps += verdict.knownGaps.length;
    total.knownFp += verdict.knownFalsePositives.length;
  }
  console.log(
    `fixture tally over ${verdicts.size} case(s): ${total.tp} true positives, ${total.fp} false positives, ` +
      `${total.fn} false negatives, ${total.gaps} known gaps (false negatives), ${total.knownFp} known false positives`,
  );
});
