import type parseDiff from "parse-diff";
import { codeTokens, comparableTokens, type CodeToken } from "../findings/code-tokens.js";

/**
 * The head lines an update really edits, as opposed to lines a formatter rewrote: a diff's lines compared token by
 * token (code-tokens.ts, comparableTokens), so re-indentation, line breaks, quote style, separators and `(x) =>` vs
 * `x =>` are not edits, and neither is a block of code moved elsewhere in the file unchanged.
 *
 * Each run of removed and added lines between unchanged ones is one block. The base's and the head's tokens of a
 * block are trimmed of their common beginning and end; the head lines holding what remains are edited, unless those
 * tokens are a run removed elsewhere in the file (a move). A block with two edits far apart marks the lines between
 * them too — on the safe side, since an edited line makes a finding `updated`, never hides one.
 */
export function editedLines(chunks: readonly parseDiff.Chunk[]): Set<number> {
  const blocks = changeBlocks(chunks).map((block) => trimCommon(block));
  const removedElsewhere = blocks.map((b) => b.base.map((t) => t.text).join(" ")).filter((text) => text !== "");
  const edited = new Set<number>();
  for (const block of blocks) {
    if (block.head.length === 0) continue;
    const text = block.head.map((t) => t.text).join(" ");
    if (block.base.length === 0 && removedElsewhere.some((removed) => removed.includes(text))) continue; // moved
    for (const token of block.head) edited.add(token.line);
  }
  return edited;
}

interface LineToken {
  text: string;
  line: number;
}

interface Block {
  base: LineToken[];
  head: LineToken[];
}

/** Runs of `-`/`+` lines between unchanged lines, each side's lines scanned as one text (tokens may span lines). */
function changeBlocks(chunks: readonly parseDiff.Chunk[]): Block[] {
  const blocks: Block[] = [];
  for (const chunk of chunks) {
    let removed: string[] = [];
    let added: { text: string; line: number }[] = [];
    const close = () => {
      if (removed.length > 0 || added.length > 0) {
        blocks.push({ base: comparableTokens(tokensOf(removed.map((text) => ({ text, line: 0 })))), head: comparableTokens(tokensOf(added)) });
      }
      removed = [];
      added = [];
    };
    for (const change of chunk.changes) {
      if (change.type === "del") removed.push(change.content.slice(1));
      else if (change.type === "add") added.push({ text: change.content.slice(1), line: change.ln });
      else close();
    }
    close();
  }
  return blocks;
}

/** The tokens of consecutive lines, each with the line it starts on. */
function tokensOf(lines: { text: string; line: number }[]): LineToken[] {
  const text = lines.map((l) => l.text).join("\n");
  const starts: number[] = [];
  let offset = 0;
  for (const line of lines) {
    starts.push(offset);
    offset += line.text.length + 1;
  }
  let index = 0;
  return codeTokens(text).map((token: CodeToken) => {
    while (index + 1 < starts.length && starts[index + 1]! <= token.start) index++;
    return { text: token.text, line: lines[index]?.line ?? 0 };
  });
}

/** A block without the tokens both sides begin and end with. */
function trimCommon(block: Block): Block {
  const { base, head } = block;
  let start = 0;
  while (start < base.length && start < head.length && base[start]!.text === head[start]!.text) start++;
  let end = 0;
  while (end < base.length - start && end < head.length - start && base[base.length - 1 - end]!.text === head[head.length - 1 - end]!.text) end++;
  return { base: base.slice(start, base.length - end), head: head.slice(start, head.length - end) };
}
