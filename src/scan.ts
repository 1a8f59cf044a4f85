import path from "node:path";
import { loadPolicy, type PolicySource } from "./config/load-policy.js";
import { loadWorkspace } from "./workspace/load-workspace.js";
import { compileModel } from "./model/compile-model.js";
import { analyze, type AnalysisProgress } from "./dataflow/analyze.js";
import { DEFAULT_BUDGETS, type Budgets } from "./dataflow/budgets.js";
import { buildFindings } from "./findings/build-findings.js";
import { loadRuleCatalog } from "./findings/rule-catalog.js";
import type { ScanResult } from "./result.js";

export interface ScanOptions {
  /** Directory to scan. */
  root: string;
  /** Policy file; default: flowgate.config.yaml at the root. */
  configPath?: string;
  /** Where the policy is read from (update review reads it from the base revision). */
  policySource?: PolicySource;
  budgets?: Partial<Budgets>;
  onProgress?: (progress: ScanProgress) => void;
}

export type ScanProgress = { phase: "loading"; files: number } | ({ phase: "analysing" } & AnalysisProgress);

/** The pipeline, one way through: config → workspace → model → dataflow → findings. Reports render the result. */
export async function scan(options: ScanOptions): Promise<ScanResult> {
  const root = path.resolve(options.root);
  const policy = loadPolicy({ root, configPath: options.configPath, source: options.policySource });
  const workspace = await loadWorkspace(root, policy);
  options.onProgress?.({ phase: "loading", files: workspace.files.length });
  const question = compileModel(policy, workspace);
  const budgets = { ...DEFAULT_BUDGETS, ...options.budgets };
  const analysis = analyze(workspace, question, budgets, (p) => options.onProgress?.({ phase: "analysing", ...p }));
  const rules = loadRuleCatalog();
  const built = buildFindings(analysis.flows, workspace, rules);
  return {
    root,
    findings: built.findings,
    egress: analysis.egress,
    notifications: [...workspace.notifications, ...analysis.notifications, ...built.notifications],
    stats: { filesScanned: workspace.files.length, filesSkipped: workspace.filesSkipped ?? 0, ...analysis.stats },
    rules,
    policyFiles: policy.files,
  };
}
