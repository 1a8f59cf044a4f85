import type { JudgedEntry, JudgedLeak, JudgedNegative } from "./judged.js";
import type { CorpusResult } from "./scan-summary.js";

/**
 * Scores one entry's results against its judged flows (docs/corpus.md). A judged leak is found when a leak result's
 * primary region, in that file, covers the judged line and reports that data class; a judged negative is violated
 * when any leak result's primary region covers its line.
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

export function scoreEntry(judged: JudgedEntry, results: readonly CorpusResult[]): EntryScore {
  const missed = judged.leaks.filter((leak) => !results.some((r) => covers(r, leak.file, leak.line) && r.dataClasses.includes(leak.class)));
  const violated = judged.negatives
    .map((negative) => ({ negative, results: results.filter((r) => covers(r, negative.file, negative.line)) }))
    .filter((v) => v.results.length > 0);
  return { leaks: judged.leaks.length, found: judged.leaks.length - missed.length, missed, negatives: judged.negatives.length, violated };
}
