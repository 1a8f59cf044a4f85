import { ts } from "ts-morph";
import { forEachChild } from "../compiler-direct.js";
import type { SourceLocation } from "../location.js";
import type { ScannedFile } from "../workspace/workspace.js";
import { lineText } from "./source-text.js";

/**
 * An inline suppression: `// flowgate-ignore-next-line <rule-id>[, <rule-id>…] -- <justification>`.
 *
 * It covers findings whose primary location starts on the next line that is not itself a suppression comment (so
 * several can be stacked above one line). Written after code on the same line, it still covers the NEXT line, as its
 * name says. A suppression without a justification covers nothing (see suppression-unjustified).
 */
export interface SuppressionComment {
  /** The comment, from `//` to the end of the line. */
  location: SourceLocation;
  /** The line whose findings it covers. */
  targetLine: number;
  ruleIds: string[];
  /** Trimmed text after `--`; undefined when absent or empty. */
  justification?: string;
}

export const SUPPRESSION_MARKER = "flowgate-ignore-next-line";
const SUPPRESSION_PATTERN = /\/\/\s*flowgate-ignore-next-line(?=\s|$)(.*)$/;

/** Every suppression comment of a file, in line order. Cheap on files without the marker: one substring search. */
export function findSuppressionComments(file: Pick<ScannedFile, "path" | "text" | "sourceFile">): SuppressionComment[] {
  if (!file.text.includes(SUPPRESSION_MARKER)) return [];
  const { sourceFile } = file;
  const starts = sourceFile.getLineStarts();
  const found: (SuppressionComment & { ownLine: boolean })[] = [];
  for (let line = 1; line <= starts.length; line++) {
    const text = lineText(sourceFile, starts, line);
    if (!text.includes(SUPPRESSION_MARKER)) continue;
    const match = SUPPRESSION_PATTERN.exec(text);
    if (!match) continue;
    const column = match.index + 1;
    // `//` inside a string, template or regular expression is not a comment.
    if (isInsideLiteral(sourceFile, (starts[line - 1] as number) + match.index)) continue;
    const [rulePart, ...rest] = (match[1] ?? "").split("--");
    const justification = rest.join("--").trim();
    found.push({
      location: { file: file.path, startLine: line, startColumn: column, endLine: line, endColumn: text.length + 1 },
      targetLine: line + 1,
      ruleIds: (rulePart ?? "")
        .split(/[\s,]+/)
        .filter((id) => id.length > 0),
      justification: justification.length > 0 ? justification : undefined,
      ownLine: text.slice(0, match.index).trim().length === 0,
    });
  }
  // Stacked comments: a suppression whose next line is another own-line suppression covers the line after that.
  const ownLineComments = new Set(found.filter((c) => c.ownLine).map((c) => c.location.startLine));
  return found.map(({ ownLine: _ownLine, ...comment }) => {
    let target = comment.targetLine;
    while (ownLineComments.has(target)) target++;
    return { ...comment, targetLine: target };
  });
}

const LITERAL_KINDS = new Set<ts.SyntaxKind>([
  ts.SyntaxKind.StringLiteral,
  ts.SyntaxKind.NoSubstitutionTemplateLiteral,
  ts.SyntaxKind.TemplateHead,
  ts.SyntaxKind.TemplateMiddle,
  ts.SyntaxKind.TemplateTail,
  ts.SyntaxKind.RegularExpressionLiteral,
  ts.SyntaxKind.JsxText,
]);

/** Whether `pos` lies inside a literal token rather than in trivia. Descends iteratively: depth is input-controlled. */
function isInsideLiteral(sourceFile: ts.SourceFile, pos: number): boolean {
  let node: ts.Node = sourceFile;
  for (;;) {
    const child: ts.Node | undefined = forEachChild(node, (c) => (c.pos <= pos && pos < c.end ? c : undefined));
    if (!child) break;
    node = child;
  }
  return LITERAL_KINDS.has(node.kind) && pos >= node.getStart(sourceFile);
}
