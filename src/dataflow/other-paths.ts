import { StepsBack, splicedParts, type Step } from "./trace.js";

/**
 * At most this many other paths beside the shortest one, for a flow (analyze.ts) and for a summary's sink entry (a
 * symbolic fact of the function at one sink site, interpret/sinks.ts): the callers of a wrapper around a door (every
 * addon of unleash sends through its base class's one `fetchRetry`, so the New Relic and Teams addons' paths hid behind
 * the webhook's shorter one) are each a way out a reviewer must see, without a result each.
 */
export const MAX_OTHER_PATHS = 3;

/**
 * Shortest first, then by the places the paths go through from the sink back (the records' order differs between a
 * full scan and a cached review, so no path may be chosen by the order it was found in).
 */
export function comparePaths(a: Step | undefined, b: Step | undefined): number {
  const la = a?.length ?? 0;
  const lb = b?.length ?? 0;
  if (la !== lb) return la - lb;
  const xs = new StepsBack(a);
  const ys = new StepsBack(b);
  for (let x = xs.next(), y = ys.next(); x && y; x = xs.next(), y = ys.next()) {
    const c = cmp(x.file.path, y.file.path) || x.node.pos - y.node.pos || x.node.end - y.node.end || cmp(x.message, y.message);
    if (c !== 0) return c;
  }
  return 0;
}

/**
 * Of `candidates` (each with its trace), the other paths worth showing beside `shown`: shortest first, each through a
 * file that neither `shown`'s path nor a shorter one chosen visits (a path that only differs inside the same files is
 * the same way out, told apart by nothing a reviewer could fix), at most {@link MAX_OTHER_PATHS}.
 */
export function otherPaths<T>(shown: Step | undefined, candidates: readonly T[], stepOf: (t: T) => Step | undefined): T[] {
  const walk = new PathFiles();
  walk.take(walk.newFiles(shown));
  const out: T[] = [];
  for (const c of [...candidates].sort((a, b) => comparePaths(stepOf(a), stepOf(b)))) {
    if (out.length === MAX_OTHER_PATHS) break;
    const files = walk.newFiles(stepOf(c));
    if (files.length === 0) continue;
    walk.take(files);
    out.push(c);
  }
  return out;
}

/**
 * The files of the paths seen so far, and the parts of them walked: traces share their older parts (a caller's trace is
 * the prefix of each callee's appended to it, kept as one object), so a path is walked only where no earlier one was.
 * Parts are told apart by the prefixes of spliced traces, not by every step: a set of every step walked cost as much as
 * the walk (growthbook's summaries choose among 736,000 traces).
 */
class PathFiles {
  private readonly files = new Set<string>();
  private readonly walked = new Set<Step>();

  /** The files of `step`'s path not seen yet; its parts count as walked either way (their files are seen once taken). */
  newFiles(step: Step | undefined): string[] {
    const out: string[] = [];
    const pending: (Step | undefined)[] = [step];
    while (pending.length > 0) {
      let s = pending.pop();
      if (s === undefined || this.walked.has(s)) continue;
      this.walked.add(s);
      while (s) {
        const parts = splicedParts(s);
        if (parts && !parts.spliced) {
          // the suffix's steps, then the prefix's: an unspliced step stands for both (trace.ts)
          pending.push(parts.before);
          s = parts.last;
          continue;
        }
        const file = s.file.path;
        if (!this.files.has(file) && !out.includes(file)) out.push(file);
        s = parts ? parts.prev : s.prev;
      }
    }
    return out;
  }

  take(files: readonly string[]): void {
    for (const file of files) this.files.add(file);
  }
}

/** Whether a path through `files` goes nowhere `visited` does not: no other way out beside the paths that visited them. */
export function allVisited(files: ReadonlySet<string>, visited: ReadonlySet<string>): boolean {
  for (const file of files) if (!visited.has(file)) return false;
  return true;
}

/** The files a path's steps are in. */
export function filesOf(step: Step | undefined): Set<string> {
  const files = new Set<string>();
  const steps = new StepsBack(step);
  for (let s = steps.next(); s; s = steps.next()) files.add(s.file.path);
  return files;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
