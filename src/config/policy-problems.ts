import { PolicyError } from "../errors.js";

/** One thing wrong in a policy file, at its place. */
export interface PolicyProblem {
  line: number;
  column: number;
  message: string;
}

const MAX_REPORTED_PROBLEMS = 10;

/**
 * Reports every problem of one file at once (fixing them one run at a time is tedious): the first by position leads
 * the PolicyError, the others follow as `file:line:column: message` lines.
 */
export function throwIfProblems(displayName: string, problems: PolicyProblem[]): void {
  if (problems.length === 0) return;
  const sorted = [...problems].sort((a, b) => a.line - b.line || a.column - b.column);
  const [first, ...rest] = sorted as [PolicyProblem, ...PolicyProblem[]];
  const shown = rest.slice(0, MAX_REPORTED_PROBLEMS - 1);
  const more = shown.map((p) => `\n${displayName}:${p.line}:${p.column}: ${p.message}`).join("");
  const omitted = rest.length > shown.length ? `\n(${rest.length - shown.length} more problems)` : "";
  throw new PolicyError(first.message + more + omitted, displayName, first.line, first.column);
}
