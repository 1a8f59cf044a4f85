import { beforeAll, describe, expect, it } from "vitest";
import { LEAK, resultLines, scanTree, type TreeScan } from "./scan-tree.js";

/**
 * Input whose nesting or size the author controls. Each scan must finish (no stack overflow, no hang) with a valid
 * exit code, still report the leak in the ordinary file next to it, and say when it gave up on something. The time
 * bound is loose on purpose (it catches hangs; speed is measured by `npm run bench`).
 */
const HANG = 60_000;

const nested = (depth: number, open: string, inner: string, close: string) => open.repeat(depth) + inner + close.repeat(depth);

const cases: Record<string, string> = {
  "10,000 nested parentheses": `export const p = ${nested(10_000, "(", "msisdn", ")")};\ndeclare const msisdn: string;\n`,
  "10,000 nested array literals": `export const a = ${nested(10_000, "[", "1", "]")};\n`,
  "10,000 nested object literals": `export const o = ${nested(10_000, "{ a: ", "1", " }")};\n`,
  "50,000-term + chain": `export function chain(msisdn: string) { console.log("x" + ${Array.from({ length: 50_000 }, (_, i) => (i === 25_000 ? "msisdn" : `"${i % 10}"`)).join(" + ")}); }\n`,
  "5,000 nested functions": `export ${nested(5_000, "function f() { ", "return 1;", " }")}\n`,
  "5,000 nested ifs": `export function g(msisdn: string, c: boolean) { ${nested(5_000, "if (c) { ", "console.log(msisdn);", " }")} }\n`,
  "100,000-element array literal": `export const big = [${Array.from({ length: 100_000 }, (_, i) => i).join(", ")}];\n`,
  "a 1 MB line": `export const line = "${"x".repeat(1024 * 1024)}"; export function l(msisdn: string) { console.log(msisdn); }\n`,
  "5,000 nested arrow functions": `export const h = ${nested(5_000, "() => ", "1", "")};\n`,
  "4,000 arrow functions in a chain": `export const h2 = ${"() => ".repeat(4_000)}1;\n`,
  "4,000 braceless ifs": `export function i(c: boolean) { ${"if (c) ".repeat(4_000)}return; }\n`,
  "10,000-deep conditional chain": `export const j = (c: boolean) => ${"c ? 1 : ".repeat(10_000)}2;\n`,
  "10,000 unary operators": `export const k = (c: boolean) => ${"!".repeat(10_000)}c;\n`,
  "20,000-link property chain": `export const m = (a: any) => a${".b".repeat(20_000)};\n`,
  "20,000-link call chain": `export const o = (a: any) => a${".b()".repeat(20_000)};\n`,
  "5,000 nested template literals": `export const t = ${nested(5_000, "`${", "1", "}`")};\n`,
};

/** One scan over every case (each its own file): a crash on any of them fails the scan, and the test names it. */
const fileName = (name: string) => `src/deep/${name.replace(/[^a-z0-9]+/gi, "-")}.ts`;

describe("pathological nesting and size", () => {
  let scan: TreeScan;
  beforeAll(async () => {
    scan = await scanTree({ "src/ok.ts": LEAK, ...Object.fromEntries(Object.entries(cases).map(([name, text]) => [fileName(name), text])) });
  }, HANG);

  it("completes without overflowing the stack (exit 1) and still analyses the ordinary file", () => {
    expect(scan.stderr).not.toMatch(/Maximum call stack|internal error/i);
    expect(scan.status).toBe(1);
    expect(resultLines(scan)).toContain("leak-to-log src/ok.ts:2");
  });

  for (const name of Object.keys(cases)) {
    it(`${name}: analysed, or skipped with a notification that names the file and says why`, () => {
      const file = fileName(name);
      const about = scan.notifications.filter((n) => n.startsWith(`${file}: `));
      const skipped = about.some((n) => /nest/.test(n));
      const analysed = about.every((n) => /does not parse/.test(n));
      expect(skipped || analysed).toBe(true);
    });
  }
});

/** Deep, but within what the parser takes: the file is analysed, and a leak at the bottom is found. */
const belowLimit: Record<string, string> = {
  "240 nested parentheses": `export function p(msisdn: string) {\n  console.log(${nested(240, "(", "msisdn", ")")});\n}\n`,
  "240 nested blocks and ifs": `export function q(msisdn: string, c: boolean) {\n  console.log(${nested(1, "(", "msisdn", ")")});\n  ${nested(120, "if (c) { ", "console.log(1);", " }")}${nested(118, "{ ", "", " }")}\n}\n`,
  "240 nested templates": `export function t(msisdn: string) {\n  console.log(${nested(240, "`${", "msisdn", "}`")});\n}\n`,
  "240 nested array and object literals": `export function a(msisdn: string) {\n  console.log(${nested(120, "[{ a: ", "msisdn", " }]")});\n}\n`,
  "240 nested functions": `export function f(msisdn: string) {\n  console.log(msisdn);\n  ${nested(238, "function g() { ", "return 1;", " }")}\n}\n`,
  "300 arrow functions in a chain": `export function h(msisdn: string) {\n  console.log(msisdn);\n  return ${"() => ".repeat(300)}1;\n}\n`,
  "500 braceless ifs": `export function i(msisdn: string, c: boolean) {\n  console.log(msisdn);\n  ${"if (c) ".repeat(500)}return;\n}\n`,
  "500-deep conditional chain": `export function j(msisdn: string, c: boolean) {\n  console.log(msisdn);\n  return ${"c ? 1 : ".repeat(500)}2;\n}\n`,
  "500 unary operators": `export function k(msisdn: string, c: boolean) {\n  console.log(msisdn);\n  return ${"!".repeat(500)}c;\n}\n`,
  "500-link property chain": `export function m(msisdn: string, a: any) {\n  console.log(msisdn);\n  return a${".b".repeat(500)};\n}\n`,
  "300-link call chain": `export function o(msisdn: string, a: any) {\n  console.log(msisdn);\n  return a${".b()".repeat(300)};\n}\n`,
};

describe("deep input within the limits is analysed", () => {
  let scan: TreeScan;
  beforeAll(async () => {
    scan = await scanTree(Object.fromEntries(Object.entries(belowLimit).map(([name, text]) => [fileName(name), text])));
  }, HANG);

  for (const [name] of Object.entries(belowLimit)) {
    it(`${name}: analysed, leak on line 2 found`, () => {
      const file = fileName(name);
      expect(scan.stderr).not.toMatch(/Maximum call stack|internal error/i);
      expect(scan.notifications.filter((n) => n.startsWith(file))).toEqual([]);
      expect(resultLines(scan).filter((l) => l.includes(file))).toEqual([`leak-to-log ${file}:2`]);
    });
  }
});
