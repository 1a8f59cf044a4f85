import { StepsBack, linkBack, unsplicedLast, type Step } from "./trace.js";

/**
 * At most this many other paths beside the shortest one, for a flow (analyze.ts) and for a summary's sink entry (a
 * symbolic fact of the function at one sink site, interpret/sinks.ts): the callers of a wrapper around a door (every
 * addon of unleash sends through its base class's one `fetchRetry`, so the New Relic and Teams addons' paths hid behind
 * the webhook's shorter one) are each a way out a reviewer must see, without a result each.
 */
export const MAX_OTHER_PATHS = 3;

/**
 * The two cursors of {@link comparePaths}, reused: it is a sort's comparator, called for every pair a sort compares
 * (with an object made per step walked, trace.ts `unsplicedLast`, its walks were 2.8 % of what growthbook's scan
 * allocated; performance.md, session 51 — helper M). Nothing a comparison calls compares paths again.
 */
const cursorA = new StepsBack(undefined);
const cursorB = new StepsBack(undefined);

/**
 * Shortest first, then by the places the paths go through from the sink back (the records' order differs between a
 * full scan and a cached review, so no path may be chosen by the order it was found in).
 */
export function comparePaths(a: Step | undefined, b: Step | undefined): number {
  const la = a?.length ?? 0;
  const lb = b?.length ?? 0;
  if (la !== lb) return la - lb;
  if (a === b) return 0;
  const xs = cursorA.reset(a);
  const ys = cursorB.reset(b);
  for (let x = xs.next(), y = ys.next(); x && y; x = xs.next(), y = ys.next()) {
    if (x !== y) {
      const c = cmp(x.file.path, y.file.path) || x.node.pos - y.node.pos || x.node.end - y.node.end || cmp(x.message, y.message);
      if (c !== 0) return c;
    } else if (xs.sameRest(ys)) {
      // a shared part with nothing different pending behind it: the rest is the same steps (a tie)
      return 0;
    }
  }
  return 0;
}

/**
 * Of `candidates` (each with its trace), the other paths worth showing beside `shown`: shortest first, each through a
 * file that neither `shown`'s path nor a shorter one chosen visits (a path that only differs inside the same files is
 * the same way out, told apart by nothing a reviewer could fix), at most {@link MAX_OTHER_PATHS}. `candidates` is the
 * caller's own new array (a filter's), sorted here in place.
 */
export function otherPaths<T>(shown: Step | undefined, candidates: T[], stepOf: (t: T) => Step | undefined): T[] {
  if (candidates.length === 0) return [];
  const walk = new PathFiles();
  walk.takeNew(shown);
  const out: T[] = [];
  for (const c of candidates.sort((a, b) => comparePaths(stepOf(a), stepOf(b)))) {
    if (out.length === MAX_OTHER_PATHS) break;
    if (walk.takeNew(stepOf(c))) out.push(c);
  }
  return out;
}

/** The files of the paths seen so far. */
class PathFiles {
  private readonly files = new Set<string>();

  /**
   * Takes the files of `step`'s path not seen yet; whether there was one. (An array of them per candidate, filtered from
   * the path's files, was 177 MB of growthbook's 10 GB allocated: performance.md, session 52 — helper M.)
   */
  takeNew(step: Step | undefined): boolean {
    const before = this.files.size;
    for (const file of filesBack(step)) this.files.add(file);
    return this.files.size > before;
  }
}

/**
 * The files of a callee's trace that call sites appended to their own (a spliced step's suffix), by the trace's last
 * step. A summary's traces are shared by every caller that substitutes it, and by every run of a caller until the
 * callee's summary changes, so each is walked once: walking every trace of growthbook's summaries whole at each of
 * their 234,000 choices walked 30.7 million steps (5.4 % of its profile; performance.md, session 50 — lead).
 */
const suffixFiles = new WeakMap<Step, readonly string[]>();

/** The files `step`'s path goes through, each once: its own steps walked, the suffixes it appended looked up. */
function filesBack(step: Step | undefined): readonly string[] {
  let out: readonly string[] = EMPTY_FILES;
  let own: string[] | undefined;
  for (let s = step; s; ) {
    const last = unsplicedLast(s);
    if (last !== undefined) {
      // an unspliced step stands for its suffix's steps, then its prefix's (trace.ts)
      let suffix = suffixFiles.get(last);
      if (suffix === undefined) suffixFiles.set(last, (suffix = filesBack(last)));
      out = union(out, suffix);
      s = linkBack(s);
      continue;
    }
    const file = s.file.path;
    if (own === undefined) own = [file];
    else if (!own.includes(file)) own.push(file);
    s = linkBack(s);
  }
  return own === undefined ? out : union(out, own);
}

const EMPTY_FILES: readonly string[] = [];

/** `a` and `b`'s files, each once; `a` or `b` itself when one holds the other (most suffixes share their files). */
function union(a: readonly string[], b: readonly string[]): readonly string[] {
  if (a.length === 0) return b;
  let out: string[] | undefined;
  for (const file of b) {
    if (a.includes(file) || out?.includes(file)) continue;
    (out ??= [...a]).push(file);
  }
  if (out === undefined) return a;
  return out.length === b.length ? b : out;
}

/** Whether a path through `files` goes nowhere `visited` does not: no other way out beside the paths that visited them. */
export function allVisited(files: ReadonlySet<string>, visited: ReadonlySet<string>): boolean {
  for (const file of files) if (!visited.has(file)) return false;
  return true;
}

/** The files a path's steps are in. */
export function filesOf(step: Step | undefined): Set<string> {
  return new Set(filesBack(step));
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
