import type { Question } from "../vocabulary/question.js";
import type { Finding } from "../findings/finding.js";
import { normalizeCode } from "../findings/fingerprint.js";
import { MessageBuilder, quoteCode } from "../findings/message.js";
import { dataClassWords } from "../model/data-class-words.js";
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
 * sanitizer-removed drafts: a head flow that is new (a flow of a new finding, or one a door did not have before), whose flow (same data class, source expression, sink call and
 * enclosing function) the base had only when its sanitizers were switched off — so the base's sanitizer call kept it
 * clean, and the update removed or bypassed it. The base flow's steps on lines the update removed are quoted.
 */
export function removedSanitizers(
  headNew: Finding[],
  baseFindings: Finding[],
  baseUnsanitizedFindings: Finding[],
  changes: ChangedFiles | undefined,
  baseTextOf: (file: string) => string | undefined,
): ReviewDraft[] {
  const base = oneFlowEach(baseFindings);
  const baseUnsanitized = oneFlowEach(baseUnsanitizedFindings);
  const baseKeys = new Set(base.map(flowKey));
  const protectedFlows = new Map<string, Finding>();
  for (const f of baseUnsanitized) {
    const key = flowKey(f);
    if (f.flows && !baseKeys.has(key) && !protectedFlows.has(key)) protectedFlows.set(key, f);
  }
  const drafts: ReviewDraft[] = [];
  for (const finding of oneFlowEach(headNew)) {
    const flow = finding.flows?.[0];
    if (!flow) continue;
    const before = protectedFlows.get(flowKey(finding));
    if (!before) continue;
    const removed = removedStepLine(before, changes, baseTextOf);
    const message = new MessageBuilder()
      .add(`In the base revision, the ${dataClassWords(flow.dataClass)} in `)
      .code(flow.source.expression, 1)
      .add(" passed through a sanitizer before ")
      .code(flow.sink.label)
      .add(removed ? ` (base line ${removed.line}: ${quoteCode(removed.text)})` : "")
      .add("; the update removed or bypassed it, so the data now leaves unsanitized.")
      .build();
    drafts.push({
      ruleId: "sanitizer-removed",
      message: message.text,
      messageLinks: message.links,
      location: finding.location,
      relatedLocations: [{ location: flow.source.location, message: `The ${dataClassWords(flow.dataClass)} in ${quoteCode(flow.source.expression)}.` }],
      identity: JSON.parse(flowKey(finding)) as string[],
    });
  }
  return drafts;
}

/** A finding per flow: a door's flows each on their own, so flows are compared one by one. */
function oneFlowEach(findings: Finding[]): Finding[] {
  return findings.flatMap((f) => (f.flows && f.flows.length > 1 ? f.flows.map((flow) => ({ ...f, flows: [flow] })) : [f]));
}

/** Same flow on both sides: the fingerprint's ingredients minus the sink argument text (which held the sanitizer). */
function flowKey(finding: Finding): string {
  const flow = finding.flows?.[0];
  if (!flow) return JSON.stringify([finding.ruleId, finding.fingerprint]);
  return JSON.stringify([finding.ruleId, flow.dataClass, flow.sink.enclosingFunction, flow.sink.callee, normalizeCode(flow.source.expression)]);
}

/** The first line of the base flow's path that the update removed or modified, with its code. */
function removedStepLine(
  before: Finding,
  changes: ChangedFiles | undefined,
  baseTextOf: (file: string) => string | undefined,
): { line: number; text: string } | undefined {
  for (const step of before.flows?.[0]?.steps ?? []) {
    const changed = [...(changes?.values() ?? [])].find((c) => (c.basePath ?? c.path) === step.location.file);
    for (let line = step.location.startLine; line <= step.location.endLine; line++) {
      if (!changed?.removedLines.has(line)) continue;
      const text = baseTextOf(step.location.file)?.split(/\r?\n/)[line - 1]?.trim();
      if (text !== undefined) return { line, text: text.length > 80 ? `${text.slice(0, 79)}…` : text };
    }
  }
  return undefined;
}
