import { closest } from "fastest-levenshtein";
import type { Destination, Flow, FlowStep } from "../dataflow/flow.js";
import { compareLocations, type SourceLocation } from "../location.js";
import type { Notification } from "../result.js";
import type { ScannedFile, Workspace } from "../workspace/workspace.js";
import type { Finding } from "./finding.js";
import { assignFingerprints, fingerprintBase, normalizeCode } from "./fingerprint.js";
import { lineHashes } from "./line-hash.js";
import { findRuleOrThrow, type RuleMetadata } from "./rule-catalog.js";
import { compareNotifications, compareOptionalLocations, compareStrings as cmp } from "./order.js";
import { codeFrameAt, textAt } from "./source-text.js";
import { findSuppressionComments, type SuppressionComment } from "./suppressions.js";
import { InternalErrors } from "../internal-errors.js";

export interface BuiltFindings {
  findings: Finding[];
  notifications: Notification[];
}

/** A finding before its identity is known: fingerprints depend on the order of all findings with the same base. */
interface Draft {
  finding: Omit<Finding, "fingerprint">;
  base: string;
}

// Longer code quoted in a message is cut: the message names the code, the location shows it.
const MAX_QUOTED_CODE = 80;
// Longer primary regions get no SARIF snippet: it would bloat the file for no reader.
const MAX_SNIPPET = 1000;

/**
 * Turns flows into findings: one per source × sink argument × data class (shortest path kept), with rule, message,
 * fingerprint and inline suppressions; adds suppression-unjustified findings and notifications for suppressions that
 * name unknown rules or cover nothing. Sorted by location, then rule, then fingerprint.
 */
export function buildFindings(flows: Flow[], workspace: Workspace, rules: RuleMetadata[], internal = new InternalErrors()): BuiltFindings {
  const files = new Map(workspace.files.map((f) => [f.path, f]));
  const notifications: Notification[] = [];
  // a flow whose finding we fail to build is an internal error of its own; the other flows still become findings
  const drafts: Draft[] = shortestFlows(flows.filter((f) => !f.vetted)).flatMap((flow) =>
    internal.attempt({ stage: "findings", function: flow.sink.enclosingFunction, location: flow.sink.location }, () => [leakDraft(flow, rules, files)], []),
  );

  const comments = workspace.files.flatMap(findSuppressionComments);
  const ruleIds = rules.map((r) => r.id);
  const used = new Set<SuppressionComment>();
  for (const comment of comments) {
    for (const id of comment.ruleIds.filter((id) => !ruleIds.includes(id))) {
      notifications.push({
        id: "suppression-unknown-rule",
        level: "warning",
        message: `The suppression names the unknown rule '${id}' (did you mean '${closest(id, ruleIds)}'?), so it suppresses nothing for it.`,
        location: comment.location,
      });
    }
    if (comment.ruleIds.length === 0) {
      notifications.push({
        id: "suppression-unknown-rule",
        level: "warning",
        message: "The suppression names no rule; write `// flowgate-ignore-next-line <rule-id> -- <justification>`.",
        location: comment.location,
      });
    }
    if (comment.justification === undefined && comment.ruleIds.length > 0) drafts.push(unjustifiedDraft(comment, rules, files));
  }
  for (const draft of drafts) {
    const comment = comments.find(
      (c) =>
        c.justification !== undefined &&
        c.location.file === draft.finding.location.file &&
        c.targetLine === draft.finding.location.startLine &&
        c.ruleIds.includes(draft.finding.ruleId),
    );
    if (comment?.justification !== undefined) {
      draft.finding.suppression = { justification: comment.justification, location: comment.location };
      used.add(comment);
    }
  }
  for (const comment of comments) {
    if (comment.justification !== undefined && !used.has(comment) && comment.ruleIds.some((id) => ruleIds.includes(id))) {
      notifications.push({
        id: "suppression-unused",
        level: "note",
        message: `The suppression of ${comment.ruleIds.join(", ")} covers no finding on line ${comment.targetLine}.`,
        location: comment.location,
      });
    }
  }

  drafts.sort(compareDrafts);
  const fingerprints = assignFingerprints(drafts, (d) => d.base);
  const hashesByFile = new Map<string, string[]>();
  const findings = drafts.map((draft, i): Finding => {
    const finding: Finding = { ...draft.finding, fingerprint: fingerprints[i] as string };
    const file = files.get(finding.location.file);
    if (file) {
      let hashes = hashesByFile.get(file.path);
      if (!hashes) hashesByFile.set(file.path, (hashes = lineHashes(file.sourceFile.text)));
      finding.lineHash = hashes[finding.location.startLine - 1];
      const snippet = textAt(file.sourceFile, finding.location);
      if (snippet !== undefined && snippet.length <= MAX_SNIPPET) finding.snippet = snippet;
      finding.codeFrame = codeFrameAt(file.sourceFile, finding.location);
    }
    return finding;
  });
  notifications.sort(compareNotifications);
  return { findings, notifications };
}

/** One flow per source × sink argument × data class: the one with the fewest steps, ties broken by the steps' places. */
function shortestFlows(flows: Flow[]): Flow[] {
  const best = new Map<string, Flow>();
  for (const flow of flows) {
    const key = JSON.stringify([flow.dataClass, flow.source.location, flow.sink.location, flow.sink.callee]);
    const kept = best.get(key);
    if (!kept || compareFlowPaths(flow, kept) < 0) best.set(key, flow);
  }
  return [...best.values()];
}

function compareFlowPaths(a: Flow, b: Flow): number {
  if (a.steps.length !== b.steps.length) return a.steps.length - b.steps.length;
  for (let i = 0; i < a.steps.length; i++) {
    const sa = a.steps[i] as FlowStep;
    const sb = b.steps[i] as FlowStep;
    const c = compareLocations(sa.location, sb.location) || cmp(sa.message, sb.message);
    if (c !== 0) return c;
  }
  return cmp(a.source.reason, b.source.reason);
}

function leakDraft(flow: Flow, rules: RuleMetadata[], files: Map<string, ScannedFile>): Draft {
  const rule = findRuleOrThrow(rules, `leak-to-${flow.sink.kind}`);
  const sinkFile = files.get(flow.sink.location.file);
  const sinkText = sinkFile ? (textAt(sinkFile.sourceFile, flow.sink.location) ?? "") : "";
  const source = quoteCode(flow.source.expression);
  return {
    finding: {
      ruleId: rule.id,
      level: rule.level,
      message: `${flow.dataClass} data from ${source} (${sentenceFragment(flow.source.reason)}) reaches \`${flow.sink.label}\`${destinationPhrase(flow.destination)}${packagePhrase(flow)}.`,
      location: flow.sink.location,
      relatedLocations: [{ location: flow.source.location, message: `Source of ${flow.dataClass}: ${source}.` }],
      flow,
    },
    base: fingerprintBase({
      ruleId: rule.id,
      file: flow.sink.location.file,
      parts: [
        flow.dataClass,
        flow.sink.enclosingFunction,
        flow.sink.callee,
        normalizeCode(flow.source.expression),
        normalizeCode(sinkText),
      ],
    }),
  };
}

function unjustifiedDraft(comment: SuppressionComment, rules: RuleMetadata[], files: Map<string, ScannedFile>): Draft {
  const rule = findRuleOrThrow(rules, "suppression-unjustified");
  const file = files.get(comment.location.file);
  const target = file ? (textAt(file.sourceFile, lineLocation(comment.location.file, comment.targetLine)) ?? "") : "";
  return {
    finding: {
      ruleId: rule.id,
      level: rule.level,
      message: `The suppression of ${comment.ruleIds.join(", ")} gives no justification after '--', so it does not apply.`,
      location: comment.location,
      relatedLocations: [],
    },
    // Identity: what is suppressed and the code it was meant to cover, not where the comment stands.
    base: fingerprintBase({ ruleId: rule.id, file: comment.location.file, parts: [...comment.ruleIds].sort().concat(normalizeCode(target)) }),
  };
}

function lineLocation(file: string, line: number): SourceLocation {
  return { file, startLine: line, startColumn: 1, endLine: line + 1, endColumn: 1 };
}

function destinationPhrase(destination: Destination): string {
  switch (destination.status) {
    case "resolved":
      return `, which sends it to ${destination.host}, a host that is not vetted`;
    case "unresolved": {
      const reason = destination.reason.replace(/\.$/, "");
      return /^destination could not be resolved/i.test(reason)
        ? `; the ${reason}, so it counts as not vetted`
        : `; the destination could not be resolved (${reason}), so it counts as not vetted`;
    }
    case "none":
      return "";
  }
}

/** Why a call into a package is a door: which package, and what would settle it. */
function packagePhrase(flow: Flow): string {
  if (flow.sink.package === undefined) return "";
  return `; no library model covers the package \`${flow.sink.package}\` and \`packages.local\` does not list it as keeping data in the process`;
}

/** Code quoted in a message: on one line, cut to a readable length, in backticks. */
function quoteCode(code: string): string {
  const oneLine = code.replace(/\s+/g, " ").trim();
  const cut = oneLine.length > MAX_QUOTED_CODE ? `${oneLine.slice(0, MAX_QUOTED_CODE - 1)}…` : oneLine;
  return `\`${cut.replace(/`/g, "'")}\``;
}

/** A reason written as a sentence ("Matched by name.") embedded mid-sentence: no final period. */
function sentenceFragment(text: string): string {
  return text.trim().replace(/\.$/, "");
}

function compareDrafts(a: Draft, b: Draft): number {
  return (
    compareLocations(a.finding.location, b.finding.location) ||
    cmp(a.finding.ruleId, b.finding.ruleId) ||
    cmp(a.base, b.base) ||
    cmp(a.finding.message, b.finding.message) ||
    compareOptionalLocations(a.finding.relatedLocations[0]?.location, b.finding.relatedLocations[0]?.location)
  );
}
