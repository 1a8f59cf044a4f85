import type { ArtifactLocation, Invocation, Log, ReportingDescriptor, Result, Run } from "sarif";
import { UsageError } from "../errors.js";
import { DEFAULT_CATEGORY } from "./category.js";

/**
 * `flowgate merge`: several SARIF logs (one per workspace package of a monorepo, scanned by a CI matrix) into one log
 * with one run per category, ready for a single code-scanning upload.
 *
 * Why not just concatenate runs: each package was scanned with its own directory as %SRCROOT%, so its URIs are
 * relative to the package; GitHub resolves URIs from the repository root, and rejects an upload with two runs of the
 * same tool and category. So each input can carry a path prefix (the package's directory in the repository), its URIs
 * are rebased onto the repository root, and its run gets a category (`runAutomationDetails.id`): its own if it has
 * one, else the prefix, else the file's name. Inputs that share a category are combined into one run (rules united by
 * id, `ruleIndex` renumbered, results and notifications concatenated in input order). Pure and deterministic.
 */
export interface MergeInput {
  /** The input's name in messages and, without a prefix or category, its default category (the file name). */
  label: string;
  log: unknown;
  /** The scanned directory relative to the repository root (`packages/api`); URIs are rebased onto it. */
  prefix?: string;
}

const SRCROOT = "%SRCROOT%";
const SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

/** GitHub code scanning accepts at most this many runs in one upload. */
export const MAX_RUNS_PER_UPLOAD = 20;

export function mergeSarif(inputs: readonly MergeInput[]): Log {
  if (inputs.length === 0) throw new UsageError("nothing to merge: give one or more SARIF files");
  const groups = new Map<string, { category: string; runs: Run[]; labels: string[] }>();
  for (const input of inputs) {
    const runs = checkLog(input);
    const prefix = input.prefix !== undefined ? normalisePrefix(input.prefix, input.label) : undefined;
    runs.forEach((original, i) => {
      const run = structuredClone(original);
      if (prefix) {
        rebaseUris(run, prefix);
        if (run.originalUriBaseIds?.[SRCROOT]) {
          run.originalUriBaseIds[SRCROOT] = { description: { text: `The repository root; this run scanned ${prefix}/.` } };
        }
      }
      const category = categoryOf(run, prefix, input.label, runs.length > 1 ? i : undefined);
      const key = `${run.tool.driver.name}\u0000${category}`;
      const group = groups.get(key) ?? { category, runs: [], labels: [] };
      group.runs.push(run);
      group.labels.push(input.label);
      groups.set(key, group);
    });
  }
  const runs = [...groups.values()]
    .sort((a, b) => compare(a.category, b.category))
    .map((g) => withCategory(g.runs.length === 1 ? (g.runs[0] as Run) : combineRuns(g.runs, g.labels), g.category));
  return { $schema: SCHEMA, version: "2.1.0", runs };
}

function checkLog(input: MergeInput): Run[] {
  const log = input.log as Partial<Log> | null;
  if (typeof log !== "object" || log === null || log.version !== "2.1.0" || !Array.isArray(log.runs)) {
    throw new UsageError(`${input.label}: not a SARIF 2.1.0 log (expected an object with version "2.1.0" and runs[])`);
  }
  log.runs.forEach((run, i) => {
    if (typeof run?.tool?.driver?.name !== "string") {
      throw new UsageError(`${input.label}: runs[${i}] has no tool.driver.name`);
    }
  });
  return log.runs;
}

function normalisePrefix(prefix: string, label: string): string {
  const parts = prefix.replace(/\\/g, "/").split("/").filter((p) => p !== "" && p !== ".");
  if (parts.includes("..") || /^[a-z]+:/i.test(prefix) || prefix.startsWith("/")) {
    throw new UsageError(`${label}: the prefix "${prefix}" must be a relative path inside the repository`);
  }
  return parts.join("/");
}

/**
 * Rebases every artifact location relative to %SRCROOT% (or to nothing) onto `prefix`: results, related locations,
 * code flows, notifications, suppressions, fixes, artifacts — wherever SARIF puts an `artifactLocation` or an
 * artifact's `location`. Absolute URIs and other base ids are left alone. Iterative: SARIF nesting is not bounded.
 */
function rebaseUris(run: Run, prefix: string): void {
  const encoded = prefix
    .split("/")
    .map((segment) => encodeURIComponent(segment))
    .join("/");
  const stack: unknown[] = [run.results, run.invocations, run.artifacts, run.threadFlowLocations, run.graphs, run.addresses];
  while (stack.length > 0) {
    const value = stack.pop();
    if (Array.isArray(value)) {
      for (const item of value) stack.push(item);
    } else if (typeof value === "object" && value !== null) {
      for (const [key, child] of Object.entries(value)) {
        if ((key === "artifactLocation" || key === "location") && isArtifactLocation(child)) rebase(child, encoded);
        else stack.push(child);
      }
    }
  }
}

function isArtifactLocation(value: unknown): value is ArtifactLocation {
  return typeof value === "object" && value !== null && typeof (value as ArtifactLocation).uri === "string";
}

function rebase(location: ArtifactLocation, prefix: string): void {
  const uri = location.uri as string;
  const base = location.uriBaseId;
  if ((base !== undefined && base !== SRCROOT) || /^[a-z][a-z0-9+.-]*:/i.test(uri) || uri.startsWith("/")) return;
  location.uri = uri === "" ? `${prefix}/` : `${prefix}/${uri.replace(/^\.\//, "")}`;
}

/**
 * The run's own category if it was given one (`--category`), else the prefix, else the input's file name
 * (`api.sarif` → `api`). flowgate's default category says nothing about which package a run scanned, so it does not
 * count as one of its own (every package's run has it).
 */
function categoryOf(run: Run, prefix: string | undefined, label: string, index: number | undefined): string {
  const own = run.automationDetails?.id === DEFAULT_CATEGORY ? undefined : run.automationDetails?.id;
  if (own) return own.includes("/") ? own.slice(0, own.lastIndexOf("/")) : own;
  const base = prefix || label.replace(/\\/g, "/").split("/").pop()!.replace(/\.sarif(\.json)?$/i, "");
  return index === undefined ? base : `${base}/run-${index + 1}`;
}

function withCategory(run: Run, category: string): Run {
  // GitHub reads the category as everything before the last slash of the id: end it with one.
  const own = run.automationDetails?.id;
  const id = own !== undefined && own !== DEFAULT_CATEGORY ? own : `${category}/`;
  return { ...run, automationDetails: { ...run.automationDetails, id } };
}

/** Runs of one tool and category into one: rules united by id, results renumbered to the united rules. */
function combineRuns(runs: Run[], labels: string[]): Run {
  const first = runs[0] as Run;
  const rules = new Map<string, ReportingDescriptor>();
  for (const run of runs) for (const rule of run.tool.driver.rules ?? []) if (!rules.has(rule.id)) rules.set(rule.id, rule);
  const ruleList = [...rules.values()].sort((a, b) => compare(a.id, b.id));
  const ruleIndex = new Map(ruleList.map((r, i) => [r.id, i]));
  const results: Result[] = runs.flatMap((run) =>
    (run.results ?? []).map((result) => {
      const id = result.ruleId ?? (result.ruleIndex !== undefined ? run.tool.driver.rules?.[result.ruleIndex]?.id : undefined);
      const index = id !== undefined ? ruleIndex.get(id) : undefined;
      const { ruleIndex: _old, ...rest } = result;
      return index !== undefined ? { ...rest, ruleId: id, ruleIndex: index } : rest;
    }),
  );
  const invocations = runs.flatMap((run) => run.invocations ?? []);
  const invocation: Invocation = {
    executionSuccessful: invocations.every((i) => i.executionSuccessful),
    toolExecutionNotifications: invocations.flatMap((i) => i.toolExecutionNotifications ?? []),
  };
  const combined: Run = {
    ...first,
    tool: { ...first.tool, driver: { ...first.tool.driver, rules: ruleList } },
    results,
    properties: { ...sumProperties(runs), mergedFrom: labels },
  };
  if (invocations.length > 0) combined.invocations = [invocation];
  return combined;
}

/** Run properties of the combined runs: counts add up, lists are united; anything else is kept from the first run. */
function sumProperties(runs: Run[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const run of runs) {
    for (const [key, value] of Object.entries(run.properties ?? {})) {
      const seen = out[key];
      if (typeof value === "number" && (typeof seen === "number" || seen === undefined)) out[key] = (seen ?? 0) + value;
      else if (Array.isArray(value) && (Array.isArray(seen) || seen === undefined)) out[key] = [...new Set([...(seen ?? []), ...value])];
      else if (!(key in out)) out[key] = value;
    }
  }
  return out;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
