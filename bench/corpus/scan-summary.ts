import type { CodeFlow, Log, Result } from "sarif";

/** One result of a corpus scan, as scoring and sampling need it. */
export interface CorpusResult {
  ruleId: string;
  /** The data classes a leak result reports (a door may be reached by several; empty for other rules). */
  dataClasses: string[];
  message: string;
  /** Relative to the scan root (= the checkout root), forward slashes. */
  file: string;
  startLine: number;
  endLine: number;
  startColumn: number;
  /**
   * Where its path goes, source to sink (the first code flow's steps), for scoring a call a wrapper turns into a door:
   * each step's region, from `line` to `endLine` (a multi-line argument such as `{ teamId, email }` spans several).
   */
  steps: PathStep[];
  /** The other code flows' steps: other paths of the same data to the door (a wrapper's other callers). */
  otherPaths: PathStep[][];
}

/** One step of a result's path: its region, from `line` to `endLine`. */
export interface PathStep {
  file: string;
  line: number;
  endLine: number;
}

export interface CorpusNotification {
  id: string;
  level: string;
  message: string;
  /** `file:line` when the notification has a location. */
  where: string | undefined;
}

/** What one flowgate SARIF report says about a corpus entry. */
export interface ScanSummary {
  /** One per flow: the harness scans with `--granularity flow`, so every path is there whole. */
  results: CorpusResult[];
  resultsByRule: Record<string, number>;
  /** Distinct sink sites per rule: the results the default (door) granularity reports. */
  doorsByRule: Record<string, number>;
  notificationsById: Record<string, number>;
  /** `internal-error` and `model-error` notifications: bugs in flowgate, listed in full. */
  internalErrors: CorpusNotification[];
  budgetHits: number;
  filesScanned: number | undefined;
  executionSuccessful: boolean;
}

/** Notification ids that mean flowgate itself failed (issue 11: each one is a bug). */
export const INTERNAL_ERROR_IDS = ["internal-error", "model-error"];

export function summariseSarif(log: Log): ScanSummary {
  const run = log.runs[0];
  if (!run) throw new Error("the SARIF log has no run");
  const results = (run.results ?? []).map(corpusResult);
  const notifications = (run.invocations ?? []).flatMap((i) => i.toolExecutionNotifications ?? []);
  const properties = run.properties ?? {};
  return {
    results,
    resultsByRule: countBy(results.map((r) => r.ruleId)),
    doorsByRule: countBy([...new Map(results.map((r) => [`${r.ruleId}\u0000${r.file}:${r.startLine}:${r.startColumn}`, r.ruleId])).values()]),
    notificationsById: countBy(notifications.map((n) => n.descriptor?.id ?? "?")),
    internalErrors: notifications
      .filter((n) => INTERNAL_ERROR_IDS.includes(n.descriptor?.id ?? ""))
      .map((n) => {
        const location = n.locations?.[0]?.physicalLocation;
        const where = location?.artifactLocation?.uri ? `${decodeURIComponentPath(location.artifactLocation.uri)}:${location.region?.startLine ?? "?"}` : undefined;
        return { id: n.descriptor?.id ?? "?", level: n.level ?? "warning", message: n.message.text ?? "", where };
      }),
    budgetHits: typeof properties.budgetHits === "number" ? properties.budgetHits : 0,
    filesScanned: typeof properties.filesScanned === "number" ? properties.filesScanned : undefined,
    executionSuccessful: (run.invocations ?? []).every((i) => i.executionSuccessful),
  };
}

function corpusResult(result: Result): CorpusResult {
  const location = result.locations?.[0]?.physicalLocation;
  const startLine = location?.region?.startLine ?? 0;
  return {
    ruleId: result.ruleId ?? "?",
    dataClasses: dataClassesOf(result),
    message: result.message.text ?? "",
    file: decodeURIComponentPath(location?.artifactLocation?.uri ?? ""),
    startLine,
    endLine: location?.region?.endLine ?? startLine,
    startColumn: location?.region?.startColumn ?? 1,
    steps: pathSteps(result.codeFlows?.[0]),
    otherPaths: (result.codeFlows ?? []).slice(1).map(pathSteps),
  };
}

function pathSteps(flow: CodeFlow | undefined): PathStep[] {
  return (flow?.threadFlows[0]?.locations ?? []).flatMap((step) => {
    const at = step.location?.physicalLocation;
    const uri = at?.artifactLocation?.uri;
    const line = at?.region?.startLine;
    return uri !== undefined && line !== undefined ? [{ file: decodeURIComponentPath(uri), line, endLine: at?.region?.endLine ?? line }] : [];
  });
}

/** A leak result's data classes: flowgate writes them, sorted, in `result.properties.dataClasses`. */
function dataClassesOf(result: Result): string[] {
  const classes: unknown = result.properties?.dataClasses;
  return Array.isArray(classes) ? classes.filter((c): c is string => typeof c === "string") : [];
}

function decodeURIComponentPath(uri: string): string {
  return uri
    .split("/")
    .map((segment) => decodeURIComponent(segment))
    .join("/");
}

export function countBy(keys: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const key of [...keys].sort()) counts[key] = (counts[key] ?? 0) + 1;
  return counts;
}
