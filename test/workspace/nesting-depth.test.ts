import { describe, expect, it } from "vitest";
import { ts } from "ts-morph";
import { treeDepth } from "../../src/workspace/nesting.js";

const parse = (text: string): ts.SourceFile => ts.createSourceFile("a.ts", text, ts.ScriptTarget.Latest);

describe("treeDepth", () => {
  it("measures nesting of the syntax tree", () => {
    // SourceFile > VariableStatement > VariableDeclarationList > VariableDeclaration > Parenthesized ×n > literal
    const parens = (n: number) => parse(`const a = ${"(".repeat(n)}1${")".repeat(n)};`);
    expect(treeDepth(parens(10), 13)).toBe(14); // over the limit: exact
    expect(treeDepth(parens(10), 14)).toBeLessThanOrEqual(14); // within it: a lower bound is all that is needed
    expect(treeDepth(parens(100), 103)).toBe(104);
  });

  it("counts a left-nested arithmetic chain once, every link of a logical chain twice", () => {
    expect(treeDepth(parse(`const a = ${Array(300).fill("x").join(" + ")};`), 100)).toBeLessThan(10);
    expect(treeDepth(parse(`const a = ${Array(300).fill("x").join(", ")};`), 100)).toBeLessThan(10);
    expect(treeDepth(parse(`const a = ${Array(300).fill("x").join(" && ")};`), 500)).toBeGreaterThan(500);
  });

  it("does not enter subtrees too narrow to pass the limit, and still finds a deep one beside them", () => {
    const shallow = Array.from({ length: 200 }, (_, i) => `export const v${i} = f(${i});`).join("\n");
    expect(treeDepth(parse(shallow), 1000)).toBeLessThan(10); // a lower bound: nothing below the statements is walked
    expect(treeDepth(parse(`${shallow}\nconst b = a${".c()".repeat(600)};`), 1000)).toBeGreaterThan(1000);
  });
});
