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
    // The copy is in no git work tree; the original may be (its repository and commit are not about paths).
    const a = renders({ ...first, versionControl: undefined });
    const b = renders(second);
    for (let i = 0; i < a.length; i++) expect(b[i], `format #${i}`).toBe(a[i]);
    for (const out of a) {
      expect(out).not.toContain(DEMO);
      expect(out).not.toContain(copyParent);
      expect(out).not.toContain(os.homedir());
    }
  });

  it("gives every door a path per source, both fingerprints, and a message that links every source", () => {
    const log = JSON.parse(renderSarif(first)) as Log;
    const leaks = log.runs[0]!.results!.filter((r) => r.ruleId!.startsWith("leak-to-"));
    for (const r of leaks) {
      const related = r.relatedLocations!;
      expect(related.length, r.message.text).toBeGreaterThan(0);
      // Every source is reachable from the message: one embedded link per related location, in text and markdown.
      for (const { id } of related) {
        expect(r.message.text).toContain(`](${id})`);
        expect(r.message.markdown).toContain(`](${id})`);
      }
      expect(r.codeFlows!.length).toBe(Math.min(10, (first.findings.find((f) => f.fingerprint === r.partialFingerprints!["flowgateFingerprint/v1"])!.flows ?? []).length));
      for (const flow of r.codeFlows!) expect(flow.threadFlows[0]!.locations.length).toBeGreaterThan(0);
      expect(Object.keys(r.partialFingerprints!).sort()).toEqual(["flowgateFingerprint/v1", "primaryLocationLineHash"]);
      // Why each source was classified, said once, in its related location.
      for (const l of related) expect(l.message!.text).toMatch(/^The .+ in `.+`: .+\.$/);
      expect(related[0]!.physicalLocation!.artifactLocation!.uriBaseId).toBe("%SRCROOT%");
      // A whole-line context region around the sink argument, with its code.
      const primary = r.locations![0]!.physicalLocation!;
      expect(primary.contextRegion!.startLine).toBeLessThanOrEqual(primary.region!.startLine!);
      expect(primary.contextRegion!.endLine).toBeGreaterThanOrEqual(primary.region!.endLine!);
      expect(primary.contextRegion!.startColumn).toBeUndefined();
      expect(primary.contextRegion!.snippet!.text).toContain(primary.region!.snippet?.text ?? "");
    }
    const fingerprints = leaks.map((r) => r.partialFingerprints!["flowgateFingerprint/v1"]);
    expect(new Set(fingerprints).size).toBe(fingerprints.length);
  });

  it("groups by door: one result per sink argument and rule, and every flow of --granularity flow is in one", async () => {
    const byFlow = await scan({ root: DEMO, granularity: "flow" });
    const doorKey = (f: { ruleId: string; location: { file: string; startLine: number; startColumn: number } }) =>
      `${f.ruleId} ${f.location.file}:${f.location.startLine}:${f.location.startColumn}`;
    const doors = new Map(first.findings.filter((f) => f.flows).map((f) => [doorKey(f), f]));
    expect(doors.size).toBe(first.findings.filter((f) => f.flows).length);
    const flowKey = (flow: { dataClass: string; source: { location: unknown } }) => JSON.stringify([flow.dataClass, flow.source.location]);
    for (const finding of byFlow.findings.filter((f) => f.flows)) {
      const door = doors.get(doorKey(finding));
      expect(door, doorKey(finding)).toBeDefined();
      expect(door!.flows!.map(flowKey)).toContain(flowKey(finding.flows![0]!));
    }
    expect(byFlow.findings.filter((f) => f.flows).length).toBe([...doors.values()].reduce((n, d) => n + d.flows!.length, 0));
    expect(byFlow.findings.length).toBeGreaterThan(first.findings.length);
  });
});
