import type { Policy, PolicyOrigin } from "../config/policy.js";
import type { PolicyDocument, YamlPath } from "../config/policy-document.js";
import type { SourceLocation } from "../location.js";
import { lineLocation, type ReviewDraft } from "./review-findings.js";

/** The head revision's policy as the update wrote it: merged, plus its user file's document for positions. */
export interface HeadPolicy {
  policy: Policy;
  /** The user's policy file relative to the scan root, when it has one. */
  file?: string;
  document?: PolicyDocument;
}

/**
 * The ways the head's policy lets more data out than the base's (the trusted one), each a policy-weakened draft at
 * the line that does it: vetted hosts and calls added, sanitizers added, data classes removed or narrowed (names,
 * types, tags), library models or sinks or sources dropped, excludes added, the scan narrowed by `include`.
 * Tightening changes (a host removed, a data class added) are not findings.
 */
export function policyWeakenings(base: Policy, head: HeadPolicy, baseFile: string | undefined): ReviewDraft[] {
  const drafts: ReviewDraft[] = [];
  const file = head.file ?? baseFile ?? "flowgate.config.yaml";
  const at = (key: string, fallbacks: YamlPath[] = []): SourceLocation => {
    const origin: PolicyOrigin | undefined = head.policy.origins.get(key);
    if (origin) return lineLocation(file, origin.line, origin.column, origin.column + 1);
    for (const path of fallbacks) {
      if (head.document && headHas(head.document, path)) {
        const pos = head.document.positionOf(path);
        return lineLocation(file, pos.line, pos.column, pos.column + 1);
      }
    }
    return lineLocation(file, 1);
  };
  const add = (key: string, message: string, identity: string[], fallbacks: YamlPath[] = []) =>
    drafts.push({ ruleId: "policy-weakened", message, location: at(key, fallbacks), identity });

  const addedEntries = (list: "vetted.hosts" | "vetted.calls" | "sanitizers" | "exclude", values: string[], before: string[], say: (v: string) => string) =>
    values.forEach((value, i) => {
      if (!before.includes(value)) add(`${list}[${i}]`, say(value), [list, value]);
    });
  addedEntries("vetted.hosts", head.policy.vetted.hosts, base.vetted.hosts, (h) => `The update vets the host \`${h}\`: restricted data sent there would no longer be reported.`);
  addedEntries("vetted.calls", head.policy.vetted.calls, base.vetted.calls, (c) => `The update vets the call \`${c}\`: egress inside it would no longer be reported.`);
  addedEntries("sanitizers", head.policy.sanitizers, base.sanitizers, (s) => `The update declares \`${s}\` a sanitizer: data passed through it would count as clean.`);
  // packages.local merges the packs' lists with the user's: the user's file says where an added name stands
  const userLocal = (head.document?.data as { packages?: { local?: unknown } } | undefined)?.packages?.local;
  for (const name of head.policy.packages.local.filter((p) => !base.packages.local.includes(p))) {
    const index = Array.isArray(userLocal) ? userLocal.indexOf(name) : -1;
    add(
      index >= 0 ? `packages.local[${index}]` : "",
      `The update lists the package \`${name}\` as keeping data in the process: restricted data passed to it would no longer be reported.`,
      ["packages.local", name],
      [["packages"], ["extends"]],
    );
  }
  addedEntries("exclude", head.policy.exclude, base.exclude, (g) => `The update excludes \`${g}\` from the scan: flows in those files would no longer be reported.`);

  // include: narrowing means files in scope before are out of scope now.
  if (base.include.length === 0 && head.policy.include.length > 0) {
    add("include", `The update limits the scan to \`${head.policy.include.join("`, `")}\`: files outside it would no longer be scanned.`, ["include", ...head.policy.include]);
  } else if (head.policy.include.length > 0) {
    for (const glob of base.include.filter((g) => !head.policy.include.includes(g))) {
      add("include", `The update removes \`${glob}\` from \`include\`: those files would no longer be scanned.`, ["include-removed", glob]);
    }
  }

  // Data classes: removed, or narrowed by losing names, types or tags.
  const headClasses = new Map(head.policy.dataClasses.map((d) => [d.id, d]));
  for (const before of base.dataClasses) {
    const after = headClasses.get(before.id);
    const where = dataClassPath(head.document, before.id);
    if (!after) {
      add("", `The update removes the data class \`${before.id}\`: it would no longer be recognised anywhere.`, ["data-class-removed", before.id], [["dataClasses"], ["extends"]]);
      continue;
    }
    for (const aspect of ["names", "types", "tags"] as const) {
      const lost = before[aspect].filter((v) => !after[aspect].includes(v));
      if (lost.length === 0) continue;
      add(
        "",
        `The update narrows the data class \`${before.id}\`: ${aspect} \`${lost.join("`, `")}\` would no longer mark ${before.id} data.`,
        ["data-class-narrowed", before.id, aspect, ...lost],
        [...(where ? [[...where, aspect], where] : []), ["dataClasses"], ["extends"]],
      );
    }
  }

  const lostTags = base.classTags.filter((t) => !head.policy.classTags.includes(t));
  if (lostTags.length > 0) {
    add("", `The update stops reading the class tag(s) ${lostTags.map((t) => `\`@${t}\``).join(", ")}: fields declared restricted with them would no longer be recognised.`, ["class-tags-removed", ...lostTags], [["classTags"], ["extends"]]);
  }

  // Library models (from packs) and the user's own sinks: what stops being watched.
  const headModels = new Map(head.policy.models.map((m) => [m.id, m]));
  const droppedModels = base.models.filter((m) => m.id !== "policy" && !headModels.has(m.id)).map((m) => m.id);
  if (droppedModels.length > 0) {
    add("", `The update drops the library model(s) ${droppedModels.map((m) => `\`${m}\``).join(", ")}: their sinks and sources would no longer be recognised.`, ["models-dropped", ...droppedModels], [["extends"]]);
  }
  for (const model of base.models) {
    const after = headModels.get(model.id);
    if (!after) continue;
    for (const sink of model.sinks) {
      if (after.sinks.some((s) => s.call === sink.call && s.kind === sink.kind)) continue;
      add("", `The update removes the ${sink.kind} sink \`${sink.call}\` (${sink.id}): data reaching it would no longer be reported.`, ["sink-removed", sink.call, sink.kind], [["sinks"], ["extends"]]);
    }
  }
  return drafts;
}

function headHas(document: PolicyDocument, path: YamlPath): boolean {
  let node: unknown = document.data;
  for (const segment of path) {
    if (node === null || typeof node !== "object") return false;
    node = (node as Record<string | number, unknown>)[segment];
    if (node === undefined) return false;
  }
  return true;
}

/** The YAML path of the user's entry for a data class (`dataClasses[2]`), if the user's file has one. */
function dataClassPath(document: PolicyDocument | undefined, id: string): YamlPath | undefined {
  const list = (document?.data as { dataClasses?: { id?: string }[] } | undefined)?.dataClasses;
  const index = Array.isArray(list) ? list.findIndex((d) => d?.id === id) : -1;
  return index >= 0 ? ["dataClasses", index] : undefined;
}
