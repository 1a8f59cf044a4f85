import { ts } from "ts-morph";

/** A place in a scanned file. `file` is relative to the scan root, with forward slashes; lines and columns are 1-based. */
export interface SourceLocation {
  file: string;
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

/** The location of a raw compiler node, relative to the scan root (the caller passes the file's relative path). */
export function locationOf(node: ts.Node, sourceFile: ts.SourceFile, relativeFile: string): SourceLocation {
  const start = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile));
  const end = sourceFile.getLineAndCharacterOfPosition(node.getEnd());
  return {
    file: relativeFile,
    startLine: start.line + 1,
    startColumn: start.character + 1,
    endLine: end.line + 1,
    endColumn: end.character + 1,
  };
}

/** Orders locations by file, then position: every list that reaches output is sorted with it, so output is deterministic. */
export function compareLocations(a: SourceLocation, b: SourceLocation): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.startLine - b.startLine || a.startColumn - b.startColumn || a.endLine - b.endLine || a.endColumn - b.endColumn;
}
