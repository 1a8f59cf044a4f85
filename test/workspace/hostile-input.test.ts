import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scan, type ScanResult } from "../../src/index.js";
import { renderSarif } from "../../src/report/sarif.js";
import { validateSarif } from "../support/sarif-validator.js";
import { removeTree, writeTree, type Tree } from "../support/temp-tree.js";

// Issue 7's bad input, generated at test time (nothing large is committed), scanned in ONE tree next to a real leak:
// the scan must complete, the leak must still be found, and every file that could not be analysed must be named.
const repeat = (open: string, inner: string, close: string, n: number): string => open.repeat(n) + inner + close.repeat(n);
const nestedFunctions = (n: number): string => `${"function f() {\n".repeat(n)}return 1;\n${"}\n".repeat(n)}`;
const nestedIfs = (n: number): string => `export function g(x: number) {\n${"if (x > 1) {\n".repeat(n)}x++;\n${"}\n".repeat(n)}}\n`;

const tree: Tree = {
  "flowgate.config.yaml": "extends: recommended\n",
  "src/leak.ts": 'export function signup(user: { phone: string }) {\n  console.log("signup", user.phone);\n}\n',
  // past what TypeScript's recursive parser takes: skipped, named
  "src/parens.ts": `export const a = ${repeat("(", "1", ")", 10_000)};\n`,
  "src/arrays.ts": `export const a = ${repeat("[", "1", "]", 10_000)};\n`,
  "src/objects.ts": `export const a = ${repeat("{ a: ", "1", " }", 10_000)};\n`,
  "src/functions.ts": nestedFunctions(5_000),
  "src/ifs.ts": nestedIfs(5_000),
  // parses, but deeper than the binder takes: skipped, named
  "src/and-chain.ts": `declare const x: boolean;\nexport const a = ${Array(2_000).fill("x").join(" && ")};\n`,
  // wide or long, not deep: analysed
  "src/plus-chain.ts": `declare const x: string;\nexport const a = ${Array(50_000).fill("x").join(" + ")};\n`,
  "src/big-array.ts": `export const a = [${Array.from({ length: 100_000 }, (_, i) => i).join(",")}];\n`,
  "src/long-line.ts": `export const s = "${"a".repeat(1_000_000)}";\n`,
  "src/deep-but-fine.ts": nestedIfs(100),
  // encodings, syntax, sizes
  "src/syntax.ts": 'export const s = "unterminated;\nexport const t = `also unterminated ${1;\n',
  "src/binary.ts": new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]),
  "src/crlf.ts": "export const a = 1;\r\nexport const b = 2;\rexport const c = 3;\n",
  "src/empty.js": "",
  "src/huge.ts": `export const blob = "${"x".repeat(10 * 1024 * 1024)}";\n`,
  "tsconfig.json": '{ "extends": "./tsconfig.json", "compilerOptions": { ',
  "package.json": "{ not json",
};

describe("a tree full of hostile input, scanned end to end", () => {
  let root: string;
  let result: ScanResult;
  beforeAll(async () => {
    root = writeTree(tree, "flowgate hostile ïnput ");
    result = await scan({ root });
  }, 120_000);
  afterAll(() => removeTree(root));

  it("still finds the real leak", () => {
    expect(result.findings.map((f) => `${f.location.file}:${f.location.startLine} ${f.ruleId}`)).toEqual(["src/leak.ts:2 leak-to-log"]);
  });

  it("names every file it could not analyse, with the reason", () => {
    const byFile = result.notifications
      .filter((n) => n.location !== undefined)
      .map((n) => `${n.id} ${n.location?.file}`)
      .sort();
    expect(byFile).toEqual([
      "binary-file src/binary.ts",
      "file-too-large src/huge.ts",
      "nesting-too-deep src/and-chain.ts",
      "nesting-too-deep src/arrays.ts",
      "nesting-too-deep src/functions.ts",
      "nesting-too-deep src/ifs.ts",
      "nesting-too-deep src/objects.ts",
      "nesting-too-deep src/parens.ts",
      "parse-error src/syntax.ts",
      "tsconfig-error tsconfig.json",
    ]);
    expect(result.stats.filesSkipped).toBe(8);
    expect(result.stats.filesScanned).toBe(8);
  });

  it("writes SARIF that names those files and passes the validator, without absolute paths", async () => {
    const sarif = renderSarif(result);
    expect(sarif).not.toContain(root);
    const report = await validateSarif({ text: sarif });
    expect(report.errors).toEqual([]);
    expect(report.warnings).toEqual([]);
    const notifications = (JSON.parse(sarif) as { runs: { invocations: { toolExecutionNotifications?: unknown[] }[] }[] }).runs[0]
      ?.invocations[0]?.toolExecutionNotifications;
    expect(notifications?.length).toBeGreaterThanOrEqual(10);
  }, 60_000);
});
