import { Random } from "../random.js";
import type { CorpusResult } from "./scan-summary.js";

/**
 * Results picked at random for a person to classify true/false (docs/precision.md). The pick depends only on the
 * seed, the entry's name and its results, so `--only` and the order of entries do not change an entry's sample.
 */
export interface SampledResult extends CorpusResult {
  /** The source line at the result's start line, as it is in the checkout. */
  code: string;
}

export function sampleResults(results: readonly CorpusResult[], count: number, seed: number, entry: string): CorpusResult[] {
  const ordered = [...results].sort(compareResults);
  return new Random(entrySeed(seed, entry)).sample(ordered, count);
}

/** The seed mixed with the entry's name (FNV-1a), so two entries never share a sequence. */
export function entrySeed(seed: number, entry: string): number {
  let hash = 0x811c9dc5;
  for (const char of entry) hash = Math.imul(hash ^ (char.codePointAt(0) as number), 0x01000193);
  return (hash ^ seed) >>> 0;
}

function compareResults(a: CorpusResult, b: CorpusResult): number {
  const key = (r: CorpusResult) => [r.file, String(r.startLine).padStart(9, "0"), r.ruleId, r.message].join("\0");
  const ka = key(a);
  const kb = key(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/** The sample as text: one numbered block per result (rule, data class, file:line, message, code line). */
export function renderSample(entry: string, total: number, seed: number, sample: readonly SampledResult[]): string {
  const head = `${entry}: ${sample.length} of ${total} results (seed ${seed})`;
  const blocks = sample.map((r, i) =>
    [
      `${String(i + 1).padStart(3)}. ${r.ruleId}${r.dataClasses.length > 0 ? ` ${r.dataClasses.join(",")}` : ""}  ${r.file}:${r.startLine}`,
      `     ${r.message}`,
      `     | ${r.code.trim()}`,
    ].join("\n"),
  );
  return [head, ...blocks].join("\n") + "\n";
}
