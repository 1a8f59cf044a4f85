import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import type { Log, Result } from "sarif";
import { loadRuleCatalog } from "../../src/findings/rule-catalog.js";
import type { ScanResult } from "../../src/result.js";
import { messageText, relativeUri, renderSarif } from "../../src/report/sarif.js";
import { GATEWAY_FILES, gatewayFlows, makeResult, makeWorkspace } from "../support/hand-made.js";
import { validateSarif } from "../support/sarif-validator.js";

const rules = loadRuleCatalog();

/** The hand-made gateway scan, with a parse-error notification and baseline states on some findings. */
function gatewayResult(root = "/scan/root"): ScanResult {
  const ws = makeWorkspace(GATEWAY_FILES, root);
  const result = makeResult(ws, gatewayFlows(ws), rules);
  result.notifications.push({
    id: "parse-error",
    level: "error",
    message: "src/broken.ts does not parse: ';' expected",
    location: { file: "src/broken.ts", startLine: 3, startColumn: 7, endLine: 3, endColumn: 8 },
  });
  result.notifications.push({ id: "budget-steps", level: "warning", message: "Step budget hit in src/big.ts#huge; its flows are partial." });
  const states = ["new", "unchanged", "updated", "absent"] as const;
  result.findings.forEach((f, i) => {
    if (i > 0) f.baselineState = states[(i - 1) % states.length];
  });
  return result;
}

function parse(text: string): Log {
  return JSON.parse(text) as Log;
}

describe("renderSarif()", () => {
  const result = gatewayResult();
  const text = renderSarif(result);
  const log = parse(text);
  const run = log.runs[0]!;
  const results = run.results!;

  it("passes the SARIF Multitool validator (Gh;Sarif) with zero errors and zero warnings", async () => {
    const report = await validateSarif({ text });
    expect(report.errors).toEqual([]);
    expect(report.warnings).toEqual([]);
  });

  it("describes the tool and every rule from metadata", () => {
    const driver = run.tool.driver;
    expect(driver.name).toBe("flowgate");
    expect(driver.fullName).toMatch(/^flowgate \d+\.\d+\.\d+: /);
    expect(driver.semanticVersion).toMatch(/^\d+\.\d+\.\d+/);
    // No home page in package.json: no made-up web address; a data: URI with the package's description instead.
    expect(driver.informationUri).toMatch(/^data:text\/plain;charset=utf-8,flowgate%20/);
    expect(driver.rules!.filter((r) => r.helpUri !== undefined)).toEqual([]);
    expect(driver.rules!.map((r) => r.id)).toEqual(rules.map((r) => r.id));
    const network = driver.rules!.find((r) => r.id === "leak-to-network")!;
    expect(network).toMatchObject({
      name: "LeakToNetwork",
      defaultConfiguration: { level: "error" },
      properties: { "security-severity": "8.1", precision: "high", tags: expect.arrayContaining(["security", "external/cwe/cwe-200"]) },
    });
    expect(network.help!.markdown).toContain("## Remediation");
  });

  it("writes each result with its rule index, sink location, source, whole path and fingerprints", () => {
    const network = results.find((r) => r.ruleId === "leak-to-network")!;
    expect(run.tool.driver.rules![network.ruleIndex!]!.id).toBe("leak-to-network");
    expect(network.locations![0]!.physicalLocation).toMatchObject({
      artifactLocation: { uri: "src/notify.ts", uriBaseId: "%SRCROOT%" },
      region: { startLine: 9, startColumn: 49, endLine: 9, endColumn: 53, snippet: { text: "body" } },
      contextRegion: { startLine: 7, endLine: 11 },
    });
    expect(network.relatedLocations).toEqual([
      expect.objectContaining({
        id: 1,
        message: { text: "The phone number in `user.msisdn`: named like a phone number.", markdown: "The phone number in `user.msisdn`: named like a phone number." },
      }),
    ]);
    // The message links the source to its related location: in text (plain) and in markdown (code).
    expect(network.message.text).toMatch(/^The phone number in \[user\.msisdn\]\(1\) \(named like a phone number\) is sent by `axios\.post`/);
    expect(network.message.markdown).toMatch(/^The phone number in \[`user\.msisdn`\]\(1\) \(named like a phone number\) is sent by `axios\.post`/);
    const steps = network.codeFlows![0]!.threadFlows[0]!.locations;
    expect(network.codeFlows).toHaveLength(1);
    expect(steps.map((s) => [s.location!.physicalLocation!.artifactLocation!.uri, s.location!.message!.text])).toEqual([
      ["src/notify.ts", "phone-number read from user.msisdn."],
      ["src/notify.ts", "passed as 'to' to format()."],
      ["src/format.ts", "returned from format() in field 'to'."],
      ["src/notify.ts", "sent by axios.post()."],
    ]);
    expect(Object.keys(network.partialFingerprints!)).toEqual(["flowgateFingerprint/v1", "primaryLocationLineHash"]);
    // the classes reaching the door, and the result's own security-severity (the rule's for a class without a sensitivity)
    expect(network.properties).toEqual({ dataClasses: ["phone-number"], "security-severity": "8.1" });
  });

  it("sets the analysis category, and no version control details outside a git work tree", () => {
    expect(run.automationDetails).toEqual({ id: "flowgate/" });
    expect(parse(renderSarif(result, { category: "api/" })).runs[0]!.automationDetails).toEqual({ id: "api/" });
    expect(run.versionControlProvenance).toBeUndefined();
  });

  it("writes the repository and commit when the scan root is in a git work tree", async () => {
    const versionControl = { repositoryUri: "https://github.com/acme/gateway.git", revision: "a".repeat(40), branch: "main", rootInRepository: "" };
    const withRepo = renderSarif({ ...result, versionControl });
    expect(parse(withRepo).runs[0]!.versionControlProvenance).toEqual([
      { repositoryUri: versionControl.repositoryUri, revisionId: versionControl.revision, branch: "main", mappedTo: { uriBaseId: "%SRCROOT%" } },
    ]);
    const sub = parse(renderSarif({ ...result, versionControl: { ...versionControl, rootInRepository: "services/api" } }));
    expect(sub.runs[0]!.versionControlProvenance![0]!.mappedTo).toBeUndefined();
    const report = await validateSarif({ text: withRepo });
    expect([...report.errors, ...report.warnings]).toEqual([]);
  });

  it("gives every result a whole-line context region around its primary location", () => {
    for (const r of results) {
      const { region, contextRegion } = r.locations![0]!.physicalLocation!;
      expect(contextRegion!.startLine).toBeLessThanOrEqual(region!.startLine!);
      expect(contextRegion!.endLine).toBeGreaterThanOrEqual(region!.endLine!);
      expect(contextRegion!.startColumn).toBeUndefined();
    }
  });

  it("keeps suppressed results with an inSource suppression and its justification", () => {
    const suppressed = results.filter((r) => r.suppressions);
    expect(suppressed).toHaveLength(1);
    expect(suppressed[0]!.suppressions).toEqual([
      expect.objectContaining({ kind: "inSource", justification: "the audit logger writes to the enclave's local store" }),
    ]);
  });

  it("writes baseline states and notifications; an error notification marks the run unsuccessful", () => {
    expect(results.map((r) => r.baselineState)).toEqual([undefined, "new", "unchanged", "updated", "absent"]);
    const invocation = run.invocations![0]!;
    expect(invocation.executionSuccessful).toBe(false);
    // Sorted by place (none first), whatever order the stages produced them in.
    expect(invocation.toolExecutionNotifications!.map((n) => [n.descriptor!.id, n.level])).toEqual([
      ["budget-steps", "warning"],
      ["parse-error", "error"],
      ["suppression-unknown-rule", "warning"],
    ]);
    const reversed = { ...result, notifications: [...result.notifications].reverse() };
    expect(renderSarif(reversed)).toBe(text);
  });

  it("links every notification's place to its location, in text and in markdown", () => {
    const notes = run.invocations![0]!.toolExecutionNotifications!;
    const parseError = notes.find((n) => n.descriptor!.id === "parse-error")!;
    // the place the message names becomes the link
    expect(parseError.message).toEqual({
      text: "[src/broken.ts](1) does not parse: ';' expected.",
      markdown: "[`src/broken.ts`](1) does not parse: ';' expected.",
    });
    expect(parseError.locations).toEqual([expect.objectContaining({ id: 1 })]);
    // a message that names no place gets it at its end
    const unknownRule = notes.find((n) => n.descriptor!.id === "suppression-unknown-rule")!;
    expect(unknownRule.message.text).toMatch(/ \(at \[src\/debug\.ts:\d+\]\(1\)\)\.$/);
    for (const n of notes) {
      expect(n.message.markdown, n.descriptor!.id).toBeDefined();
      if (n.locations) expect([n.message.text, n.message.markdown].map((m) => m!.includes("](1)")), n.descriptor!.id).toEqual([true, true]);
      else expect(n.message.text, n.descriptor!.id).not.toMatch(/\]\(\d+\)/);
    }
  });

  it("never writes the scanning machine's paths, and is byte-identical across renders and scan roots", () => {
    expect(text).not.toContain("/scan/root");
    expect(renderSarif(gatewayResult())).toBe(text);
    expect(renderSarif(gatewayResult("/elsewhere/checkout with space"))).toBe(text);
  });

  it("escapes brackets from scanned code so they cannot form links, and ends every message with a period", () => {
    expect(messageText("value `[x](1)` reaches log")).toBe("value `\\[x\\](1)` reaches log.");
    for (const r of results) expect(r.message.text).toMatch(/\.$/);
  });

  it("percent-encodes relative paths into URI references", () => {
    expect(relativeUri("src/my file#1.ts")).toBe("src/my%20file%231.ts");
    expect(relativeUri("src/ünï.ts")).toBe("src/%C3%BCn%C3%AF.ts");
  });

  describe("github profile", () => {
    const github = parse(renderSarif(result, { profile: "github" }));

    it("leaves suppressed, absent and unchanged results out and counts them", async () => {
      const githubResults: Result[] = github.runs[0]!.results!;
      const left = (r: Result) => r.suppressions || r.baselineState === "absent" || r.baselineState === "unchanged";
      expect(results.filter(left)).toHaveLength(3);
      expect(githubResults).toHaveLength(results.length - 3);
      expect(githubResults.some(left)).toBe(false);
      expect(github.runs[0]!.properties!.resultsOmittedForUpload).toBe(3);
      const report = await validateSarif({ text: JSON.stringify(github) });
      expect([...report.errors, ...report.warnings]).toEqual([]);
    });
  });

  it("renders a clean scan that still validates", async () => {
    const ws = makeWorkspace({ "src/a.ts": "export const a = 1;\n" });
    const clean = renderSarif(makeResult(ws, [], rules));
    expect(parse(clean).runs[0]!.results).toEqual([]);
    expect(parse(clean).runs[0]!.invocations![0]!.executionSuccessful).toBe(true);
    const report = await validateSarif({ text: clean });
    expect([...report.errors, ...report.warnings]).toEqual([]);
  });
});

describe("renderSarif() within upload limits", () => {
  const result = gatewayResult();
  const all = parse(renderSarif(result)).runs[0]!;

  it("cuts results to the limit, keeping the most severe, and says so in a notification", async () => {
    const text = renderSarif(result, { limits: { maxResults: 2 } });
    const run = parse(text).runs[0]!;
    expect(run.results!.map((r) => r.level)).toEqual(["error", "error"]);
    const cut = run.invocations![0]!.toolExecutionNotifications!.filter((n) => n.descriptor!.id === "sarif-truncated");
    expect(cut.map((n) => n.message.text)).toEqual([
      `${all.results!.length - 2} result(s) were left out: at most 2 fit in one run; the lowest-severity ones were cut.`,
    ]);
    const report = await validateSarif({ text });
    expect([...report.errors, ...report.warnings]).toEqual([]);
  });

  it("shortens long paths to their first steps and the sink", () => {
    const run = parse(renderSarif(result, { limits: { maxThreadFlowLocations: 2 } })).runs[0]!;
    const network = run.results!.find((r) => r.ruleId === "leak-to-network")!;
    const steps = network.codeFlows![0]!.threadFlows[0]!.locations.map((l) => l.location!.message!.text);
    expect(steps).toEqual(["phone-number read from user.msisdn.", "sent by axios.post()."]);
  });

  it("halves the results until the compressed file fits", () => {
    const empty = renderSarif({ ...result, findings: [] });
    const limit = gzipSync(empty).length + 1000; // room for a result or two (the most severe, with its path), not five
    const text = renderSarif(result, { limits: { maxGzipBytes: limit } });
    const run = parse(text).runs[0]!;
    expect(gzipSync(text).length).toBeLessThanOrEqual(limit);
    expect(run.results!.length).toBeGreaterThan(0);
    expect(run.results!.length).toBeLessThan(all.results!.length);
    expect(run.invocations![0]!.toolExecutionNotifications!.some((n) => n.descriptor!.id === "sarif-truncated")).toBe(true);
    expect(renderSarif(result, { limits: { maxGzipBytes: limit } })).toBe(text);
  });

  it("cuts nothing that fits at gzip's default level, whether the fast estimate fits or not", () => {
    const full = renderSarif(result);
    const exact = gzipSync(full).length;
    const fast = gzipSync(full, { level: 1 }).length;
    expect(fast).toBeGreaterThanOrEqual(exact); // the estimate never under-states the upload's size
    expect(Buffer.byteLength(full)).toBeGreaterThan(fast); // so both limits below take the compressed path
    for (const limit of [exact, fast]) expect(renderSarif(result, { limits: { maxGzipBytes: limit } })).toBe(full);
    expect(renderSarif(result, { limits: { maxGzipBytes: exact - 1 } })).not.toBe(full);
  });
});
