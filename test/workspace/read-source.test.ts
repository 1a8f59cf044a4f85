import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readSource } from "../../src/workspace/read-source.js";
import { removeTree, writeTree } from "../support/temp-tree.js";

// readSource opens each file once (its size from the open file, then its bytes) and decodes every file with one
// decoder: what a reader sees must be what a fresh stat, read and decoder per file gave (docs/hardening.md)
describe("reading a source file", () => {
  let root: string;
  const big = `export const rows = [\n${"  { id: 1, label: 'ü' },\n".repeat(40_000)}];\n`; // ~1 MB, read in more than one system read
  beforeAll(() => {
    root = writeTree({
      "latin1.ts": new Uint8Array([...Buffer.from("export const a = '"), 0xe9, ...Buffer.from("';\n")]),
      "truncated.ts": new Uint8Array([...Buffer.from("export const b = '"), 0xe2, 0x82]),
      "after.ts": "export const c = 'héllo';\n",
      "bom.ts": new Uint8Array([0xef, 0xbb, 0xbf, ...Buffer.from("export const d = 1;\n")]),
      "two-boms.ts": new Uint8Array([0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf, ...Buffer.from("export const e = 1;\n")]),
      "empty.ts": "",
      "big.ts": big,
      "limit.ts": "x".repeat(100),
      "dir.ts/inner.ts": "export const f = 1;\n",
    });
  });
  afterAll(() => removeTree(root));
  const read = (file: string, maxBytes?: number) => readSource(path.join(root, file), file, maxBytes);

  it("decodes a valid file after invalid ones as it decodes it first", () => {
    const first = read("after.ts");
    expect(read("latin1.ts")).toMatchObject({ ok: true, text: "export const a = '\uFFFD';\n", notification: { id: "invalid-encoding" } });
    expect(read("truncated.ts")).toMatchObject({ ok: true, notification: { id: "invalid-encoding" } });
    expect(read("after.ts")).toEqual(first);
    expect(first).toEqual({ ok: true, text: "export const c = 'héllo';\n" });
  });

  it("drops a byte order mark, and one more after it, as before", () => {
    expect(read("bom.ts")).toEqual({ ok: true, text: "export const d = 1;\n" });
    expect(read("two-boms.ts")).toEqual({ ok: true, text: "export const e = 1;\n" });
    expect(read("empty.ts")).toEqual({ ok: true, text: "" });
  });

  it("reads a large file whole", () => {
    const result = read("big.ts");
    expect(result.ok && result.text).toBe(readFileSync(path.join(root, "big.ts"), "utf8"));
  });

  it("skips a file over the limit by the open file's size, and reads one at the limit", () => {
    expect(read("limit.ts", 99)).toMatchObject({ ok: false, notification: { id: "file-too-large" } });
    expect(read("limit.ts", 100)).toEqual({ ok: true, text: "x".repeat(100) });
  });

  it("names what cannot be read, and why", () => {
    expect(read("dir.ts").notification?.message).toBe("dir.ts: could not be read (EISDIR); not scanned");
    expect(read("gone.ts")).toMatchObject({ ok: false, notification: { id: "unreadable-file", message: "gone.ts: could not be read (ENOENT); not scanned" } });
  });
});
