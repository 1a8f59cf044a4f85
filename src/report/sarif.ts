import type {
  Location,
  Log,
  Notification as SarifNotification,
  PhysicalLocation,
  ReportingDescriptor,
  Result,
  Run,
  ThreadFlowLocation,
} from "sarif";
import { FINGERPRINT_KEY } from "../findings/fingerprint.js";
import type { Finding } from "../findings/finding.js";
import type { RuleMetadata } from "../findings/rule-catalog.js";
import { readToolInfo, type ToolInfo } from "../findings/tool-info.js";
import type { SourceLocation } from "../location.js";
import type { Notification, ScanResult } from "../result.js";

export interface SarifOptions {
  /**
   * "full" (default): every finding, suppressed ones marked with `suppressions`. "github": what code scanning should
   * receive — GitHub ignores `suppressions`, so suppressed results are left out (and counted in run.properties).
   */
  profile?: "full" | "github";
  /** Tool name/version/home page; read from package.json when absent. */
  tool?: ToolInfo;
}

const SRCROOT = "%SRCROOT%";
const SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

/**
 * Renders a scan as a SARIF 2.1.0 log: one run, rules from metadata, results with their whole path as a codeFlow,
 * URIs relative to %SRCROOT%, notifications as toolExecutionNotifications. Pure and deterministic: the same result
 * gives byte-identical text (no timestamps, no absolute paths, every list in a fixed order).
 */
export function renderSarif(result: ScanResult, options: SarifOptions = {}): string {
  const tool = options.tool ?? readToolInfo();
  const rules = [...result.rules].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const omitted = options.profile === "github" ? result.findings.filter((f) => f.suppression) : [];
  const findings = result.findings.filter((f) => !omitted.includes(f));

  const run: Run = {
    tool: {
      driver: {
        name: tool.name,
        semanticVersion: tool.version,
        informationUri: tool.informationUri,
        rules: rules.map(ruleDescriptor),
      },
    },
    invocations: [
      {
        executionSuccessful: !result.notifications.some((n) => n.level === "error"),
        toolExecutionNotifications: result.notifications.map(notification),
      },
    ],
    originalUriBaseIds: {
      [SRCROOT]: { description: { text: "The root of the scanned source tree." } },
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
      suppressedResultsOmitted: omitted.length,
      policyFiles: [...result.policyFiles].sort(),
    },
  };
  const log: Log = { $schema: SCHEMA, version: "2.1.0", runs: [run] };
  return JSON.stringify(log, null, 2) + "\n";
}

function ruleDescriptor(rule: RuleMetadata): ReportingDescriptor {
  return {
    id: rule.id,
    name: rule.name,
    shortDescription: { text: rule.shortDescription },
    fullDescription: { text: rule.fullDescription },
    help: { text: rule.help.text, markdown: rule.help.markdown },
    helpUri: rule.helpUri,
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
    message: { text: messageText(finding.message) },
    locations: [{ physicalLocation: primaryLocation(finding) }],
  };
  if (finding.relatedLocations.length > 0) {
    result.relatedLocations = finding.relatedLocations.map(
      (r, i): Location => ({ id: i + 1, physicalLocation: physical(r.location), message: { text: messageText(r.message) } }),
    );
  }
  if (finding.flow && finding.flow.steps.length > 0) {
    result.codeFlows = [
      {
        message: { text: messageText(`Path of ${finding.flow.dataClass} data from its source to the sink.`) },
        threadFlows: [
          {
            locations: finding.flow.steps.map(
              (step, i): ThreadFlowLocation => ({
                location: { physicalLocation: physical(step.location), message: { text: messageText(step.message) } },
                executionOrder: i + 1,
              }),
            ),
          },
        ],
      },
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
  return result;
}

function notification(n: Notification): SarifNotification {
  return {
    descriptor: { id: n.id },
    level: n.level,
    message: { text: messageText(n.message) },
    ...(n.location ? { locations: [{ physicalLocation: physical(n.location) }] } : {}),
  };
}

function primaryLocation(finding: Finding): PhysicalLocation {
  const location = physical(finding.location);
  if (finding.snippet !== undefined && location.region) location.region.snippet = { text: finding.snippet };
  const frame = finding.codeFrame;
  if (frame && frame.startLine <= finding.location.startLine) {
    const endLine = frame.startLine + frame.lines.length - 1;
    if (endLine >= finding.location.endLine) {
      location.contextRegion = { startLine: frame.startLine, endLine, snippet: { text: frame.lines.join("\n") } };
    }
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
 * SARIF message text: plain text in which `[text](target)` is an embedded link, so brackets from scanned code are
 * escaped; every message is a sentence ending with a period (SARIF2001).
 */
export function messageText(text: string): string {
  const escaped = text.replace(/[[\]]/g, (c) => `\\${c}`).trim();
  return escaped.endsWith(".") ? escaped : `${escaped}.`;
}
