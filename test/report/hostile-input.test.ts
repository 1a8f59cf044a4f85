import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Finding } from "../../src/findings/finding.js";
import { loadRuleCatalog } from "../../src/findings/rule-catalog.js";
import type { SourceLocation } from "../../src/location.js";
import type { ScanResult } from "../../src/result.js";
import { renderInventory } from "../../src/report/inventory.js";
import { renderInventoryMarkdown } from "../../src/report/inventory-markdown.js";
import { renderMarkdown } from "../../src/report/markdown.js";
import { renderSarif } from "../../src/report/sarif.js";
import { renderText } from "../../src/report/text.js";
import { mermaidBlocks, parseMermaidFlowchart } from "../support/mermaid-flowchart.js";
import { validateSarif } from "../support/sarif-validator.js";

// Everything a scanned tree controls (file names, code quoted in messages and steps, justifications, hosts) is drawn
// from hostile alphabets; each reporter must stay well-formed and inert whatever it receives.
const rules = loadRuleCatalog();
const HOSTILE = ["\u001b[31m", "\u001b]8;;http://x\u0007", "\u202e", "\u0000", "\r", "\n", "`", "```", "<script>", "&", "@here", "#1", "[a](b)", "*", "_", "|", "\\", "%", " ", "ü", "😀", "\ud800", ".", "]"];
const hostileText = fc.array(fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ maxLength: 4 })), { maxLength: 8 }).map((parts) => parts.join(""));
const fileName = fc
  .array(fc.oneof(fc.constantFrom("a", "b c", "ü", "#", "%", "`", "<x>", "\u001b"), fc.stringMatching(/^[a-z]{1,5}$/)), { minLength: 1, maxLength: 3 })
  .map((segments) => `src/${segments.join("")}.ts`);
const position = fc.record({ line: fc.integer({ min: 1, max: 500 }), column: fc.integer({ min: 1, max: 120 }) });
const location = fc.tuple(fileName, position).map(([file, p]): SourceLocation => ({ file, startLine: p.line, startColumn: p.column, endLine: p.line, endColumn: p.column + 3 }));

const finding = fc
  .record({
    rule: fc.constantFrom(...rules.map((r) => r.id)),
    message: hostileText,
    at: location,
    source: location,
    steps: fc.array(fc.record({ at: location, message: hostileText }), { minLength: 1, maxLength: 4 }),
    suppressed: fc.option(hostileText, { nil: undefined }),
    frame: fc.array(hostileText, { minLength: 1, maxLength: 3 }),
    baseline: fc.option(fc.constantFrom("new", "unchanged", "updated", "absent" as const), { nil: undefined }),
    host: hostileText,
  })
  .map(({ rule, message, at, source, steps, suppressed, frame, baseline, host }, ): Finding => {
    const meta = rules.find((r) => r.id === rule)!;
    return {
      ruleId: rule,
      level: meta.level,
      message,
      location: at,
      relatedLocations: [{ location: source, message: `Source: ${message}` }],
      flows: [{
        dataClass: "phone-number",
        source: { location: source, reason: message, expression: message },
        sink: { location: at, id: "s", kind: "network", label: message, callee: "x#y", enclosingFunction: `${at.file}#f` },
        destination: { status: "resolved", host },
        vetted: false,
        steps: steps.map((s) => ({ location: s.at, message: s.message, role: "step" as const })),
      }],
      fingerprint: "0".repeat(32),
      lineHash: "abc:1",
      snippet: message,
      codeFrame: { startLine: at.startLine, lines: frame },
      ...(suppressed !== undefined ? { suppression: { justification: suppressed, location: source } } : {}),
      ...(baseline !== undefined ? { baselineState: baseline } : {}),
    };
  });

function resultOf(findings: Finding[], notes: string[]): ScanResult {
  return {
    root: "/root",
    findings,
    egress: findings.map((f) => ({ location: f.location, kind: "network", label: f.message, callee: "x#y", destination: f.flows![0]!.destination, vetted: false, dataClasses: ["phone-number"] })),
    notifications: notes.map((message, i) => ({ id: "parse-error", level: i === 0 ? "error" : "warning", message, location: findings[0]?.location })),
    stats: { filesScanned: 1, filesSkipped: 0, functionsAnalysed: 0, summariesReused: 0, unresolvedCalls: 0, budgetHits: 0 },
    rules,
    policyFiles: [],
  };
}

const scans = fc.tuple(fc.array(finding, { maxLength: 6 }), fc.array(hostileText, { maxLength: 2 })).map(([f, n]) => resultOf(f, n));

/**
 * Prose of a markdown text: code spans removed, as CommonMark reads them — a backslash escapes the next character, and
 * a run of n backticks opens a span that only a run of exactly n backticks closes (else the run is literal text).
 */
function prose(markdown: string): string {
  let out = "";
  let i = 0;
  while (i < markdown.length) {
    const c = markdown[i]!;
    if (c === "\\") {
      out += markdown.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (c !== "`") {
      out += c;
      i++;
      continue;
    }
    let n = 0;
    while (markdown[i + n] === "`") n++;
    const close = new RegExp(`(?<!\`)\`{${n}}(?!\`)`, "g");
    close.lastIndex = i + n;
    const match = close.exec(markdown);
    if (match) {
      i = match.index + n;
    } else {
      out += "`".repeat(n);
      i += n;
    }
  }
  return out;
}

describe("reporters on hostile input", () => {
  it("terminal output (text, inventory) never contains a control character other than newline", () => {
    fc.assert(
      fc.property(scans, (scan) => {
        for (const out of [renderText(scan, { color: false }), renderInventory(scan)]) {
          // eslint-disable-next-line no-control-regex -- looking for control characters is the point
          expect(out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
        }
      }),
      { numRuns: 150, seed: 7 },
    );
  });

  it("markdown prose carries no raw HTML, links, mentions or issue references", () => {
    fc.assert(
      fc.property(scans, (scan) => {
        const text = prose(renderMarkdown(scan));
        const withoutDetails = text.replace(/<\/?details>|<summary>|<\/summary>/g, "");
        expect(withoutDetails).not.toMatch(/<[a-z/!]/i);
        expect(text).not.toMatch(/(?<!\\)\]\(/);
        expect(text).not.toMatch(/@here/);
        expect(text).not.toMatch(/#1/);
      }),
      { numRuns: 150, seed: 7 },
    );
  });

  it("the inventory's markdown carries no raw HTML or links, and its data map stays in the Mermaid subset flowgate writes", () => {
    fc.assert(
      fc.property(scans, (scan) => {
        const markdown = renderInventoryMarkdown(scan);
        const text = prose(markdown).replace(/<\/?details>|<summary>|<\/summary>/g, "");
        expect(text).not.toMatch(/<[a-z/!]/i);
        expect(text).not.toMatch(/(?<!\\)\]\(/);
        expect(text).not.toMatch(/@here/);
        for (const block of mermaidBlocks(markdown)) expect(() => parseMermaidFlowchart(block)).not.toThrow();
        expect(mermaidBlocks(markdown)).toHaveLength(scan.egress.length > 0 ? 1 : 0);
      }),
      { numRuns: 150, seed: 7 },
    );
  });

  it("SARIF stays valid JSON, relative, deterministic, and passes the validator on a hostile sample", async () => {
    const sample = fc.sample(scans, { numRuns: 25, seed: 11 });
    const merged = resultOf(
      sample.flatMap((s) => s.findings),
      sample.flatMap((s) => s.notifications.map((n) => n.message)).slice(0, 5),
    );
    const text = renderSarif(merged);
    expect(renderSarif(merged)).toBe(text);
    const log = JSON.parse(text) as { runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
    for (const r of log.runs[0]!.results) {
      const uri = r.locations[0]!.physicalLocation.artifactLocation.uri;
      expect(uri).toMatch(/^src\/[A-Za-z0-9\-_.!~*'()%]+$/);
    }
    const report = await validateSarif({ text });
    expect(report.errors).toEqual([]);
    expect(report.warnings).toEqual([]);
  });
});
