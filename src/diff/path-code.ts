import { ts } from "ts-morph";
import { forEachChild } from "../compiler-direct.js";
import { codeTokens, comparableTokens } from "../findings/code-tokens.js";
import type { SourceLocation } from "../location.js";

/** The code of a path step as update review compares it, or undefined when its file is not at hand. */
export type PathCode = (location: SourceLocation) => string | undefined;

/**
 * Reads the code around path steps in one revision's files (a file's tree read only when a step is in it). A step's code is the tokens (comparableTokens) of
 * the smallest unit holding it: a statement, a parameter, or a class member — without the blocks nested in it, so a
 * step in an `if` condition or in a callback call does not take in their bodies. Formatting (indentation, line
 * breaks, quotes, separators) and where the unit stands in the file do not change it; an edited token in it does.
 */
export function pathCodeReader(files: ReadonlyMap<string, { readonly sourceFile: ts.SourceFile }>): PathCode {
  const cache = new Map<string, string | undefined>();
  return (location) => {
    const key = `${location.file}:${location.startLine}:${location.startColumn}:${location.endLine}:${location.endColumn}`;
    if (!cache.has(key)) cache.set(key, codeAt(files.get(location.file)?.sourceFile, location));
    return cache.get(key);
  };
}

function codeAt(sourceFile: ts.SourceFile | undefined, location: SourceLocation): string | undefined {
  if (sourceFile === undefined) return undefined;
  const lines = sourceFile.getLineStarts();
  if (location.startLine < 1 || location.startLine > lines.length) return undefined;
  const start = sourceFile.getPositionOfLineAndCharacter(location.startLine - 1, Math.max(0, location.startColumn - 1));
  const unit = unitAround(sourceFile, start);
  const unitStart = unit.getStart(sourceFile);
  const nested: [number, number][] = [];
  // the blocks inside the unit (bodies of nested functions, branches, loops) are their own units
  const visit = (node: ts.Node) => {
    if (node !== unit && (ts.isBlock(node) || ts.isCaseBlock(node) || ts.isClassLike(node))) nested.push([node.getStart(sourceFile), node.end]);
    else forEachChild(node, visit);
  };
  if (!ts.isSourceFile(unit)) forEachChild(unit, visit);
  const tokens = codeTokens(sourceFile.text.slice(unitStart, unit.end))
    .map((t) => ({ text: t.text, at: unitStart + t.start }))
    .filter((t) => !nested.some(([from, to]) => t.at >= from && t.at < to));
  return comparableTokens(tokens)
    .map((t) => t.text)
    .join(" ");
}

/** The innermost statement, parameter or class member around a position (iterative: nesting depth is the input's). */
function unitAround(sourceFile: ts.SourceFile, position: number): ts.Node {
  let unit: ts.Node = sourceFile;
  let node: ts.Node | undefined = sourceFile;
  while (node !== undefined) {
    const parent: ts.Node = node;
    node = undefined;
    forEachChild(parent, (child) => {
      if (node === undefined && child.getStart(sourceFile) <= position && position < child.end) node = child;
    });
    if (node !== undefined && isUnit(node)) unit = node;
  }
  return unit;
}

function isUnit(node: ts.Node): boolean {
  if (ts.isParameter(node)) return true;
  const parent = node.parent;
  if (parent === undefined || ts.isBlock(node)) return false;
  if (ts.isClassLike(parent)) return true; // a class member
  return ts.isBlock(parent) || ts.isSourceFile(parent) || ts.isModuleBlock(parent) || ts.isCaseClause(parent) || ts.isDefaultClause(parent);
}
