import type { ts } from "ts-morph";
import type { SourceLocation } from "../location.js";

/** A few lines of a file around a location, for code frames (terminal) and SARIF context regions. */
export interface CodeFrame {
  /** 1-based line number of `lines[0]`. */
  startLine: number;
  /** The lines without their line terminators; each cut at MAX_FRAME_LINE_LENGTH characters. */
  lines: string[];
}

const CONTEXT_LINES = 2;
const MAX_FRAME_LINES = 12;
// A location longer than a frame is still shown whole up to this many lines (a multi-line argument), context aside.
const MAX_LOCATION_LINES = 40;
const MAX_FRAME_LINE_LENGTH = 400;

/**
 * A file's text with where its lines start: a loaded file (ScannedFile, its tree not needed) or a tree. What a finding
 * reads of its file — the code at a location, a code frame, the line hashes — is the text.
 */
export type SourceText = Pick<ts.SourceFile, "text" | "getLineStarts">;

/** Offset of a 1-based line/column in the file, or undefined when the location is not in this file's text. */
function offsetOf(sourceFile: SourceText, line: number, column: number): number | undefined {
  const starts = sourceFile.getLineStarts();
  const lineStart = starts[line - 1];
  if (lineStart === undefined) return undefined;
  const offset = lineStart + column - 1;
  return offset <= sourceFile.text.length ? offset : undefined;
}

/** The code a location spans, or undefined when it does not fit the file (a location from elsewhere). */
export function textAt(sourceFile: SourceText, location: SourceLocation): string | undefined {
  const start = offsetOf(sourceFile, location.startLine, location.startColumn);
  const end = offsetOf(sourceFile, location.endLine, location.endColumn);
  if (start === undefined || end === undefined || end < start) return undefined;
  return sourceFile.text.slice(start, end);
}

/**
 * The location's lines with CONTEXT_LINES either side (at most MAX_FRAME_LINES in all, or the location's own lines
 * when it is longer, up to MAX_LOCATION_LINES).
 */
export function codeFrameAt(sourceFile: SourceText, location: SourceLocation): CodeFrame | undefined {
  const starts = sourceFile.getLineStarts();
  if (location.startLine < 1 || location.startLine > starts.length) return undefined;
  const first = Math.max(1, location.startLine - CONTEXT_LINES);
  const cap = Math.max(first + MAX_FRAME_LINES - 1, Math.min(location.endLine, location.startLine + MAX_LOCATION_LINES - 1));
  const last = Math.min(starts.length, location.endLine + CONTEXT_LINES, cap);
  const lines: string[] = [];
  for (let line = first; line <= last; line++) lines.push(lineText(sourceFile, starts, line).slice(0, MAX_FRAME_LINE_LENGTH));
  return { startLine: first, lines };
}

/** One line's text without its terminator (LF, CRLF, CR, or the Unicode separators TypeScript counts as line breaks). */
export function lineText(sourceFile: SourceText, starts: readonly number[], line: number): string {
  const start = starts[line - 1] ?? sourceFile.text.length;
  const end = starts[line] ?? sourceFile.text.length;
  return sourceFile.text.slice(start, end).replace(/(\r\n|\r|\n|\u2028|\u2029)$/, "");
}
