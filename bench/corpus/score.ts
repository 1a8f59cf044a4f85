import type { JudgedEntry, JudgedLeak, JudgedNegative } from "./judged.js";
import type { CorpusResult } from "./scan-summary.js";

/**
 * Scores one entry's results (one per flow) against its judged flows (docs/corpus.md). A judged leak is found when a
 * leak result of that data class has its primary region on the judged line, or a step of its path whose region covers
 * it (the judged line is the data's, inside a multi-line argument such as `{ teamId, email }`): a project's
 * logger or mailer wrapper (`Logger.info(…, { email })`) is judged at the caller's line, and flowgate's door is the
 * library call inside the wrapper, reached through that line — on the result's path or one of its other paths (a
 * wrapper's other callers, shown as further code flows). A judged negative is violated when any leak result's
 * primary region covers its line.
 */
export interface EntryScore {
  leaks: number;
  found: number;
  missed: JudgedLeak[];
  negatives: number;
  violated: { negative: JudgedNegative; results: CorpusResult[] }[];
}

const isLeakRule = (ruleId: string) => ruleId.startsWith("leak-to-");

function covers(result: CorpusResult, file: string, line: number): boolean {
  return isLeakRule(result.ruleId) && result.file === file && result.startLine <= line && line <= result.endLine;
}

function passes(result: CorpusResult, file: string, line: number): boolean {
  const on = (steps: CorpusResult["steps"]) => steps.some((step) => step.file === file && step.line <= line && line <= step.endLine);
  return isLeakRule(result.ruleId) && (on(result.steps) || result.otherPaths.some(on));
}

export function scoreEntry(judged: JudgedEntry, results: readonly CorpusResult[]): EntryScore {
  const missed = judged.leaks.filter(
    (leak) => !results.some((r) => (covers(r, leak.file, leak.line) || passes(r, leak.file, leak.line)) && r.dataClasses.includes(leak.class)),
  );
  const violated = judged.negatives
    .map((negative) => ({ negative, results: results.filter((r) => covers(r, negative.file, negative.line)) }))
    .filter((v) => v.results.length > 0);
  return { leaks: judged.leaks.length, found: judged.leaks.length - missed.length, missed, negatives: judged.negatives.length, violated };
}
