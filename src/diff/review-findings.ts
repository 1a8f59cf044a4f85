import { ts } from "ts-morph";
import type { Finding } from "../findings/finding.js";
import { assignFingerprints, fingerprintBase } from "../findings/fingerprint.js";
import { lineHashes, startLines } from "../findings/line-hash.js";
import type { MessageLink } from "../findings/message.js";
import { findRuleOrThrow, type RuleMetadata } from "../findings/rule-catalog.js";
import { codeFrameAt } from "../findings/source-text.js";
import { compareLocations, type SourceLocation } from "../location.js";

/** A finding of an update-review rule before its identity is fixed. */
export interface ReviewDraft {
  ruleId: "policy-weakened" | "suppression-added" | "sanitizer-removed" | "new-egress-destination";
  message: string;
  /** Quoted code in `message` that links to a related location (SARIF embedded links). */
  messageLinks?: MessageLink[];
  location: SourceLocation;
  relatedLocations?: { location: SourceLocation; message: string }[];
  /** What the finding is about, without line numbers (the fingerprint's ingredients besides rule and file). */
  identity: string[];
}

/**
 * Turns drafts into findings: level from the rule's metadata, fingerprints from rule + file + identity with an
 * occurrence index in position order (as for leaks, docs/fingerprints.md), and GitHub's line hash when the file's
 * text is at hand. Every review finding is new by construction: it describes a difference between base and head.
 */
export function reviewFindings(drafts: ReviewDraft[], rules: RuleMetadata[], textOf: (file: string) => string | undefined): Finding[] {
  const sorted = [...drafts].sort((a, b) => compareLocations(a.location, b.location) || cmp(a.ruleId, b.ruleId) || cmp(a.message, b.message));
  const bases = sorted.map((d) => fingerprintBase({ ruleId: d.ruleId, file: d.location.file, parts: d.identity }));
  const fingerprints = assignFingerprints(bases, (b) => b);
  // Per file: GitHub's line hashes down to the last line a finding starts on, and a source file only for its line table
  // (code frames); no parse is kept.
  const wanted = startLines(drafts.map((d) => d.location));
  const files = new Map<string, { hashes: string[]; lines: ts.SourceFile } | undefined>();
  return sorted.map((draft, i): Finding => {
    const rule = findRuleOrThrow(rules, draft.ruleId);
    if (!files.has(draft.location.file)) {
      const text = textOf(draft.location.file);
      files.set(draft.location.file, text === undefined ? undefined : { hashes: lineHashes(text, wanted.get(draft.location.file)), lines: lineTable(draft.location.file, text) });
    }
    const file = files.get(draft.location.file);
    const lineHash = file?.hashes[draft.location.startLine - 1];
    const codeFrame = file ? codeFrameAt(file.lines, draft.location) : undefined;
    return {
      ruleId: rule.id,
      level: rule.level,
      message: draft.message,
      ...(draft.messageLinks ? { messageLinks: draft.messageLinks } : {}),
      location: draft.location,
      relatedLocations: draft.relatedLocations ?? [],
      fingerprint: fingerprints[i] as string,
      ...(lineHash !== undefined ? { lineHash } : {}),
      ...(codeFrame !== undefined ? { codeFrame } : {}),
      baselineState: "new",
    };
  });
}

/** A text with the line-start table code frames read; JSON-kind parsing keeps it cheap for any text (YAML too). */
function lineTable(file: string, text: string): ts.SourceFile {
  return ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.JSON);
}

/** A whole-line location (for places known by line only: a policy entry, a comment). */
export function lineLocation(file: string, line: number, column = 1, endColumn?: number): SourceLocation {
  return { file, startLine: line, startColumn: column, endLine: line, endColumn: endColumn ?? column };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
