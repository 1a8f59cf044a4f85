import { cpSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Log } from "sarif";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scan } from "../../src/index.js";
import type { ScanResult } from "../../src/result.js";
import { renderInventory } from "../../src/report/inventory.js";
import { renderMarkdown } from "../../src/report/markdown.js";
import { renderSarif } from "../../src/report/sarif.js";
import { renderText } from "../../src/report/text.js";
import { FIXTURES_DIR } from "../support/paths.js";
import { validateSarif } from "../support/sarif-validator.js";

// End to end over the bundled demo gateway: real flows from the engine through every reporter. The demo is scanned in
// place and from a copy elsewhere (a path with a space and non-ASCII), and every report must be byte-identical.
const DEMO = path.join(FIXTURES_DIR, "demo-gateway");

describe("reports of the demo gateway", () => {
  let copyParent = "";
  let copy = "";
  let first: ScanResult;
  let second: ScanResult;
  beforeAll(async () => {
    copyParent = mkdtempSync(path.join(os.tmpdir(), "flowgate demo ü-"));
    copy = path.join(copyParent, "gateway copy");
    cpSync(DEMO, copy, { recursive: true });
    [first, second] = await Promise.all([scan({ root: DEMO }), scan({ root: copy })]);
  });
  afterAll(() => rmSync(copyParent, { recursive: true, force: true }));

  it("has findings to report (the demo leaks)", () => {
    expect(first.findings.filter((f) => f.ruleId.startsWith("leak-to-")).length).toBeGreaterThan(0);
  });

  it("renders SARIF that passes the validator with zero errors and zero warnings", async () => {
    const report = await validateSarif({ text: renderSarif(first) });
    expect(report.errors).toEqual([]);
    expect(report.warnings).toEqual([]);
  });

  it("renders every format byte-identically from two scans at different places, without their paths", () => {
    const renders = (r: ScanResult) => [
      renderSarif(r),
      renderSarif(r, { profile: "github" }),
      renderText(r, { color: false }),
      renderMarkdown(r),
      renderInventory(r),
    ];
    const a = renders(first);
    const b = renders(second);
    for (let i = 0; i < a.length; i++) expect(b[i], `format #${i}`).toBe(a[i]);
    for (const out of a) {
      expect(out).not.toContain(DEMO);
      expect(out).not.toContain(copyParent);
      expect(out).not.toContain(os.homedir());
    }
  });

  it("gives every leak a path, both fingerprints and a message that says why its source was classified", () => {
    const log = JSON.parse(renderSarif(first)) as Log;
    const leaks = log.runs[0]!.results!.filter((r) => r.ruleId!.startsWith("leak-to-"));
    for (const r of leaks) {
      expect(r.codeFlows![0]!.threadFlows[0]!.locations.length, r.message.text).toBeGreaterThan(0);
      expect(Object.keys(r.partialFingerprints!).sort()).toEqual(["flowgateFingerprint/v1", "primaryLocationLineHash"]);
      expect(r.message.text).toMatch(/ data from .* \(.+\) reaches /);
      expect(r.relatedLocations![0]!.physicalLocation!.artifactLocation!.uriBaseId).toBe("%SRCROOT%");
    }
    const fingerprints = leaks.map((r) => r.partialFingerprints!["flowgateFingerprint/v1"]);
    expect(new Set(fingerprints).size).toBe(fingerprints.length);
  });
});
