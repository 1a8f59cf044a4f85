import type { Level } from "./finding.js";

/**
 * A rule's metadata, read from rules/checks/<id>.yaml. SARIF `rules[]`, `flowgate rules` and docs/rules.md are all
 * generated from it, never written twice.
 */
export interface RuleMetadata {
  id: string;
  name: string; // PascalCase, for SARIF reportingDescriptor.name
  shortDescription: string;
  fullDescription: string;
  level: Level;
  securitySeverity: string; // "8.0": GitHub's security-severity
  precision: "very-high" | "high" | "medium" | "low";
  tags: string[];
  help: { text: string; markdown: string };
}

/** Loads every rule's metadata from rules/checks/, sorted by id. (Skeleton: lands with issue #2.) */
export function loadRuleCatalog(): RuleMetadata[] {
  return [];
}
