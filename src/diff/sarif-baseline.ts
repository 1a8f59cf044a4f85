import { readFileSync } from "node:fs";
import type { Log, PhysicalLocation, Result } from "sarif";
import { UsageError } from "../errors.js";
import type { Finding, Level } from "../findings/finding.js";
import { FINGERPRINT_KEY } from "../findings/fingerprint.js";
import type { SourceLocation } from "../location.js";
import type { Notification } from "../result.js";

export interface SarifBaseline {
  findings: Finding[];
  notifications: Notification[];
}

/**
 * Reads an earlier flowgate SARIF file (`--baseline previous.sarif`) back into findings: identity is the
 * `flowgateFingerprint/v1` partial fingerprint; rule, level, message and primary location come along so that absent
 * results can be listed. Results already `absent` in that file are history and are not carried forward; results
 * without a flowgate fingerprint (another tool's, or hand-edited) cannot be matched and are counted in a notification.
 */
export function readSarifBaseline(file: string): SarifBaseline {
  let log: Log;
  try {
    log = JSON.parse(readFileSync(file, "utf8")) as Log;
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new UsageError(`--baseline ${file}: ${e.code === "ENOENT" ? "no such file" : e.code ?? `not JSON (${e.message})`}`);
  }
  if (!log || typeof log !== "object" || !Array.isArray(log.runs)) {
    throw new UsageError(`--baseline ${file}: not a SARIF log (no \`runs\` array)`);
  }
  const findings: Finding[] = [];
  let unmatched = 0;
  for (const run of log.runs) {
    for (const result of run.results ?? []) {
      if (result.baselineState === "absent") continue;
      const finding = findingOf(result);
      if (finding) findings.push(finding);
      else unmatched++;
    }
  }
  const notifications: Notification[] = [];
  if (unmatched > 0) {
    notifications.push({
      id: "baseline-unmatched",
      level: "warning",
      message: `${unmatched} result(s) of the baseline ${file} have no ${FINGERPRINT_KEY} fingerprint or location and cannot be compared.`,
    });
  }
  return { findings, notifications };
}

function findingOf(result: Result): Finding | undefined {
  const fingerprint = result.partialFingerprints?.[FINGERPRINT_KEY];
  const location = locationOf(result.locations?.[0]?.physicalLocation);
  if (fingerprint === undefined || location === undefined || result.ruleId === undefined) return undefined;
  const justification = result.suppressions?.find((s) => s.kind === "inSource")?.justification;
  const suppressedAt = locationOf(result.suppressions?.[0]?.location?.physicalLocation);
  return {
    ruleId: result.ruleId,
    level: isLevel(result.level) ? result.level : "warning",
    // SARIF message text escapes brackets (embedded-link syntax); the finding's message is plain text.
    message: (result.message.text ?? "").replace(/\\([[\]])/g, "$1"),
    location,
    relatedLocations: [],
    fingerprint,
    ...(result.partialFingerprints?.primaryLocationLineHash !== undefined ? { lineHash: result.partialFingerprints.primaryLocationLineHash } : {}),
    ...(justification !== undefined && suppressedAt ? { suppression: { justification, location: suppressedAt } } : {}),
  };
}

function locationOf(physical: PhysicalLocation | undefined): SourceLocation | undefined {
  const uri = physical?.artifactLocation?.uri;
  const region = physical?.region;
  if (uri === undefined || region?.startLine === undefined) return undefined;
  let file: string;
  try {
    file = decodeURIComponent(uri);
  } catch {
    file = uri;
  }
  return {
    file,
    startLine: region.startLine,
    startColumn: region.startColumn ?? 1,
    endLine: region.endLine ?? region.startLine,
    endColumn: region.endColumn ?? region.startColumn ?? 1,
  };
}

function isLevel(level: unknown): level is Level {
  return level === "error" || level === "warning" || level === "note";
}
