import type { Flow } from "../dataflow/flow.js";
import type { Notification } from "../result.js";
import type { Workspace } from "../workspace/workspace.js";
import type { Finding } from "./finding.js";
import type { RuleMetadata } from "./rule-catalog.js";

/** Turns flows into findings: rule, message, fingerprint, suppressions, de-duplication. (Skeleton: issue #2.) */
export function buildFindings(
  _flows: Flow[],
  _workspace: Workspace,
  _rules: RuleMetadata[],
): { findings: Finding[]; notifications: Notification[] } {
  return { findings: [], notifications: [] };
}
