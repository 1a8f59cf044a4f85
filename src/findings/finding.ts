import type { Flow } from "../vocabulary/flow.js";
import type { SourceLocation } from "../location.js";
import type { MessageLink } from "./message.js";
import type { CodeFrame } from "./source-text.js";

export type Level = "error" | "warning" | "note";

/** What the reviewer sees: a rule violated at a location, with the flow that proves it (leaks) or the change (policy). */
export interface Finding {
  ruleId: string;
  level: Level;
  /** Plain text, one or more sentences ending with a period. May quote scanned code: reporters escape it. */
  message: string;
  /** Quoted code in `message` that links to a related location (SARIF embedded links). */
  messageLinks?: MessageLink[];
  location: SourceLocation; // primary: the sink argument for leaks
  relatedLocations: { location: SourceLocation; message: string }[];
  /**
   * Leaks: the flows that prove it, shortest first, never empty. One at `--granularity flow`; at the default `door`
   * granularity, every source × data class that reaches this sink argument (relatedLocations hold their sources).
   */
  flows?: Flow[];
  /**
   * Leaks: GitHub's 0.0–10.0 score for this result — its rule's, moved by the most sensitive data class reaching the
   * door (src/findings/severity.ts). Other findings have their rule's.
   */
  securitySeverity?: string;
  /** Stable identity across unrelated edits: see src/findings/fingerprint.ts and docs/fingerprints.md. */
  fingerprint: string;
  /**
   * The fingerprint's ingredients besides rule and file, with the file taken out of them too (a function's name without
   * its file): matches a finding across a file rename in update review.
   */
  movedIdentity?: string[];
  /** GitHub's `primaryLocationLineHash` of the primary location's line (src/findings/line-hash.ts), when known. */
  lineHash?: string;
  /** The code of the primary location (SARIF region.snippet), when short enough to be worth carrying. */
  snippet?: string;
  /** Lines around the primary location (terminal code frame, SARIF contextRegion). */
  codeFrame?: CodeFrame;
  /** Inline suppressions that cover this finding (kept in output, never dropped). */
  suppression?: { justification: string; location: SourceLocation };
  /** Set in update review and baseline comparison. */
  baselineState?: "new" | "unchanged" | "updated" | "absent";
}
