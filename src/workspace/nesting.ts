import { ts } from "ts-morph";
import { forEachChild } from "../compiler-direct.js";

/**
 * How deeply a source text nests brackets — `(`, `[`, `{` and template substitutions `${` — found with one linear,
 * iterative pass that skips comments, strings and template text. The TypeScript parser (and every recursive walk after
 * it) uses stack frames per nesting level, so a file with thousands of levels would overflow the stack; such files are
 * skipped with a notification instead. Hand-written and generated gateway code stays far below the limit.
 */
export const MAX_NESTING_DEPTH = 250;

/** The deepest bracket nesting in `text` (regular expression literals are not recognised; stray brackets in them only
 * shift the count slightly, and the count never goes below zero). One pass over character codes: it runs on every file
 * before it is parsed. */
export function nestingDepth(text: string): number {
  // what each open bracket was: a bracket, or a template substitution `${` (which returns to template text when it closes)
  const open: boolean[] = []; // true: `${`
  let max = 0;
  let i = 0;
  const n = text.length;
  const inTemplate = (): number => {
    // scans template text from i to its end or to a "${"; returns the index after it
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === BACKSLASH) i += 2;
      else if (c === BACKTICK) return i + 1;
      else if (c === DOLLAR && text.charCodeAt(i + 1) === OPEN_BRACE) {
        open.push(true);
        if (open.length > max) max = open.length;
        return i + 2;
      } else i++;
    }
    return i;
  };
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === SLASH) {
      const next = text.charCodeAt(i + 1);
      if (next === SLASH) {
        const end = text.indexOf("\n", i);
        i = end < 0 ? n : end + 1;
      } else if (next === STAR) {
        const end = text.indexOf("*/", i + 2);
        i = end < 0 ? n : end + 2;
      } else i++;
    } else if (c === DOUBLE_QUOTE || c === SINGLE_QUOTE) {
      i++;
      for (let d = text.charCodeAt(i); i < n && d !== c && d !== NEWLINE; d = text.charCodeAt(i)) i += d === BACKSLASH ? 2 : 1;
      i++;
    } else if (c === BACKTICK) {
      i++;
      i = inTemplate();
    } else if (c === OPEN_PAREN || c === OPEN_BRACKET || c === OPEN_BRACE) {
      open.push(false);
      if (open.length > max) max = open.length;
      i++;
    } else if (c === CLOSE_PAREN || c === CLOSE_BRACKET || c === CLOSE_BRACE) {
      const substitution = open.pop();
      i++;
      if (substitution === true) i = inTemplate(); // back in the template's text
    } else {
      i++;
    }
  }
  return max;
}

const BACKSLASH = 0x5c;
const BACKTICK = 0x60;
const DOLLAR = 0x24;
const SLASH = 0x2f;
const STAR = 0x2a;
const DOUBLE_QUOTE = 0x22;
const SINGLE_QUOTE = 0x27;
const NEWLINE = 0x0a;
const OPEN_PAREN = 0x28;
const CLOSE_PAREN = 0x29;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/**
 * Syntax tree depth the rest of the pipeline accepts (the binder, the checker and the engine walk trees recursively).
 * The left operand of an arithmetic, string or comma operator does not count: long `a + b + c …` chains are walked
 * iteratively everywhere. A link of a `&&`, `||` or `??` chain counts twice: the binder builds control flow through
 * those recursively, with about twice the stack per level (a chain of ~950 terms already overflows it).
 */
export const MAX_TREE_DEPTH = 1000;

/**
 * Nodes with the same text span nest only a few levels deep (a statement around its expression, a declaration list
 * around its declaration…); every other level takes at least one character of source text.
 */
const SAME_SPAN_LEVELS = 32;

/**
 * The syntax tree's depth as counted for {@link MAX_TREE_DEPTH}, with an explicit stack; stops early past `limit`.
 * A subtree too short in characters to pass the limit is not entered, so an ordinary file costs a walk over its
 * outermost levels only (the result is then a lower bound, exact whenever it matters: above the limit).
 */
export function treeDepth(file: ts.SourceFile, limit = MAX_TREE_DEPTH): number {
  let max = 0;
  const nodes: ts.Node[] = [file];
  const depths: number[] = [0];
  let node: ts.Node = file;
  let depth = 0;
  const push = (child: ts.Node): void => {
    const childDepth = depth + linkWeight(node, child);
    // Each level needs a character of its own (at most a link weight of 2 per character): too narrow to pass the limit.
    if (childDepth + 2 * (child.end - child.pos) + SAME_SPAN_LEVELS <= limit) return;
    nodes.push(child);
    depths.push(childDepth);
  };
  while (nodes.length > 0) {
    node = nodes.pop() as ts.Node;
    depth = depths.pop() as number;
    if (depth > max) max = depth;
    if (max > limit) return max;
    forEachChild(node, push);
  }
  return max;
}

/** How many levels a child adds below its parent. */
function linkWeight(parent: ts.Node, child: ts.Node): number {
  if (!ts.isBinaryExpression(parent)) return 1;
  const operator = parent.operatorToken.kind;
  const logical =
    operator === ts.SyntaxKind.AmpersandAmpersandToken ||
    operator === ts.SyntaxKind.BarBarToken ||
    operator === ts.SyntaxKind.QuestionQuestionToken;
  if (logical) return 2;
  return child === parent.left ? 0 : 1;
}
