import type { SourceLocation } from "./location.js";
import type { Finding } from "./findings/finding.js";
import type { EgressPoint } from "./vocabulary/flow.js";
import type { RuleMetadata } from "./findings/rule-catalog.js";

/**
 * Something the scan wants the reader to know that is not a finding: a file that did not parse, a budget that was hit,
 * an `eval`. Becomes a SARIF toolExecutionNotification; `level: "error"` ones mark the run as not fully successful.
 */
export interface Notification {
  id: string; // stable, kebab-case: "parse-error", "budget-steps", "dynamic-code", …
  level: "error" | "warning" | "note";
  message: string;
  location?: SourceLocation;
  /** For an `internal-error`: the exception flowgate's own code threw (the stack only with --debug). */
  exception?: { kind: string; message: string; stack?: string };
}

/** The numbers that tell a reviewer how far to trust a clean scan. */
export interface ScanStats {
  filesScanned: number;
  filesSkipped: number;
  functionsAnalysed: number;
  summariesReused: number;
  unresolvedCalls: number;
  budgetHits: number;
  durationMs?: number; // only when asked for: output is deterministic by default
}

export interface ScanResult {
  /** Absolute scan root on this machine; never written into output (SARIF uses %SRCROOT%-relative URIs). */
  root: string;
  findings: Finding[];
  egress: EgressPoint[];
  notifications: Notification[];
  stats: ScanStats;
  rules: RuleMetadata[];
  /** Policy files that were read, relative to the root where inside it. */
  policyFiles: string[];
  /** The repository and commit scanned, when the root is in a git work tree with a remote. */
  versionControl?: VersionControl;
}

/** The git work tree the scan root is in, read from its .git (nothing is run): SARIF versionControlProvenance. */
export interface VersionControl {
  /** The remote's URL without credentials (absolute; a relative or absent remote gives no VersionControl). */
  repositoryUri: string;
  /** The commit checked out. */
  revision: string;
  branch?: string;
  /** The scan root relative to the work tree's root ("" when it is the root), forward slashes. */
  rootInRepository: string;
}
