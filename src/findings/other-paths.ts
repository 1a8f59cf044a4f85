import type { FlowStep } from "../vocabulary/flow.js";
import { listInWords, quoteCode } from "./message.js";

/**
 * What tells another path of a flow from its shortest one, for a reader: the files it goes through that the shortest
 * path does not visit (each other path has one, src/dataflow/analyze.ts `otherPathsOf`), in the order it meets them.
 */
export function filesOnlyOn(other: readonly FlowStep[], shortest: readonly FlowStep[]): string[] {
  const visited = new Set(shortest.map((step) => step.location.file));
  return [...new Set(other.map((step) => step.location.file).filter((file) => !visited.has(file)))];
}

/** "through `src/addons/new-relic.ts`": the other path's own files, in words. */
export function throughWords(shortest: readonly FlowStep[], other: readonly FlowStep[]): string {
  const files = filesOnlyOn(other, shortest);
  return files.length > 0 ? `through ${listInWords(files.map(quoteCode))}` : "by other steps";
}

/**
 * The other paths reports show beside the shortest paths of a finding's first flows: each flow's, in order, at most as
 * many as the shortest paths shown, so a door reached through many wrappers' callers keeps a report's size bounded.
 */
export function otherPathsShown<F extends { steps: FlowStep[]; otherPaths?: FlowStep[][] }>(shown: readonly F[], limit: number): { flow: F; steps: FlowStep[] }[] {
  return shown.flatMap((flow) => (flow.otherPaths ?? []).map((steps) => ({ flow, steps }))).slice(0, limit);
}
