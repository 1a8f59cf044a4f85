import type { Workspace } from "../workspace/workspace.js";
import type { Notification, ScanStats } from "../result.js";
import type { Budgets } from "./budgets.js";
import type { EgressPoint, Flow } from "./flow.js";
import type { Question } from "./signature.js";

export interface AnalysisResult {
  flows: Flow[];
  egress: EgressPoint[];
  notifications: Notification[];
  stats: Pick<ScanStats, "functionsAnalysed" | "summariesReused" | "unresolvedCalls" | "budgetHits">;
}

export interface AnalysisProgress {
  functionsAnalysed: number;
}

/** Runs the taint engine over the workspace. (Skeleton: the engine lands with issue #3's work.) */
export function analyze(
  _workspace: Workspace,
  _question: Question,
  _budgets: Budgets,
  _onProgress?: (progress: AnalysisProgress) => void,
): AnalysisResult {
  return { flows: [], egress: [], notifications: [], stats: { functionsAnalysed: 0, summariesReused: 0, unresolvedCalls: 0, budgetHits: 0 } };
}
