import { distance } from "fastest-levenshtein";

/**
 * The candidate closest to what was written, when it is close enough to be a typo (`host` → `hosts`,
 * `dataClass` → `dataClasses`); undefined when nothing is plausibly meant.
 */
export function suggestClosest(written: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestScore = Infinity;
  const lower = written.toLowerCase();
  for (const candidate of candidates) {
    const candidateLower = candidate.toLowerCase();
    // A prefix or a case slip is a typo even when the edit distance is long (`data` → `dataClasses`).
    const isPrefix = Math.min(lower.length, candidateLower.length) >= 3 && (candidateLower.startsWith(lower) || lower.startsWith(candidateLower));
    const score = isPrefix ? 0.5 : distance(lower, candidateLower);
    if (score < bestScore || (score === bestScore && best !== undefined && candidate < best)) {
      best = candidate;
      bestScore = score;
    }
  }
  if (best === undefined) return undefined;
  const limit = Math.max(2, Math.floor(Math.max(written.length, best.length) / 3));
  return bestScore <= limit ? best : undefined;
}
