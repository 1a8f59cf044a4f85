import { Ajv, type ErrorObject } from "ajv";

/**
 * bench/corpus-judged.json: flows judged by reading a corpus entry's code, before looking at flowgate's results
 * (docs/corpus.md). A leak is restricted data reaching an unvetted egress at the sink argument's line; a negative is
 * an egress line where nothing restricted leaves.
 */
export interface JudgedLeak {
  /** Relative to the repository root (= the checkout root). */
  file: string;
  /** 1-based line of the sink argument that carries the data. */
  line: number;
  class: DataClassId;
  kind: EgressKind;
  why: string;
}

export interface JudgedNegative {
  file: string;
  line: number;
  why: string;
}

export interface JudgedEntry {
  leaks: JudgedLeak[];
  negatives: JudgedNegative[];
}

export interface Judged {
  entries: Record<string, JudgedEntry>;
}

/** The recommended pack's data classes (a test keeps this list equal to rules/packs/recommended.yaml). */
export const DATA_CLASSES = ["phone-number", "ip-address", "email-address", "precise-location", "device-id", "government-id", "payment-card"] as const;
export type DataClassId = (typeof DATA_CLASSES)[number];

/** The sink kinds (rules/schema: a sink's `kind`). */
export const EGRESS_KINDS = ["network", "log", "telemetry", "third-party", "queue", "socket", "storage", "process"] as const;
export type EgressKind = (typeof EGRESS_KINDS)[number];

const file = { type: "string", minLength: 1, pattern: "^(?![/\\\\])(?!.*(^|/)\\.\\.(/|$))(?!\\./)[^\\\\]*[^/]$" };
const line = { type: "integer", minimum: 1 };
const why = { type: "string", minLength: 10 };

const LEAK_SCHEMA = {
  type: "object",
  required: ["file", "line", "class", "kind", "why"],
  additionalProperties: false,
  properties: { file, line, class: { enum: DATA_CLASSES }, kind: { enum: EGRESS_KINDS }, why },
};

const NEGATIVE_SCHEMA = {
  type: "object",
  required: ["file", "line", "why"],
  additionalProperties: false,
  properties: { file, line, why },
};

/** A judgement that was left out, and why: every one is printed, none is dropped silently. */
export interface Rejection {
  /** `<source>: entries.<name>.leaks[3]` */
  where: string;
  problem: string;
}

export interface ValidatedJudged {
  judged: Judged;
  rejected: Rejection[];
}

/**
 * Checks a judged document item by item: well-formed judgements are kept, every malformed one (or a whole document or
 * entry that is not in the format) is rejected with its place and the reason. `knownEntries` are bench/corpus.json's
 * names.
 */
export function validateJudged(data: unknown, source: string, knownEntries: readonly string[]): ValidatedJudged {
  const ajv = new Ajv({ allErrors: true });
  const validLeak = ajv.compile<JudgedLeak>(LEAK_SCHEMA);
  const validNegative = ajv.compile<JudgedNegative>(NEGATIVE_SCHEMA);
  const judged: Judged = { entries: {} };
  const rejected: Rejection[] = [];
  if (!isObject(data) || !isObject(data.entries)) {
    rejected.push({ where: source, problem: 'not a judged document: expected {"entries": {"<name>": {"leaks": [...], "negatives": [...]}}}' });
    return { judged, rejected };
  }
  for (const key of Object.keys(data).filter((k) => k !== "entries")) {
    rejected.push({ where: `${source}: ${key}`, problem: "unknown top-level key (only `entries`)" });
  }
  for (const [name, entry] of Object.entries(data.entries)) {
    const where = `${source}: entries.${name}`;
    if (!knownEntries.includes(name)) {
      rejected.push({ where, problem: `not a corpus entry (bench/corpus.json has ${knownEntries.join(", ")})` });
      continue;
    }
    if (!isObject(entry)) {
      rejected.push({ where, problem: "expected an object with `leaks` and `negatives` lists" });
      continue;
    }
    const kept: JudgedEntry = { leaks: [], negatives: [] };
    for (const key of Object.keys(entry)) {
      if (key !== "leaks" && key !== "negatives") rejected.push({ where: `${where}.${key}`, problem: "unknown key (only `leaks` and `negatives`)" });
    }
    for (const list of ["leaks", "negatives"] as const) {
      const items = entry[list] ?? [];
      if (!Array.isArray(items)) {
        rejected.push({ where: `${where}.${list}`, problem: "expected a list" });
        continue;
      }
      items.forEach((item: unknown, i) => {
        const validate = list === "leaks" ? validLeak : validNegative;
        if (validate(item)) (kept[list] as unknown[]).push(item);
        else rejected.push({ where: `${where}.${list}[${i}]`, problem: describe(validate.errors ?? []) });
      });
    }
    judged.entries[name] = kept;
  }
  return { judged, rejected };
}

/**
 * Adds `addition`'s judgements to `base` (neither is modified). The same leak (file, line, class) or negative (file,
 * line) twice is kept once; a judgement that contradicts an accepted one (a leak where a negative is, or the
 * reverse) is rejected, since the two judges disagree and a person has to decide.
 */
export function mergeJudged(base: Judged, addition: Judged, source: string): ValidatedJudged {
  const merged: Judged = { entries: structuredClone(base.entries) };
  const rejected: Rejection[] = [];
  for (const [name, entry] of Object.entries(addition.entries)) {
    const into = (merged.entries[name] ??= { leaks: [], negatives: [] });
    for (const leak of entry.leaks) {
      const at = `${leak.file}:${leak.line}`;
      if (into.negatives.some((n) => `${n.file}:${n.line}` === at)) {
        rejected.push({ where: `${source}: entries.${name} leak at ${at}`, problem: "the same line is already judged a negative" });
      } else if (!into.leaks.some((l) => `${l.file}:${l.line}` === at && l.class === leak.class)) {
        into.leaks.push(leak);
      }
    }
    for (const negative of entry.negatives) {
      const at = `${negative.file}:${negative.line}`;
      if (into.leaks.some((l) => `${l.file}:${l.line}` === at)) {
        rejected.push({ where: `${source}: entries.${name} negative at ${at}`, problem: "the same line is already judged a leak" });
      } else if (!into.negatives.some((n) => `${n.file}:${n.line}` === at)) {
        into.negatives.push(negative);
      }
    }
  }
  for (const entry of Object.values(merged.entries)) {
    entry.leaks.sort(byPlace);
    entry.negatives.sort(byPlace);
  }
  merged.entries = Object.fromEntries(Object.entries(merged.entries).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return { judged: merged, rejected };
}

function byPlace(a: { file: string; line: number }, b: { file: string; line: number }): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line;
}

function describe(errors: ErrorObject[]): string {
  return errors
    .map((e) => {
      const at = e.instancePath ? `\`${e.instancePath.slice(1)}\` ` : "";
      if (e.keyword === "additionalProperties") return `unknown key \`${String(e.params.additionalProperty)}\``;
      if (e.keyword === "enum") return `${at}must be one of ${(e.params.allowedValues as string[]).join(", ")}`;
      if (e.keyword === "pattern") return `${at}must be a path relative to the repository root (forward slashes, no leading / or ./, no ..)`;
      return `${at}${e.message ?? "is invalid"}`;
    })
    .join("; ");
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
