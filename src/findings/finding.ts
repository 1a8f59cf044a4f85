import type { Flow } from "../dataflow/flow.js";
import type { SourceLocation } from "../location.js";
import type { CodeFrame } from "./source-text.js";

export type Level = "error" | "warning" | "note";

/** What the reviewer sees: a rule violated at a location, with the flow that proves it (leaks) or the change (policy). */
export interface Finding {
  ruleId: string;
  level: Level;
  /** Plain text, one or more sentences ending with a period. May quote scanned code: reporters escape it. */
  message: string;
  location: SourceLocation; // primary: the sink argument for leaks
  relatedLocations: { location: SourceLocation; message: string }[];
  flow?: Flow;
  /** Stable identity across unrelated edits: see src/findings/fingerprint.ts and docs/fingerprints.md. */
  fingerprint: string;
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
