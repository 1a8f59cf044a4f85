import type { Sensitivity } from "../config/policy.js";

/**
 * How a data class's sensitivity moves a leak's security-severity away from its rule's. The rule's score rates the
 * egress kind (a network send is more exposed than a log line) for data of moderate sensitivity, the usual personal
 * data; a more sensitive class raises it, a less sensitive one lowers it. GitHub's bands: low < 4.0 ≤ medium < 7.0 ≤
 * high < 9.0 ≤ critical.
 */
export const SENSITIVITY_OFFSET: Readonly<Record<Sensitivity, number>> = {
  low: -1.5,
  moderate: 0,
  high: 1.0,
  "very-high": 2.0,
};

/**
 * A result's security-severity: its rule's, moved by the most sensitive data class reaching its door (a class without
 * a sensitivity counts as moderate), kept within 0.1–10.0, written as GitHub reads it ("9.1").
 */
export function resultSecuritySeverity(
  ruleSeverity: string,
  dataClasses: readonly string[],
  sensitivityOf: (dataClass: string) => Sensitivity | undefined,
): string {
  const base = Number(ruleSeverity);
  if (dataClasses.length === 0 || !Number.isFinite(base)) return ruleSeverity;
  const offset = Math.max(...dataClasses.map((c) => SENSITIVITY_OFFSET[sensitivityOf(c) ?? "moderate"]));
  return Math.min(10, Math.max(0.1, base + offset)).toFixed(1);
}
