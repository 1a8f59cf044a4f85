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

  // A vetted entry widens what may leave when it is new, when it gains classes, or when it loses its class list
  // (a plain entry vets every class). Entries of one host or call add up on each side.
  const widenedVetting = (
    list: "vetted.hosts" | "vetted.calls",
    values: { value: string; classes?: string[] }[],
    before: { value: string; classes?: string[] }[],
    say: {
      added: (value: string, classes: string[] | undefined) => string;
      widened: (value: string, added: string[]) => string;
      unrestricted: (value: string, before: string[]) => string;
    },
  ) =>
    values.forEach((entry, i) => {
      const previous = before.filter((b) => b.value === entry.value);
      if (previous.length === 0) {
        add(`${list}[${i}]`, say.added(entry.value, entry.classes), [list, entry.value]);
        return;
      }
      if (previous.some((b) => b.classes === undefined)) return;
      const had = new Set(previous.flatMap((b) => b.classes ?? []));
      if (entry.classes === undefined) {
        add(`${list}[${i}]`, say.unrestricted(entry.value, [...had].sort()), [list, entry.value, "every-class"]);
        return;
      }
      const added = entry.classes.filter((c) => !had.has(c));
      if (added.length === 0) return;
      const first = entry.classes.indexOf(added[0]!);
      add(`${list}[${i}].classes[${first}]`, say.widened(entry.value, added), [list, entry.value, "classes", ...added], [[...list.split("."), i]]);
    });
  const addedEntries = (list: "sanitizers" | "exclude", values: string[], before: string[], say: (v: string) => string) =>
    values.forEach((value, i) => {
      if (!before.includes(value)) add(`${list}[${i}]`, say(value), [list, value]);
    });
  widenedVetting("vetted.hosts", head.policy.vetted.hosts.map((e) => ({ value: e.host, classes: e.classes })), base.vetted.hosts.map((e) => ({ value: e.host, classes: e.classes })), {
    added: (h, classes) => `The update vets the host \`${h}\`${forClasses(classes)}: restricted data${forClasses(classes, "of ")} sent there would no longer be reported.`,
    widened: (h, added) => `The update vets the host \`${h}\` for ${classList(added)} too: such data sent there would no longer be reported.`,
    unrestricted: (h, before) => `The update vets the host \`${h}\` for every data class (it was vetted for ${classList(before)} only): restricted data of any class sent there would no longer be reported.`,
  });
  widenedVetting("vetted.calls", head.policy.vetted.calls.map((e) => ({ value: e.call, classes: e.classes })), base.vetted.calls.map((e) => ({ value: e.call, classes: e.classes })), {
    added: (c, classes) => `The update vets the call \`${c}\`${forClasses(classes)}: ${classes ? `${classList(classes)} data passed to it, and egress inside it,` : "egress inside it"} would no longer be reported.`,
    widened: (c, added) => `The update vets the call \`${c}\` for ${classList(added)} too: such data passed to it would no longer be reported.`,
    unrestricted: (c, before) => `The update makes \`${c}\` a vetted door for every data class (it was one for ${classList(before)} only): egress inside it would no longer be reported.`,
  });
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
    // a paired name matches where its file names a partner: one lost, or left with fewer partners, matches in fewer files
    for (const [name, partners] of Object.entries(before.pairedNames ?? {})) {
      if (after.names.includes(name)) continue;
      const kept = after.pairedNames?.[name];
      const lost = kept === undefined ? partners : partners.filter((p) => !kept.includes(p));
      if (lost.length === 0) continue;
      add(
        "",
        kept === undefined
          ? `The update narrows the data class \`${before.id}\`: the paired name \`${name}\` would no longer mark ${before.id} data.`
          : `The update narrows the data class \`${before.id}\`: the paired name \`${name}\` would no longer match beside \`${lost.join("`, `")}\`.`,
        ["data-class-narrowed", before.id, "pairedNames", name, ...lost],
        [...(where ? [[...where, "pairedNames"], where] : []), ["dataClasses"], ["extends"]],
      );
    }
    // a sibling name matches in a shape that declares all its siblings: one lost, or given more siblings, matches in fewer
    for (const [name, siblings] of Object.entries(before.siblingNames ?? {})) {
      if (after.names.includes(name)) continue;
      const kept = after.siblingNames?.[name];
      const added = kept === undefined ? [] : kept.filter((p) => !siblings.includes(p));
      if (kept !== undefined && added.length === 0) continue;
      add(
        "",
        kept === undefined
          ? `The update narrows the data class \`${before.id}\`: the sibling name \`${name}\` would no longer mark ${before.id} data.`
          : `The update narrows the data class \`${before.id}\`: the sibling name \`${name}\` would match only beside \`${added.join("`, `")}\` too.`,
        ["data-class-narrowed", before.id, "siblingNames", name, ...(kept === undefined ? siblings : added)],
        [...(where ? [[...where, "siblingNames"], where] : []), ["dataClasses"], ["extends"]],
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

function classList(classes: readonly string[]): string {
  const quoted = classes.map((c) => `\`${c}\``);
  return quoted.length <= 1 ? quoted.join("") : `${quoted.slice(0, -1).join(", ")} and ${quoted[quoted.length - 1]!}`;
}

/** ` for \`a\` and \`b\`` when a vetted entry lists classes, else nothing. */
function forClasses(classes: readonly string[] | undefined, lead = "for "): string {
  return classes === undefined ? "" : ` ${lead}${classList(classes)}`;
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
