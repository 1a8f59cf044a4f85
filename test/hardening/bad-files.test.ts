import { beforeAll, describe, expect, it } from "vitest";
import { validateSarif } from "../support/sarif-validator.js";
import { LEAK, resultLines, scanTree, type TreeScan } from "./scan-tree.js";

/**
 * Files a pull request can contain that are not well-formed source. One scan over all of them: it must complete, name
 * every problem file with its reason, still find the leak in each file that can be read, and write valid SARIF.
 */
const utf16 = (text: string, bigEndian: boolean): Uint8Array => {
  const le = Buffer.from(text, "utf16le");
  if (bigEndian) le.swap16();
  return Buffer.concat([Buffer.from(bigEndian ? [0xfe, 0xff] : [0xff, 0xfe]), le]);
};

/** Roughly `bytes` of plausible generated code: many small functions, one of them leaking at a known line. */
function generated(bytes: number): { text: string; leakLine: number } {
  const lines: string[] = [];
  let size = 0;
  let i = 0;
  while (size < bytes) {
    const line = `export function f${i}(a: number): number { return a * ${i} + ${i % 7}; }`;
    lines.push(line);
    size += line.length + 1;
    i++;
  }
  lines.push(`export function leak(msisdn: string) { console.log(msisdn); }`);
  return { text: lines.join("\n") + "\n", leakLine: lines.length };
}

describe("hostile files in one scan", () => {
  let scan: TreeScan;
  const big = generated(512 * 1024);
  beforeAll(async () => {
    scan = await scanTree({
      "src/ok.ts": LEAK,
      "src/syntax-error.ts": `export function broken( {\n  console.log(msisdn\n`,
      "src/unterminated-string.ts": `const s = "never closed\nexport function n(msisdn: string) { console.log(msisdn); }\n`,
      "src/unterminated-template.ts": "const t = `never ${closed\nexport const u = 1;\n",
      "src/binary.ts": Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00, 0x00, 0xff, 0x00, 0x10]),
      "src/invalid-utf8.ts": Buffer.concat([Buffer.from(`const a = "`), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from(`";\n${LEAK}`)]),
      "src/bom.ts": Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(LEAK)]),
      "src/utf16le.ts": utf16(LEAK, false),
      "src/utf16be.ts": utf16(LEAK, true),
      "src/crlf.ts": `// windows\r\n${LEAK.replace(/\n/g, "\r\n")}`,
      "src/cr.ts": `// classic mac\r${LEAK.replace(/\n/g, "\r")}`,
      "src/empty.ts": "",
      "src/whitespace-only.ts": "\n\n   \t\n",
      "src/huge.ts": "// generated\n" + "export const x = 1;\n".repeat(10 * 1024 * 1024 / 20 + 1),
      "src/generated.ts": big.text,
    });
  }, 120_000);

  it("completes with the findings of every readable file (exit 1), lines counted as the editor counts them", () => {
    expect(scan.status).toBe(1);
    expect(resultLines(scan)).toEqual([
      `leak-to-log src/bom.ts:2`,
      `leak-to-log src/cr.ts:3`,
      `leak-to-log src/crlf.ts:3`,
      `leak-to-log src/generated.ts:${big.leakLine}`,
      `leak-to-log src/invalid-utf8.ts:3`,
      `leak-to-log src/ok.ts:2`,
      // a string literal ends at the line break: the parser recovers there and the next line is ordinary code
      `leak-to-log src/unterminated-string.ts:2`,
      `leak-to-log src/utf16be.ts:2`,
      `leak-to-log src/utf16le.ts:2`,
    ]);
  });

  it("names each problem file with its reason", () => {
    const about = (file: string) => scan.notifications.filter((n) => n.includes(file)).join("\n");
    expect(about("src/syntax-error.ts")).toMatch(/does not parse/);
    expect(about("src/unterminated-string.ts")).toMatch(/does not parse/);
    expect(about("src/unterminated-template.ts")).toMatch(/does not parse/);
    expect(about("src/binary.ts")).toMatch(/binary/);
    expect(about("src/invalid-utf8.ts")).toMatch(/not valid UTF-8/);
    expect(about("src/utf16le.ts")).toMatch(/UTF-16 LE/);
    expect(about("src/utf16be.ts")).toMatch(/UTF-16 BE/);
    expect(about("src/huge.ts")).toMatch(/over the 5\.0 MB limit/);
    expect(about("src/ok.ts")).toBe("");
    expect(about("src/empty.ts")).toBe("");
  });

  it("writes SARIF that passes the validator", async () => {
    const report = await validateSarif({ text: scan.sarifText });
    expect(report.errors).toEqual([]);
    expect(report.warnings).toEqual([]);
  }, 60_000);
});
