import path from "node:path";
import { ts } from "ts-morph";
import { findSuppressionComments } from "../findings/suppressions.js";
import { isSourceFile } from "../workspace/find-files.js";
import { readSource } from "../workspace/read-source.js";
import type { ChangedFiles } from "./changed-lines.js";
import type { ReviewDraft } from "./review-findings.js";

/**
 * Suppression comments the update adds (on added or modified lines), as suppression-added drafts. Only justified
 * ones: a comment without a justification suppresses nothing and is already a suppression-unjustified finding of the
 * findings stage. Only the changed files are read, and only those that contain the marker are parsed.
 */
export function addedSuppressions(root: string, changes: ChangedFiles): ReviewDraft[] {
  const drafts: ReviewDraft[] = [];
  for (const file of changes.values()) {
    if (file.status === "deleted" || file.binary || !isSourceFile(file.path)) continue;
    const read = readSource(path.join(root, ...file.path.split("/")), file.path);
    if (!read.ok) continue;
    const sourceFile = ts.createSourceFile(file.path, read.text, ts.ScriptTarget.Latest, false);
    for (const comment of findSuppressionComments({ path: file.path, text: read.text, sourceFile })) {
      if (comment.justification === undefined || comment.ruleIds.length === 0) continue;
      if (file.status !== "added" && !file.addedLines.has(comment.location.startLine)) continue;
      const rules = comment.ruleIds.join(", ");
      drafts.push({
        ruleId: "suppression-added",
        message: `The update suppresses ${rules} on line ${comment.targetLine} with the justification "${comment.justification}".`,
        location: comment.location,
        identity: [...comment.ruleIds].sort().concat(comment.justification, lineOf(read.text, comment.targetLine)),
      });
    }
  }
  return drafts;
}

/** The covered line's text, whitespace-normalised: part of the identity, so moving the pair keeps it. */
function lineOf(text: string, line: number): string {
  return (text.split(/\r?\n/)[line - 1] ?? "").replace(/\s+/g, " ").trim();
}
