import { createHash } from "node:crypto";
import type { CorpusResult } from "./scan-summary.js";

/**
 * A person's verdict on one corpus result (docs/precision.md, "Precision by the verdicts"): read in the code and judged
 * true or false. Kept in bench/corpus-verdicts.json so every later run is scored against the same judgements, and only
 * what a change adds or re-paths needs reading again.
 */
export interface Verdict {
  entry: string;
  ruleId: string;
  /** `file:line` of the result's location (the sink). */
  sink: string;
  message: string;
  /** `file:line` of the path's first step (the source); the sink again when the result has no path. */
  source: string;
  /** {@link pathHash} of the path the verdict was given on: a result whose path changed is read again. */
  path: string;
  dataClasses: string[];
  verdict: "T" | "F";
  /** A short name of why (`true-leak`, or the false result's cause), to count causes. */
  cause: string;
  why: string;
}

export interface VerdictsFile {
  $comment: string;
  verdicts: Verdict[];
}

/** The first 12 hex digits of the SHA-1 of the path's steps as `file:line` lines: short, and stable across runs. */
export function pathHash(result: CorpusResult): string {
  return createHash("sha1")
    .update(result.steps.map((s) => `${s.file}:${s.line}`).join("\n"))
    .digest("hex")
    .slice(0, 12);
}

export function sourceOf(result: CorpusResult): string {
  const first = result.steps[0];
  return first ? `${first.file}:${first.line}` : `${result.file}:${result.startLine}`;
}

/** What identifies a result across runs: entry, rule, sink line, message and source. The path is checked apart. */
function identity(entry: string, ruleId: string, sink: string, message: string, source: string): string {
  return [entry, ruleId, sink, message, source].join("\u0000");
}

const resultIdentity = (entry: string, r: CorpusResult) => identity(entry, r.ruleId, `${r.file}:${r.startLine}`, r.message, sourceOf(r));
const verdictIdentity = (v: Verdict) => identity(v.entry, v.ruleId, v.sink, v.message, v.source);

/** How one result stands against the verdicts: judged on this very path, judged on another path, or never judged. */
export type Standing = { kind: "judged"; verdict: Verdict } | { kind: "repathed"; earlier: Verdict } | { kind: "unjudged" };

export class VerdictIndex {
  private readonly byIdentity = new Map<string, Verdict[]>();

  constructor(verdicts: readonly Verdict[]) {
    for (const v of verdicts) {
      const key = verdictIdentity(v);
      const list = this.byIdentity.get(key);
      if (list) list.push(v);
      else this.byIdentity.set(key, [v]);
    }
  }

  standing(entry: string, result: CorpusResult): Standing {
    const candidates = this.byIdentity.get(resultIdentity(entry, result));
    if (!candidates) return { kind: "unjudged" };
    const hash = pathHash(result);
    const same = candidates.find((v) => v.path === hash);
    return same ? { kind: "judged", verdict: same } : { kind: "repathed", earlier: candidates[candidates.length - 1] as Verdict };
  }
}

/** One entry's results against the verdicts. */
export interface EntryPrecision {
  results: number;
  truths: number;
  falses: number;
  /** Results with no verdict on their path (never judged, or judged on a path that changed since). */
  unjudged: number;
  repathed: number;
  /** The false results' causes, most frequent first. */
  falseCauses: Record<string, number>;
}

export function entryPrecision(entry: string, results: readonly CorpusResult[], index: VerdictIndex): EntryPrecision {
  const precision: EntryPrecision = { results: results.length, truths: 0, falses: 0, unjudged: 0, repathed: 0, falseCauses: {} };
  for (const result of results) {
    const standing = index.standing(entry, result);
    if (standing.kind === "judged") {
      if (standing.verdict.verdict === "T") precision.truths++;
      else {
        precision.falses++;
        precision.falseCauses[standing.verdict.cause] = (precision.falseCauses[standing.verdict.cause] ?? 0) + 1;
      }
    } else {
      precision.unjudged++;
      if (standing.kind === "repathed") precision.repathed++;
    }
  }
  return precision;
}

/**
 * True results expected in a draw of `size` of the entry's results (docs/precision.md's measure: each entry weighs
 * `min(size, results)`), taking the judged results' share of true ones; undefined when none is judged.
 */
export function expectedTrue(p: EntryPrecision, size: number): { expected: number; drawn: number } | undefined {
  const judged = p.truths + p.falses;
  if (judged === 0) return undefined;
  const drawn = Math.min(size, p.results);
  return { expected: (drawn * p.truths) / judged, drawn };
}

/** A verdict to fill in for a result that has none: everything but `verdict`, `cause` and `why`, which a person writes. */
export function verdictTemplate(entry: string, result: CorpusResult, standing: Standing): Omit<Verdict, "verdict"> & { verdict: ""; earlier?: Pick<Verdict, "verdict" | "cause" | "why" | "path"> } {
  return {
    entry,
    ruleId: result.ruleId,
    sink: `${result.file}:${result.startLine}`,
    message: result.message,
    source: sourceOf(result),
    path: pathHash(result),
    dataClasses: result.dataClasses,
    verdict: "",
    cause: "",
    why: "",
    ...(standing.kind === "repathed" ? { earlier: { verdict: standing.earlier.verdict, cause: standing.earlier.cause, why: standing.earlier.why, path: standing.earlier.path } } : {}),
  };
}

const FIELDS = ["entry", "ruleId", "sink", "message", "source", "path", "cause", "why"] as const;

/** Checks one verdict's shape; returns the problem, or undefined when it is well-formed for one of `entries`. */
export function verdictProblem(value: unknown, entries: readonly string[]): string | undefined {
  if (typeof value !== "object" || value === null) return "not an object";
  const v = value as Record<string, unknown>;
  for (const field of FIELDS) if (typeof v[field] !== "string" || v[field] === "") return `"${field}" must be a non-empty string`;
  if (!entries.includes(v.entry as string)) return `unknown entry "${String(v.entry)}"`;
  if (v.verdict !== "T" && v.verdict !== "F") return `"verdict" must be "T" or "F", got ${JSON.stringify(v.verdict)}`;
  if (!Array.isArray(v.dataClasses) || v.dataClasses.some((c) => typeof c !== "string")) return `"dataClasses" must be a list of strings`;
  for (const field of ["sink", "source"] as const) if (!/^[^\0]+:\d+$/.test(v[field] as string)) return `"${field}" must be file:line`;
  if (!/^[0-9a-f]{12}$/.test(v.path as string)) return `"path" must be 12 hex digits (the path hash)`;
  return undefined;
}

/**
 * Adds verdicts to a list: one for the same result on the same path replaces the earlier one (a second reading
 * wins); any other is appended. Returns the merged list and how many were replaced.
 */
export function mergeVerdicts(base: readonly Verdict[], additions: readonly Verdict[]): { verdicts: Verdict[]; replaced: number } {
  const key = (v: Verdict) => `${verdictIdentity(v)}\u0000${v.path}`;
  const merged = new Map(base.map((v) => [key(v), v]));
  let replaced = 0;
  for (const v of additions) {
    if (merged.has(key(v))) replaced++;
    merged.set(key(v), { entry: v.entry, ruleId: v.ruleId, sink: v.sink, message: v.message, source: v.source, path: v.path, dataClasses: v.dataClasses, verdict: v.verdict, cause: v.cause, why: v.why });
  }
  return { verdicts: [...merged.values()], replaced };
}

/** The file's layout: one field a line, no indentation (small diffs when verdicts are added, as the file has always been). */
export function renderVerdictsFile(file: VerdictsFile): string {
  return JSON.stringify(file, null, 1).replace(/^ +/gm, "") + "\n";
}
