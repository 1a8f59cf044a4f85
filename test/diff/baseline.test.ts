import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { compareWithBaseline, isReportedAsNew } from "../../src/diff/baseline.js";
import type { ChangedFile, ChangedFiles } from "../../src/diff/changed-lines.js";
import { readSarifBaseline } from "../../src/diff/sarif-baseline.js";
import type { Flow } from "../../src/vocabulary/flow.js";
import type { Finding } from "../../src/findings/finding.js";
import { FINGERPRINT_KEY } from "../../src/findings/fingerprint.js";

const at = (file: string, line: number) => ({ file, startLine: line, startColumn: 3, endLine: line, endColumn: 12 });

/** A leak finding whose source is on `sourceLine` and whose sink is on `sinkLine`. */
function leak(fingerprint: string, file: string, sourceLine: number, sinkLine: number, message = "phone-number data reaches `console.log`."): Finding {
  const flow: Flow = {
    dataClass: "phone-number",
    source: { location: at(file, sourceLine), reason: "name token", expression: "user.phone" },
    sink: { location: at(file, sinkLine), id: "console-log", kind: "log", label: "console.log", callee: "global#console.log", enclosingFunction: `${file}#audit` },
    destination: { status: "none" },
    vetted: false,
    steps: [
      { location: at(file, sourceLine), message: "read", role: "source" },
      { location: at(file, Math.floor((sourceLine + sinkLine) / 2)), message: "assigned", role: "step" },
      { location: at(file, sinkLine), message: "sent", role: "sink" },
    ],
  };
  return {
    ruleId: "leak-to-log",
    level: "error",
    message,
    location: at(file, sinkLine),
    relatedLocations: [],
    flows: [flow],
    fingerprint,
    snippet: "user.phone",
    movedIdentity: ["audit", "global#console.log", "user . phone"],
  };
}

/** The same door reached by one more flow: another data class from the same source, or another source. */
function withFlow(finding: Finding, dataClass: string, expression = "user.phone"): Finding {
  const flow = finding.flows![0]!;
  return { ...finding, flows: [...finding.flows!, { ...flow, dataClass, source: { ...flow.source, expression } }] };
}

function changed(path: string, added: number[], extra: Partial<ChangedFile> = {}): ChangedFiles {
  return new Map([[path, { path, status: "modified", addedLines: new Set(added), editedLines: new Set(added), removedLines: new Set(), binary: false, chunks: [], ...extra }]]);
}

const states = (findings: Finding[]) => findings.map((f) => [f.fingerprint, f.baselineState]);

describe("compareWithBaseline against a base scan", () => {
  const base = [leak("old", "src/a.ts", 10, 20), leak("fixed", "src/a.ts", 30, 31)];

  it("marks new, unchanged and absent by fingerprint", () => {
    const head = [leak("old", "src/a.ts", 12, 22), leak("added", "src/a.ts", 40, 41)];
    expect(states(compareWithBaseline(head, base, changed("src/a.ts", [1, 2])))).toEqual([
      ["old", "unchanged"],
      ["added", "new"],
      ["fixed", "absent"],
    ]);
  });

  it("marks a known finding updated when any step of its path lies on a changed line", () => {
    for (const line of [10, 15, 20]) {
      const [first] = compareWithBaseline([leak("old", "src/a.ts", 10, 20)], base, changed("src/a.ts", [line]));
      expect(first?.baselineState, `changed line ${line}`).toBe("updated");
    }
  });

  it("marks a door updated when a new source or a new data class reaches it, wherever the update changed lines", () => {
    const door = leak("old", "src/a.ts", 10, 20);
    const untouched = changed("src/a.ts", [1]);
    expect(states(compareWithBaseline([withFlow(door, "email-address")], [door], untouched))).toEqual([["old", "updated"]]);
    expect(states(compareWithBaseline([withFlow(door, "phone-number", "req.body.msisdn")], [door], untouched))).toEqual([["old", "updated"]]);
    // The same flows, or fewer: unchanged.
    expect(states(compareWithBaseline([door], [withFlow(door, "email-address")], untouched))).toEqual([["old", "unchanged"]]);
    expect(states(compareWithBaseline([withFlow(door, "email-address")], [withFlow(door, "email-address")], untouched))).toEqual([["old", "unchanged"]]);
  });

  it("matches findings of a renamed file on their identity without the file", () => {
    const head = [leak("renamed-fingerprint", "lib/a.ts", 10, 20)];
    const renamed = changed("lib/a.ts", [], { status: "renamed", basePath: "src/a.ts" });
    expect(states(compareWithBaseline(head, [leak("old", "src/a.ts", 10, 20)], renamed))).toEqual([["renamed-fingerprint", "unchanged"]]);
  });

  it("keeps new, updated and absent findings in --new-only, drops unchanged ones", () => {
    const marked = compareWithBaseline([leak("old", "src/a.ts", 10, 20), leak("added", "src/a.ts", 40, 41)], base, changed("src/a.ts", []));
    expect(marked.filter(isReportedAsNew).map((f) => f.fingerprint)).toEqual(["added", "fixed"]);
  });
});

describe("compareWithBaseline against a SARIF baseline", () => {
  it("reads fingerprints back from SARIF and marks updated when only the message changed", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "flowgate-baseline-"));
    try {
      const file = path.join(dir, "previous.sarif");
      const result = (fingerprint: string, text: string, extra: object = {}) => ({
        ruleId: "leak-to-log",
        level: "error",
        message: { text },
        locations: [{ physicalLocation: { artifactLocation: { uri: "src/my%20file.ts", uriBaseId: "%SRCROOT%" }, region: { startLine: 5, startColumn: 2 } } }],
        partialFingerprints: { [FINGERPRINT_KEY]: fingerprint },
        ...extra,
      });
      writeFileSync(
        file,
        JSON.stringify({
          version: "2.1.0",
          runs: [
            {
              tool: { driver: { name: "flowgate" } },
              results: [
                result("same", "phone-number data reaches `console.log`."),
                result("reworded", "phone-number data reaches \\[console\\].", {}),
                result("gone", "email-address data reaches `fetch`."),
                result("old-absent", "history", { baselineState: "absent" }),
                { ruleId: "x", message: { text: "no fingerprint" } },
              ],
            },
          ],
        }),
      );
      const baseline = readSarifBaseline(file);
      expect(baseline.findings.map((f) => f.location.file)).toEqual(["src/my file.ts", "src/my file.ts", "src/my file.ts"]);
      expect(baseline.findings[1]?.message).toBe("phone-number data reaches [console].");
      expect(baseline.notifications.map((n) => n.id)).toEqual(["baseline-unmatched"]);
      const head = [leak("same", "src/a.ts", 1, 2), leak("reworded", "src/a.ts", 3, 4), leak("fresh", "src/a.ts", 5, 6)];
      expect(states(compareWithBaseline(head, baseline.findings))).toEqual([
        ["same", "unchanged"],
        ["reworded", "updated"],
        ["fresh", "new"],
        ["gone", "absent"],
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses a file that is not SARIF", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "flowgate-baseline-"));
    try {
      writeFileSync(path.join(dir, "x.sarif"), "{}");
      expect(() => readSarifBaseline(path.join(dir, "x.sarif"))).toThrow(/not a SARIF log/);
      expect(() => readSarifBaseline(path.join(dir, "missing.sarif"))).toThrow(/no such file/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
