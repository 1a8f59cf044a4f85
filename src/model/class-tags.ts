import { ts } from "ts-morph";
import { forEachChild } from "../compiler-direct.js";
import type { Policy } from "../config/policy.js";
import type { Notification } from "../result.js";
import type { ScannedFile } from "../workspace/workspace.js";
import { classArgument } from "./data-classes.js";

/**
 * Class tags whose argument names no data class (`/** @restricted device_id *\/`): the field would silently be
 * classified as nothing, so each is a notification at the tag, naming the known classes. One pass over the files whose
 * text mentions a class tag at all (a string test), so most files are never walked.
 */
export function classTagNotifications(files: readonly ScannedFile[], policy: Pick<Policy, "classTags" | "dataClasses">): Notification[] {
  if (policy.classTags.length === 0) return [];
  const tags = new Set(policy.classTags.map((t) => t.replace(/^@/, "").toLowerCase()));
  const ids = new Set(policy.dataClasses.map((d) => d.id));
  const known = [...ids].sort().join(", ");
  const notifications: Notification[] = [];
  for (const file of files) {
    const text = file.text;
    if (![...tags].some((tag) => text.includes(`@${tag}`))) continue;
    const pending: ts.Node[] = [file.sourceFile];
    while (pending.length > 0) {
      const node = pending.pop()!;
      for (const tag of jsDocTagsOf(node)) {
        const name = tag.tagName.text.toLowerCase();
        if (!tags.has(name)) continue;
        const id = classArgument(ts.getTextOfJSDocComment(tag.comment) ?? "");
        if (id === undefined || ids.has(id)) continue;
        const start = file.sourceFile.getLineAndCharacterOfPosition(tag.getStart(file.sourceFile));
        const end = file.sourceFile.getLineAndCharacterOfPosition(tag.getEnd());
        notifications.push({
          id: "unknown-data-class",
          level: "warning",
          message: `${file.path}:${start.line + 1}: \`@${name} ${id}\` names no data class, so it classifies nothing (known: ${known})`,
          location: { file: file.path, startLine: start.line + 1, startColumn: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1 },
        });
      }
      forEachChild(node, (child) => {
        pending.push(child);
      });
    }
  }
  return notifications;
}

/** The JSDoc tags written on this node itself (not inherited from a parent, as ts.getJSDocTags would for parameters). */
function jsDocTagsOf(node: ts.Node): readonly ts.JSDocTag[] {
  const docs = (node as { jsDoc?: readonly ts.JSDoc[] }).jsDoc;
  if (docs === undefined) return [];
  return docs.flatMap((doc) => [...(doc.tags ?? [])]);
}
