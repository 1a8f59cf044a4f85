import type { Flow, FlowStep } from "../vocabulary/flow.js";
import type { Finding } from "../findings/finding.js";
import { normalizeCode } from "../findings/fingerprint.js";
import { pathsOf } from "../findings/other-paths.js";
import type { SourceLocation } from "../location.js";
import type { PathCode } from "./path-code.js";
import { touchesChange, type ChangedFiles } from "./changed-lines.js";

/**
 * Marks each head finding with its SARIF baselineState against earlier findings (a base scan or a previous SARIF
 * file), and appends the earlier findings that are gone as `absent`:
 * - `new`: its fingerprint is not among the earlier ones;
 * - `updated`: the same fingerprint, but the update touched it — a source or data class now reaches the door that did
 *   not before (docs/fingerprints.md); or, in update review, the code of some step of a path that reached it before
 *   (source, intermediate step, sink) is not the same token for token as the base's (`pathCode`), that path has another
 *   length, or the door now sends to another destination; without the code at hand, some place of its paths lies on a
 *   line the update edited (changed-lines.ts: token edits, not a formatter's); against a SARIF baseline, its message
 *   changed (it names the sources);
 * - `unchanged`: the same fingerprint, untouched;
 * - `absent`: an earlier finding whose fingerprint no head finding has (fixed, or its code removed).
 * A file renamed by the update changes every fingerprint in it (the file is an ingredient), so findings in renamed
 * files are also matched on their identity without the file name.
 */
export function compareWithBaseline(
  head: Finding[],
  earlier: Finding[],
  changes?: ChangedFiles,
  pathCode?: { head: PathCode; base: PathCode },
): Finding[] {
  const earlierByFingerprint = new Map(earlier.map((f) => [f.fingerprint, f]));
  const renamed = new Map<string, string>();
  for (const file of changes?.values() ?? []) if (file.basePath !== undefined) renamed.set(file.path, file.basePath);
  const earlierByMovedKey = new Map<string, Finding>();
  const renamedBasePaths = new Set(renamed.values());
  for (const f of earlier) if (renamedBasePaths.has(f.location.file)) earlierByMovedKey.set(movedKey(f), f);

  const matched = new Set<Finding>();
  const marked = head.map((finding): Finding => {
    let before = earlierByFingerprint.get(finding.fingerprint);
    if (!before && renamed.has(finding.location.file)) before = earlierByMovedKey.get(movedKey(finding));
    if (!before) return { ...finding, baselineState: "new" };
    matched.add(before);
    const baseFile = (file: string) => renamed.get(file) ?? file;
    const touched =
      newFlowsAtDoor(finding, before, baseFile).length > 0 ||
      (!changes
        ? sentence(before.message) !== sentence(finding.message)
        : pathCode && finding.flows && before.flows
          ? !sameDoorCode(finding.flows, before.flows, baseFile, changes, pathCode)
          : touchesAnyStep(finding, changes));
    return { ...finding, baselineState: touched ? "updated" : "unchanged" };
  });
  const gone = earlier.filter((f) => !matched.has(f)).map((f): Finding => ({ ...f, baselineState: "absent" }));
  return [...marked, ...gone];
}

/** What `--new-only` keeps: what the update introduced or touched, and what it fixed. */
export function isReportedAsNew(finding: Finding): boolean {
  return finding.baselineState !== "unchanged";
}

/** Every place of a finding: primary and related locations, and each step of its paths. */
export function findingLocations(finding: Finding): SourceLocation[] {
  return [
    finding.location,
    ...finding.relatedLocations.map((r) => r.location),
    ...(finding.flows ?? []).flatMap((flow) => pathsOf(flow).flatMap((steps) => steps.map((s) => s.location))),
  ];
}

/**
 * The flows of a head finding whose source (file and normalised expression) and data class reached the same door in
 * the earlier finding by no flow: what an update adds to an existing door. `baseFile` maps a head file to its path in
 * the base (renames). None when the earlier finding carries no flows (read back from a SARIF file).
 */
export function newFlowsAtDoor(finding: Finding, before: Finding | undefined, baseFile: (file: string) => string = (f) => f): Flow[] {
  if (!before) return finding.flows ?? [];
  if (!before.flows) return [];
  const known = new Set(before.flows.map((flow) => sourceKey(flow, flow.source.location.file)));
  return (finding.flows ?? []).filter((flow) => !known.has(sourceKey(flow, baseFile(flow.source.location.file))));
}

/** A flow's source as update review matches it across revisions: data class, file, normalised expression. */
function sourceKey(flow: Flow, file: string): string {
  return JSON.stringify([flow.dataClass, file, normalizeCode(flow.source.expression)]);
}

/**
 * Whether a door is the same code as in the base: every path (shortest or other) of every head flow whose source
 * reached it before is the same code as a path of a base flow from that source (a flow from a new source is
 * newFlowsAtDoor's; a new caller of a wrapper around the door is a new path), and the door sends to the same
 * destinations. Sources the update removed leave it unchanged.
 */
function sameDoorCode(
  head: readonly Flow[],
  base: readonly Flow[],
  baseFile: (file: string) => string,
  changes: ChangedFiles,
  pathCode: { head: PathCode; base: PathCode },
): boolean {
  const destinations = (flows: readonly Flow[]) =>
    JSON.stringify([...new Set(flows.map((f) => (f.destination.status === "resolved" ? f.destination.host : f.destination.status)))].sort());
  if (destinations(head) !== destinations(base)) return false;
  const baseBySource = new Map<string, Flow[]>();
  for (const flow of base) {
    const key = sourceKey(flow, flow.source.location.file);
    baseBySource.set(key, [...(baseBySource.get(key) ?? []), flow]);
  }
  return head.every((flow) => {
    const before = baseBySource.get(sourceKey(flow, baseFile(flow.source.location.file)));
    // each way the data takes to the door — the shortest and the other paths (a wrapper's callers) — was taken before
    return before === undefined || pathsOf(flow).every((path) => before.some((b) => pathsOf(b).some((old) => samePathCode(path, old, changes, pathCode))));
  });
}

/**
 * Whether two paths are the same code, step by step: a formatter run or code moved around leaves every step's code as
 * it was; an edited token in a step's statement does not. Steps in files the update did not change are the same.
 */
function samePathCode(head: readonly FlowStep[], base: readonly FlowStep[], changes: ChangedFiles, pathCode: { head: PathCode; base: PathCode }): boolean {
  if (head.length !== base.length) return false;
  return head.every((step, i) => {
    const before = base[i]!;
    if (!changes.has(step.location.file) && step.location.file === before.location.file) {
      return true; // an untouched file: the step's code is the same on both sides
    }
    const code = pathCode.head(step.location);
    return code !== undefined && code === pathCode.base(before.location);
  });
}

function touchesAnyStep(finding: Finding, changes: ChangedFiles): boolean {
  return findingLocations(finding).some((l) => touchesChange(changes, l.file, l.startLine, l.endLine));
}

/** Messages compared as SARIF writes them: trimmed, with one final period. */
function sentence(message: string): string {
  return message.trim().replace(/\.$/, "");
}

/** A finding's identity without its file: the fingerprint's other ingredients, as far as the finding carries them. */
function movedKey(finding: Finding): string {
  return JSON.stringify(finding.movedIdentity ? [finding.ruleId, ...finding.movedIdentity] : [finding.ruleId, finding.message]);
}
