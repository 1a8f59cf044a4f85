import type { Question } from "../dataflow/signature.js";
import type { Finding } from "../findings/finding.js";
import { normalizeCode } from "../findings/fingerprint.js";
import type { ChangedFiles } from "./changed-lines.js";
import type { ReviewDraft } from "./review-findings.js";

/**
 * The question with sanitizers switched off: a sanitizer call passes its arguments' data on to its result, like any
 * call the engine does not know. Scanning the base with it shows which flows only the sanitizers kept clean.
 */
export function withoutSanitizers(question: Question): Question {
  return {
    ...question,
    callAt(call) {
      const model = question.callAt(call);
      return model.kind === "sanitizer" ? { kind: "propagate", label: model.label, rows: [{ from: "args", to: "return" }] } : model;
    },
  };
}

/**
 * sanitizer-removed drafts: a head leak that is new, whose flow (same data class, source expression, sink call and
 * enclosing function) the base had only when its sanitizers were switched off — so the base's sanitizer call kept it
 * clean, and the update removed or bypassed it. The base flow's steps on lines the update removed are quoted.
 */
export function removedSanitizers(
  headNew: Finding[],
  base: Finding[],
  baseUnsanitized: Finding[],
  changes: ChangedFiles | undefined,
  baseTextOf: (file: string) => string | undefined,
): ReviewDraft[] {
  const baseKeys = new Set(base.map(flowKey));
  const protectedFlows = new Map<string, Finding>();
  for (const f of baseUnsanitized) {
    const key = flowKey(f);
    if (f.flow && !baseKeys.has(key) && !protectedFlows.has(key)) protectedFlows.set(key, f);
  }
  const drafts: ReviewDraft[] = [];
  for (const finding of headNew) {
    if (!finding.flow) continue;
    const before = protectedFlows.get(flowKey(finding));
    if (!before) continue;
    const removed = removedStepLine(before, changes, baseTextOf);
    drafts.push({
      ruleId: "sanitizer-removed",
      message:
        `In the base revision, the ${finding.flow.dataClass} data from \`${finding.flow.source.expression}\` passed through a sanitizer before \`${finding.flow.sink.label}\`` +
        `${removed ? ` (base line ${removed.line}: \`${removed.text}\`)` : ""}; the update removed or bypassed it, so the data now leaves unsanitized.`,
      location: finding.location,
      relatedLocations: [{ location: finding.flow.source.location, message: `Source of ${finding.flow.dataClass}.` }],
      identity: JSON.parse(flowKey(finding)) as string[],
    });
  }
  return drafts;
}

/** Same flow on both sides: the fingerprint's ingredients minus the sink argument text (which held the sanitizer). */
function flowKey(finding: Finding): string {
  const flow = finding.flow;
  if (!flow) return JSON.stringify([finding.ruleId, finding.fingerprint]);
  return JSON.stringify([finding.ruleId, flow.dataClass, flow.sink.enclosingFunction, flow.sink.callee, normalizeCode(flow.source.expression)]);
}

/** The first line of the base flow's path that the update removed or modified, with its code. */
function removedStepLine(
  before: Finding,
  changes: ChangedFiles | undefined,
  baseTextOf: (file: string) => string | undefined,
): { line: number; text: string } | undefined {
  for (const step of before.flow?.steps ?? []) {
    const changed = [...(changes?.values() ?? [])].find((c) => (c.basePath ?? c.path) === step.location.file);
    for (let line = step.location.startLine; line <= step.location.endLine; line++) {
      if (!changed?.removedLines.has(line)) continue;
      const text = baseTextOf(step.location.file)?.split(/\r?\n/)[line - 1]?.trim();
      if (text !== undefined) return { line, text: text.length > 80 ? `${text.slice(0, 79)}…` : text };
    }
  }
  return undefined;
}
