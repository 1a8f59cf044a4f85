import type {
  CodeFlow,
  Location,
  Log,
  Message,
  Notification as SarifNotification,
  PhysicalLocation,
  ReportingDescriptor,
  Result,
  Run,
  Stack as SarifStack,
  ThreadFlowLocation,
  VersionControlDetails,
} from "sarif";
import { constants, gzipSync } from "node:zlib";
import { FINGERPRINT_KEY } from "../findings/fingerprint.js";
import { MAX_PATHS_SHOWN } from "../findings/granularity.js";
import type { Finding } from "../findings/finding.js";
import { quoteCode, type MessageLink } from "../findings/message.js";
import { otherPathsShown, throughWords } from "../findings/other-paths.js";
import type { FlowStep } from "../vocabulary/flow.js";
import { dataClassWords } from "../model/data-class-words.js";
import { compareNotifications } from "../findings/order.js";
import type { RuleMetadata } from "../findings/rule-catalog.js";
import { readToolInfo, type ToolInfo } from "../findings/tool-info.js";
import type { SourceLocation } from "../location.js";
import type { Notification, ScanResult, VersionControl } from "../result.js";
import { DEFAULT_CATEGORY } from "./category.js";
import { markdownCode } from "./markdown-safe.js";

export interface SarifOptions {
  /**
   * "full" (default): every finding, suppressed ones marked with `suppressions`. "github": what code scanning should
   * receive — GitHub ignores `suppressions` and `baselineState`, so suppressed results, results absent from the
   * scanned code (baselineState "absent") and, in update review, results the update did not touch (baselineState
   * "unchanged": a pull request's upload keeps only new ones) are left out, and counted in run.properties.
   */
  profile?: "full" | "github";
  /** Tool name/version/home page; read from package.json when absent. */
  tool?: ToolInfo;
  /**
   * `runs[0].automationDetails.id`: the analysis category, as GitHub tells apart several analyses of one commit (the
   * part before the last `/`). Default: `flowgate/`.
   */
  category?: string;
  /** What the consumer accepts; default: GitHub code scanning's hard limits. */
  limits?: Partial<SarifLimits>;
}

/** Upload limits. Past them output is cut deterministically and a `sarif-truncated` notification says what was cut. */
export interface SarifLimits {
  maxResults: number;
  maxThreadFlowLocations: number;
  maxRelatedLocations: number;
  /** Size of the gzip-compressed file, as GitHub measures uploads. */
  maxGzipBytes: number;
}

// https://docs.github.com/en/code-security/code-scanning/troubleshooting-sarif-uploads/results-exceed-limit
export const GITHUB_LIMITS: SarifLimits = {
  maxResults: 25_000,
  maxThreadFlowLocations: 10_000,
  maxRelatedLocations: 1_000,
  maxGzipBytes: 10_000_000,
};

const SRCROOT = "%SRCROOT%";
const SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

/**
 * Renders a scan as a SARIF 2.1.0 log: one run, rules from metadata, results with their whole path as a codeFlow,
 * URIs relative to %SRCROOT%, notifications as toolExecutionNotifications. Pure and deterministic: the same result
 * gives byte-identical text (no timestamps, no absolute paths, every list in a fixed order).
 */
export function renderSarif(result: ScanResult, options: SarifOptions = {}): string {
  const limits = { ...GITHUB_LIMITS, ...options.limits };
  const omitted =
    options.profile === "github"
      ? result.findings.filter((f) => f.suppression || f.baselineState === "absent" || f.baselineState === "unchanged")
      : [];
  const findings = result.findings.filter((f) => !omitted.includes(f));
  const { kept, cuts } = applyCountLimits(findings, limits);
  let text = renderLog(result, options, kept, omitted.length, cuts);
  // Too big: keep halving the lowest-priority half of the results until it fits (a handful of renders at most).
  let budget = kept.length;
  while (budget > 0 && gzipSize(text, limits.maxGzipBytes) > limits.maxGzipBytes) {
    budget = Math.floor(budget / 2);
    const fit = new Set(byPriority(kept).slice(0, budget));
    const cut = `${kept.length - budget} result(s) were left out of this SARIF file to keep it under ${limits.maxGzipBytes} gzip-compressed bytes; the lowest-severity ones were cut.`;
    text = renderLog(result, options, kept.filter((f) => fit.has(f)), omitted.length, [...cuts, cut]);
  }
  return text;
}

/** Cuts to the count limits: results by priority (level, then their sorted order), long paths in the middle. */
function applyCountLimits(findings: Finding[], limits: SarifLimits): { kept: Finding[]; cuts: string[] } {
  const cuts: string[] = [];
  let kept = findings;
  if (kept.length > limits.maxResults) {
    const fit = new Set(byPriority(kept).slice(0, limits.maxResults));
    cuts.push(`${kept.length - limits.maxResults} result(s) were left out: at most ${limits.maxResults} fit in one run; the lowest-severity ones were cut.`);
    kept = kept.filter((f) => fit.has(f));
  }
  let longPaths = 0;
  let longRelated = 0;
  kept = kept.map((f) => {
    let out = f;
    const tooLong = (steps: readonly FlowStep[]) => steps.length > limits.maxThreadFlowLocations;
    if (f.flows?.some((flow) => tooLong(flow.steps) || flow.otherPaths?.some(tooLong))) {
      longPaths++;
      // Keep the start (source side) and the sink: the two ends a reviewer needs.
      const cut = (steps: FlowStep[]) => (tooLong(steps) ? [...steps.slice(0, Math.max(1, limits.maxThreadFlowLocations - 1)), steps.at(-1)!] : steps);
      const flows = f.flows.map((flow) => ({ ...flow, steps: cut(flow.steps), ...(flow.otherPaths ? { otherPaths: flow.otherPaths.map(cut) } : {}) }));
      out = { ...out, flows };
    }
    if (f.relatedLocations.length > limits.maxRelatedLocations) {
      longRelated++;
      out = { ...out, relatedLocations: f.relatedLocations.slice(0, limits.maxRelatedLocations) };
    }
    return out;
  });
  if (longPaths > 0) {
    cuts.push(`${longPaths} result path(s) longer than ${limits.maxThreadFlowLocations} steps were shortened to their first steps and the sink.`);
  }
  if (longRelated > 0) {
    cuts.push(`${longRelated} result(s) had more than ${limits.maxRelatedLocations} related locations; the rest were left out.`);
  }
  return { kept, cuts };
}

const LEVEL_RANK = { error: 0, warning: 1, note: 2 } as const;

/** Most important first: by level, then by security-severity (the most sensitive data first), then in sorted order. */
function byPriority(findings: Finding[]): Finding[] {
  const severity = (f: Finding) => Number(f.securitySeverity ?? 0);
  return findings
    .map((f, i) => [f, i] as const)
    .sort(([a, i], [b, j]) => LEVEL_RANK[a.level] - LEVEL_RANK[b.level] || severity(b) - severity(a) || i - j)
    .map(([f]) => f);
}

/**
 * The gzip size as far as the limit needs it, as cheaply as it can be settled. Within the limit raw, the text is within
 * it compressed (SARIF is JSON text, which gzip shrinks several-fold). Otherwise gzip's fastest level decides: its
 * output is never smaller than the default level's (the one GitHub's upload uses), so when it fits, the upload fits; only
 * when it does not is the exact size at the default level measured (about three times slower).
 */
function gzipSize(text: string, limit: number): number {
  const raw = Buffer.byteLength(text);
  if (raw <= limit) return raw;
  const bytes = Buffer.from(text);
  const fast = gzipSync(bytes, { level: constants.Z_BEST_SPEED }).length;
  return fast <= limit ? fast : gzipSync(bytes).length;
}

function renderLog(result: ScanResult, options: SarifOptions, findings: Finding[], omitted: number, cuts: string[]): string {
  const tool = options.tool ?? readToolInfo();
  const rules = [...result.rules].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const notifications: Notification[] = [
    ...[...result.notifications].sort(compareNotifications),
    ...cuts.map((message): Notification => ({ id: "sarif-truncated", level: "warning", message })),
  ];

  const run: Run = {
    tool: {
      driver: {
        name: tool.name,
        fullName: `${tool.name} ${tool.version}: forbidden data flows in gateway source code`,
        semanticVersion: tool.version,
        informationUri: tool.informationUri,
        rules: rules.map(ruleDescriptor),
      },
    },
    automationDetails: { id: options.category ?? DEFAULT_CATEGORY },
    ...(result.versionControl ? { versionControlProvenance: [versionControlDetails(result.versionControl)] } : {}),
    invocations: [
      {
        executionSuccessful: !notifications.some((n) => n.level === "error"),
        toolExecutionNotifications: notifications.map(notification),
      },
    ],
    originalUriBaseIds: {
      [SRCROOT]: { description: sarifMessage("The root of the scanned source tree.") },
    },
    results: findings.map((f) => resultOf(f, ruleIndex)),
    columnKind: "utf16CodeUnits",
    properties: {
      filesScanned: result.stats.filesScanned,
      filesSkipped: result.stats.filesSkipped,
      functionsAnalysed: result.stats.functionsAnalysed,
      summariesReused: result.stats.summariesReused,
      unresolvedCalls: result.stats.unresolvedCalls,
      budgetHits: result.stats.budgetHits,
      ...(result.stats.durationMs !== undefined ? { durationMs: result.stats.durationMs } : {}),
      egressPoints: result.egress.length,
      resultsOmittedForUpload: omitted,
      policyFiles: [...result.policyFiles].sort(),
    },
  };
  const log: Log = { $schema: SCHEMA, version: "2.1.0", runs: [run] };
  return JSON.stringify(log, null, 2) + "\n";
}

/** Where the scanned files come from: the repository, the commit, and where the scan root stands in it. */
function versionControlDetails(vc: VersionControl): VersionControlDetails {
  return {
    repositoryUri: vc.repositoryUri,
    revisionId: vc.revision,
    ...(vc.branch !== undefined ? { branch: vc.branch } : {}),
    // The repository's root is %SRCROOT% when the scan root is the repository's root; a scanned subdirectory cannot
    // say where its repository root is without an absolute path, which output never holds.
    ...(vc.rootInRepository === "" ? { mappedTo: { uriBaseId: SRCROOT } } : {}),
  };
}

function ruleDescriptor(rule: RuleMetadata): ReportingDescriptor {
  return {
    id: rule.id,
    name: rule.name,
    shortDescription: { text: rule.shortDescription },
    fullDescription: { text: rule.fullDescription },
    help: { text: rule.help.text, markdown: rule.help.markdown },
    ...(rule.helpUri !== undefined ? { helpUri: rule.helpUri } : {}),
    defaultConfiguration: { level: rule.level },
    properties: {
      tags: rule.tags,
      precision: rule.precision,
      "security-severity": rule.securitySeverity,
      "problem.severity": rule.level === "note" ? "recommendation" : rule.level,
    },
  };
}

function resultOf(finding: Finding, ruleIndex: Map<string, number>): Result {
  const index = ruleIndex.get(finding.ruleId);
  const result: Result = {
    ruleId: finding.ruleId,
    ...(index !== undefined ? { ruleIndex: index } : {}),
    level: finding.level,
    message: sarifMessage(finding.message, finding.messageLinks),
    locations: [{ physicalLocation: primaryLocation(finding) }],
  };
  if (finding.relatedLocations.length > 0) {
    result.relatedLocations = finding.relatedLocations.map(
      (r, i): Location => ({ id: i + 1, physicalLocation: physical(r.location), message: sarifMessage(r.message) }),
    );
  }
  const flows = (finding.flows ?? []).filter((flow) => flow.steps.length > 0);
  if (flows.length > 0) {
    // The shortest paths, as many as reports show (the message gives the count of the rest), then the other paths of
    // those flows (a wrapper's other callers), as many again: the first code flow stays the shortest path.
    const shown = flows.slice(0, MAX_PATHS_SHOWN);
    const codeFlow = (text: string, steps: readonly FlowStep[]): CodeFlow => ({
      message: sarifMessage(text),
      threadFlows: [
        {
          locations: steps.map(
            (step, i): ThreadFlowLocation => ({
              location: { physicalLocation: physical(step.location), message: sarifMessage(step.message) },
              executionOrder: i + 1,
            }),
          ),
        },
      ],
    });
    result.codeFlows = [
      ...shown.map((flow) => codeFlow(`Path of the ${dataClassWords(flow.dataClass)} in ${quoteCode(flow.source.expression)} to the sink.`, flow.steps)),
      ...otherPathsShown(shown, MAX_PATHS_SHOWN).map(({ flow, steps }) =>
        codeFlow(`Another path of the ${dataClassWords(flow.dataClass)} in ${quoteCode(flow.source.expression)} to the sink, ${throughWords(flow.steps, steps)}.`, steps),
      ),
    ];
  }
  result.partialFingerprints = {
    [FINGERPRINT_KEY]: finding.fingerprint,
    ...(finding.lineHash !== undefined ? { primaryLocationLineHash: finding.lineHash } : {}),
  };
  if (finding.suppression) {
    result.suppressions = [
      {
        kind: "inSource",
        justification: finding.suppression.justification,
        location: { physicalLocation: physical(finding.suppression.location) },
      },
    ];
  }
  if (finding.baselineState) result.baselineState = finding.baselineState;
  // The data classes reaching a door, for tools that read results (the message says them in words), and its
  // security-severity, for tools that read it per result (GitHub reads the rule's: docs/data-classes.md).
  if (flows.length > 0) {
    result.properties = {
      dataClasses: [...new Set(flows.map((flow) => flow.dataClass))].sort(),
      ...(finding.securitySeverity !== undefined ? { "security-severity": finding.securitySeverity } : {}),
    };
  }
  return result;
}

function notification(n: Notification): SarifNotification {
  const linked = n.location ? linkLocation(n.message, n.location) : { message: n.message, links: [] };
  return {
    descriptor: { id: n.id },
    level: n.level,
    message: sarifMessage(linked.message, linked.links),
    ...(n.location ? { locations: [{ id: 1, physicalLocation: physical(n.location) }] } : {}),
    ...(n.exception
      ? { exception: { kind: n.exception.kind, message: n.exception.message, ...(n.exception.stack ? { stack: stackOf(n.exception.stack) } : {}) } }
      : {}),
  };
}

/**
 * A notification's message with its location linked (`[text](1)`, the id of its one location), so a viewer can jump
 * there: the place the message names — the file's path and what follows it up to a space (`src/a.ts#fn`,
 * `src/a.ts:3`), or the code span holding it — or, when it names none, the place added at the end ("… (at
 * src/a.ts:3).").
 */
function linkLocation(message: string, location: SourceLocation): { message: string; links: MessageLink[] } {
  const text = message.trim();
  for (let at = text.indexOf(location.file); location.file !== "" && at >= 0; at = text.indexOf(location.file, at + 1)) {
    if (at > 0 && !/[\s`'"(]/.test(text[at - 1]!)) continue; // the end of a longer path
    if (text[at - 1] === "`") {
      const close = text.indexOf("`", at);
      if (close > at) return { message: text, links: [{ start: at - 1, end: close + 1, related: 1 }] };
    }
    let end = at + location.file.length;
    while (end < text.length && !/\s/.test(text[end]!)) end++;
    while (end > at + location.file.length && /[.,;:)'"]/.test(text[end - 1]!)) end--;
    return { message: text, links: [{ start: at, end, related: 1 }] };
  }
  const sentence = text.replace(/\.$/, "");
  const place = `${location.file}:${location.startLine}`;
  const start = sentence.length + " (at ".length;
  return { message: `${sentence} (at ${place}).`, links: [{ start, end: start + place.length, related: 1 }] };
}

/** A JavaScript stack as a SARIF stack: one frame per `at …` line, the text as the frame's message. */
function stackOf(stack: string): SarifStack {
  const frames = stack
    .split("\n")
    .filter((line) => line.trimStart().startsWith("at "))
    .map((line) => ({ location: { message: { text: line.trim(), markdown: markdownCode(line.trim()) } } }));
  const first = stack.split("\n")[0] ?? "";
  return { message: { text: first, markdown: markdownCode(first) }, frames };
}

/** The sink argument, with its code and a whole-line context region around it (viewers show and highlight it there). */
function primaryLocation(finding: Finding): PhysicalLocation {
  const location = physical(finding.location);
  if (finding.snippet !== undefined && location.region) location.region.snippet = { text: finding.snippet };
  const frame = finding.codeFrame;
  const frameEnd = frame ? frame.startLine + frame.lines.length - 1 : 0;
  if (frame && frame.startLine <= finding.location.startLine && frameEnd >= finding.location.endLine) {
    location.contextRegion = { startLine: frame.startLine, endLine: frameEnd, snippet: { text: frame.lines.join("\n") } };
  } else {
    // A region longer than a code frame (a very long argument): its own lines are the context, without their text.
    location.contextRegion = { startLine: finding.location.startLine, endLine: finding.location.endLine };
  }
  return location;
}

function physical(location: SourceLocation): PhysicalLocation {
  return {
    artifactLocation: { uri: relativeUri(location.file), uriBaseId: SRCROOT },
    region: {
      startLine: location.startLine,
      startColumn: location.startColumn,
      endLine: location.endLine,
      endColumn: location.endColumn,
    },
  };
}

/** A relative file path as a relative URI reference: each segment percent-encoded (spaces, `#`, `%`, non-ASCII). */
export function relativeUri(file: string): string {
  return file
    .split("/")
    .map((segment) => encodeURIComponent(segment))
    .join("/");
}

/**
 * A SARIF message: `text` (plain text; code or a place the message links becomes an embedded link `[code](id)` to a
 * related location — or a notification's own location —, other code stays in backticks) and `markdown` (code spans,
 * links with code as their text). Brackets from
 * scanned code are escaped so they cannot form links; every message is a sentence ending with a period (SARIF2001).
 */
export function sarifMessage(message: string, links: readonly MessageLink[] = []): Message & { text: string } {
  const sentence = message.trim().endsWith(".") ? message.trim() : `${message.trim()}.`;
  let text = "";
  let markdown = "";
  let at = 0;
  for (const link of [...links].sort((a, b) => a.start - b.start)) {
    if (link.start < at || link.end > sentence.length) continue;
    text += escapeLinks(sentence.slice(at, link.start));
    markdown += markdownProse(sentence.slice(at, link.start));
    // the linked span: quoted code (its backticks dropped in text), or a place named in plain words (a path)
    const quoted = sentence[link.start] === "`" && sentence[link.end - 1] === "`" && link.end - link.start >= 2;
    const code = quoted ? sentence.slice(link.start + 1, link.end - 1) : sentence.slice(link.start, link.end);
    text += `[${escapeLinks(code)}](${link.related})`;
    markdown += `[${markdownCode(code).replace(/[[\]]/g, (c) => `\\${c}`)}](${link.related})`;
    at = link.end;
  }
  text += escapeLinks(sentence.slice(at));
  markdown += markdownProse(sentence.slice(at));
  return { text, markdown };
}

/** Prose with `code` in backticks as SARIF markdown: code spans kept (fence-safe), markdown characters escaped. */
function markdownProse(text: string): string {
  const parts = text.split("`");
  if (parts.length % 2 === 0) return escapeMarkdown(text);
  return parts.map((part, i) => (i % 2 === 1 ? markdownCode(part).replace(/[[\]]/g, (c) => `\\${c}`) : escapeMarkdown(part))).join("");
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\*_[\]<>|#~]/g, (c) => `\\${c}`);
}

function escapeLinks(text: string): string {
  return text.replace(/[[\]]/g, (c) => `\\${c}`);
}

/**
 * SARIF message text: plain text in which `[text](target)` is an embedded link, so brackets from scanned code are
 * escaped; every message is a sentence ending with a period (SARIF2001).
 */
export function messageText(text: string): string {
  return sarifMessage(text).text;
}
