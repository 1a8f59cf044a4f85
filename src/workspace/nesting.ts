import { ts } from "ts-morph";

/**
 * How deeply a source text nests brackets — `(`, `[`, `{` and template substitutions `${` — found with one linear,
 * iterative pass that skips comments, strings and template text. The TypeScript parser (and every recursive walk after
 * it) uses stack frames per nesting level, so a file with thousands of levels would overflow the stack; such files are
 * skipped with a notification instead. Hand-written and generated gateway code stays far below the limit.
 */
export const MAX_NESTING_DEPTH = 250;

/** The deepest bracket nesting in `text` (regular expression literals are not recognised; stray brackets in them only
 * shift the count slightly, and the count never goes below zero). */
export function nestingDepth(text: string): number {
  // what each open bracket was: "(" "[" "{" or "${" (which returns to template text when it closes)
  const open: string[] = [];
  let max = 0;
  let i = 0;
  const n = text.length;
  const inTemplate = (): number => {
    // scans template text from i to its end or to a "${"; returns the index after it
    while (i < n) {
      const c = text[i];
      if (c === "\\") i += 2;
      else if (c === "`") return i + 1;
      else if (c === "$" && text[i + 1] === "{") {
        open.push("${");
        if (open.length > max) max = open.length;
        return i + 2;
      } else i++;
    }
    return i;
  };
  while (i < n) {
    const c = text[i];
    const next = text[i + 1];
    if (c === "/" && next === "/") {
      const end = text.indexOf("\n", i);
      i = end < 0 ? n : end + 1;
    } else if (c === "/" && next === "*") {
      const end = text.indexOf("*/", i + 2);
      i = end < 0 ? n : end + 2;
    } else if (c === '"' || c === "'") {
      i++;
      while (i < n && text[i] !== c && text[i] !== "\n") i += text[i] === "\\" ? 2 : 1;
      i++;
    } else if (c === "`") {
      i++;
      i = inTemplate();
    } else if (c === "(" || c === "[" || c === "{") {
      open.push(c);
      if (open.length > max) max = open.length;
      i++;
    } else if (c === ")" || c === "]" || c === "}") {
      const was = open.pop();
      i++;
      if (was === "${") i = inTemplate(); // back in the template's text
    } else {
      i++;
    }
  }
  return max;
}

/**
 * Syntax tree depth the rest of the pipeline accepts (the binder, the checker and the engine walk trees recursively).
 * The left operand of a binary expression does not count: long `a + b + c …` chains are walked iteratively everywhere.
 */
export const MAX_TREE_DEPTH = 1000;

/** The syntax tree's depth as counted for {@link MAX_TREE_DEPTH}, with an explicit stack; stops early past `limit`. */
export function treeDepth(file: ts.SourceFile, limit = MAX_TREE_DEPTH): number {
  let max = 0;
  const stack: { node: ts.Node; depth: number }[] = [{ node: file, depth: 0 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop() as { node: ts.Node; depth: number };
    if (depth > max) max = depth;
    if (max > limit) return max;
    ts.forEachChild(node, (child) => {
      const flat = ts.isBinaryExpression(node) && child === node.left;
      stack.push({ node: child, depth: flat ? depth : depth + 1 });
    });
  }
  return max;
}
