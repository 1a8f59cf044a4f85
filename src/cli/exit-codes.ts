import type { Finding, Level } from "../findings/finding.js";

/** The documented exit codes (README "Exit codes"). */
export const EXIT = {
  clean: 0,
  findings: 1,
  usage: 2,
  internal: 3,
} as const;

export type FailOn = Level | "none";
export const FAIL_ON_LEVELS: readonly FailOn[] = ["error", "warning", "note", "none"];

const RANK: Record<Level, number> = { note: 1, warning: 2, error: 3 };

/**
 * Whether the scan should fail: an unsuppressed finding at or above the threshold. Suppressed findings stay in the
 * output but do not fail the build; `absent` ones (fixed since the baseline) are history, not problems.
 */
export function failingFindings(findings: readonly Finding[], failOn: FailOn): Finding[] {
  if (failOn === "none") return [];
  return findings.filter((f) => !f.suppression && f.baselineState !== "absent" && RANK[f.level] >= RANK[failOn]);
}
