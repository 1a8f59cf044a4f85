import type { Flow } from "../dataflow/flow.js";
import type { SourceLocation } from "../location.js";

export type Level = "error" | "warning" | "note";

/** What the reviewer sees: a rule violated at a location, with the flow that proves it (leaks) or the change (policy). */
export interface Finding {
  ruleId: string;
  level: Level;
  message: string;
  location: SourceLocation; // primary: the sink argument for leaks
  relatedLocations: { location: SourceLocation; message: string }[];
  flow?: Flow;
  /** Stable identity across unrelated edits: see src/findings/fingerprint.ts for its ingredients. */
  fingerprint: string;
  /** Inline suppressions that cover this finding (kept in output, never dropped). */
  suppression?: { justification: string; location: SourceLocation };
  /** Set in update review and baseline comparison. */
  baselineState?: "new" | "unchanged" | "updated" | "absent";
}
