import type { Flow, FlowStep } from "../vocabulary/flow.js";
import { listInWords, quoteCode } from "./message.js";

/** A flow's shortest path and its other paths (src/dataflow/analyze.ts `otherPathsOf`). */
export function pathsOf(flow: Flow): readonly (readonly FlowStep[])[] {
  return [flow.steps, ...(flow.otherPaths ?? [])];
}

/**
 * "through `src/addons/new-relic.ts`": what tells another path of a flow from its shortest one, for a reader — the
 * files it goes through that the shortest path does not visit (each other path has one), in the order it meets them.
 */
export function throughWords(shortest: readonly FlowStep[], other: readonly FlowStep[]): string {
  const visited = new Set(shortest.map((step) => step.location.file));
  const files = [...new Set(other.map((step) => step.location.file).filter((file) => !visited.has(file)))];
  return files.length > 0 ? `through ${listInWords(files.map(quoteCode))}` : "by other steps";
}

/**
 * The other paths reports show beside the shortest paths of a finding's first flows: each flow's, in order, at most as
 * many as the shortest paths shown, so a door reached through many wrappers' callers keeps a report's size bounded.
 */
export function otherPathsShown(shown: readonly Flow[], limit: number): { flow: Flow; steps: FlowStep[] }[] {
  return shown.flatMap((flow) => (flow.otherPaths ?? []).map((steps) => ({ flow, steps }))).slice(0, limit);
}
