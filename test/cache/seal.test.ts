import { createHash, createHmac } from "node:crypto";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CacheFormatError } from "../../src/cache/graph-codec.js";
import { readSealed, writeSealed } from "../../src/cache/seal.js";
import { scan } from "../../src/scan.js";
import { removeTree, writeTree } from "../support/temp-tree.js";

// The cache's files (entries, the imported files' memo) are JSON under a seal (src/cache/seal.ts). They are written in
// ASCII, every other character as its JSON escape, so a reader takes them one byte a character: one `…` in a message
// made a whole entry a string of two bytes a character, read and checked at twice the cost (the generated 200k
// gateway's 38 MB entry). The JSON, the seal's check and what a run reads from the entry are the same.

/** Text past ASCII: a message's ellipsis, accents, a character outside the basic plane (a surrogate pair). */
const VALUE = { reason: "from `new URLSearchParams(…)`", host: "café.example", mark: "😀", plain: "a\\b\"c\n" };

let dir: string;

beforeEach(() => {
  dir = writeTree({});
});

afterEach(() => {
  removeTree(dir);
});

describe("sealed cache files", () => {
  it("are written in ASCII and read back as the same JSON", () => {
    const file = path.join(dir, "entry.fgc");
    writeSealed(file, JSON.stringify(VALUE), undefined);
    const bytes = readFileSync(file);
    expect(bytes.every((b) => b < 0x80)).toBe(true);
    expect(bytes.toString("latin1")).toContain("\\u2026");
    expect(JSON.parse(readSealed(file, undefined))).toEqual(VALUE);
  });

  it("are checked over their bytes, signed or not", () => {
    const file = path.join(dir, "entry.fgc");
    writeSealed(file, JSON.stringify(VALUE), "key");
    expect(JSON.parse(readSealed(file, "key"))).toEqual(VALUE);
    expect(() => readSealed(file, "other key")).toThrow(CacheFormatError);
    expect(() => readSealed(file, undefined)).toThrow(CacheFormatError);
    // one byte of the body changed: the seal no longer checks out
    const bytes = readFileSync(file);
    bytes[bytes.length - 3] = bytes[bytes.length - 3]! ^ 1;
    writeFileSync(file, bytes);
    expect(() => readSealed(file, "key")).toThrow(/signature does not match/);
  });

  it("written in UTF-8 (by an earlier build, or by hand) are still read, their seal over the UTF-8 bytes", () => {
    const text = JSON.stringify(VALUE);
    const unsigned = path.join(dir, "unsigned.fgc");
    writeFileSync(unsigned, `sha256 ${createHash("sha256").update(text).digest("hex")}\n${text}`);
    expect(JSON.parse(readSealed(unsigned, undefined))).toEqual(VALUE);
    const signed = path.join(dir, "signed.fgc");
    writeFileSync(signed, `hmac-sha256 ${createHmac("sha256", "key").update(text).digest("hex")}\n${text}`);
    expect(JSON.parse(readSealed(signed, "key"))).toEqual(VALUE);
  });

  it("a run from an ASCII entry whose values hold other text gives the findings of the run that wrote it", async () => {
    const root = writeTree({
      "flowgate.config.yaml": "extends: recommended\n",
      "src/notify.ts": [
        "export interface User { phone: string }",
        "export async function notify(user: User) {",
        '  console.log("téléphone … " + user.phone);',
        '  await fetch(`https://café.example/${user.phone}?q=${new URLSearchParams({ a: "ü" })}`);',
        "}",
        "",
      ].join("\n"),
    });
    try {
      const cache = { dir: path.join(dir, "cache") };
      const written = await scan({ root, cache });
      const entry = readdirSync(cache.dir).find((n) => n.endsWith(".fgc"))!;
      const bytes = readFileSync(path.join(cache.dir, entry));
      expect(bytes.every((b) => b < 0x80)).toBe(true);
      expect(bytes.toString("latin1")).toMatch(/\\u00e9/);
      const read = await scan({ root, cache: { ...cache, readOnly: true } });
      expect(read.notifications.map((n) => n.id)).toContain("analysis-cache");
      expect(read.stats.functionsAnalysed).toBe(0);
      const seen = (r: typeof written) => r.findings.map((f) => [f.ruleId, f.message, f.fingerprint]);
      expect(written.findings.length).toBeGreaterThan(0);
      expect(seen(read)).toEqual(seen(written));
    } finally {
      removeTree(root);
    }
  });
});
