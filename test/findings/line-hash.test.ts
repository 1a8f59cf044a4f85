import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { lineHashes } from "../../src/findings/line-hash.js";

// Expected values are the published test vectors of GitHub's upload action (github/codeql-action,
// src/fingerprints.test.ts): matching them is what makes our hashes interchangeable with the ones GitHub computes.
describe("lineHashes()", () => {
  it("hashes an empty file as one line", () => {
    expect(lineHashes("")).toEqual(["c129715d7a2bc9a3:1"]);
  });

  it("skips spaces and tabs and hashes each line with what follows it", () => {
    expect(lineHashes(" a\nb\n  \t\tc\n d")).toEqual([
      "271789c17abda88f:1",
      "54703d4cd895b18:1",
      "180aee12dab6264:1",
      "a23a3dc5e078b07b:1",
    ]);
    expect(lineHashes(" hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End")).toEqual([
      "8b7cf3e952e7aeb2:1",
      "b1ae1287ec4718d9:1",
      "bff680108adb0fcc:1",
      "c6805c5e1288b612:1",
      "b86d3392aea1be30:1",
      "e6ceba753e1a442:1",
    ]);
  });

  it("reads LF, CR and CRLF line endings alike", () => {
    const expected = [
      "e9496ae3ebfced30:1",
      "fb7c023a8b9ccb3f:1",
      "ce8ba1a563dcdaca:1",
      "e20e36e16fcb0cc8:1",
      "b3edc88f2938467e:1",
      "c8e28b0b4002a3a0:1",
      "c129715d7a2bc9a3:1",
    ];
    expect(lineHashes(" hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End\n")).toEqual(expected);
    expect(lineHashes(" hello; \t\nworld!!!\r\r\r  \t\tGreetings\r End\r")).toEqual(expected);
    expect(lineHashes(" hello; \t\r\nworld!!!\r\n\r\n\r\n  \t\tGreetings\r\n End\r\n")).toEqual(expected);
    expect(lineHashes(" hello; \t\nworld!!!\r\n\n\r  \t\tGreetings\r End\r\n")).toEqual(expected);
  });

  it("numbers repeated hashes in file order", () => {
    expect(lineHashes("Lorem ipsum dolor sit amet.\n".repeat(10))).toEqual([
      "a7f2ff13bc495cf2:1",
      "a7f2ff13bc495cf2:2",
      "a7f2ff13bc495cf2:3",
      "a7f2ff13bc495cf2:4",
      "a7f2ff13bc495cf2:5",
      "a7f2ff13bc495cf2:6",
      "a7f2ff1481e87703:1",
      "a9cf91f7bbf1862b:1",
      "55ec222b86bcae53:1",
      "cc97dc7b1d7d8f7b:1",
      "c129715d7a2bc9a3:1",
    ]);
  });

  it("keeps a line's hash when lines are inserted far above it", () => {
    const body = "function f(user) {\n  console.log(user.phone);\n}\n";
    const before = lineHashes(body);
    const after = lineHashes("// a comment\n".repeat(3) + "\n" + body);
    expect(after[5]).toBe(before[1]);
  });

  it("agrees with the algorithm written plainly in BigInt, on any text (non-ASCII, CR, tabs, U+FFFF)", () => {
    const character = fc
      .oneof(fc.constantFrom(0x20, 0x09, 0x0a, 0x0d, 0xffff), fc.integer({ min: 0, max: 0xff }), fc.integer({ min: 0, max: 0xffff }))
      .map((c) => String.fromCharCode(c));
    const text = fc.string({ unit: character, maxLength: 400 });
    fc.assert(fc.property(text, (t) => {
      expect(lineHashes(t)).toEqual(plainLineHashes(t));
    }), { numRuns: 300 });
  });

  it("hashes lines 1 to lastLine as the whole file's first lastLine hashes, and no line below", () => {
    const text = fc.string({ unit: fc.constantFrom("a", "b", " ", "\t", "\n", "\r", "\r\n", "x".repeat(60)), maxLength: 120 });
    fc.assert(fc.property(text, fc.integer({ min: 1, max: 40 }), (t, lastLine) => {
      const all = lineHashes(t);
      const some = lineHashes(t, lastLine);
      expect(some.slice(0, lastLine)).toEqual(all.slice(0, lastLine));
      expect(some.length).toBe(Math.min(lastLine, all.length));
    }), { numRuns: 300 });
  });

  it("hashes the lines of a set as the whole file does, repeated ones counted from the top, and no other line", () => {
    const text = fc.string({ unit: fc.constantFrom("a", "b", " ", "\t", "\n", "\n", "\r", "\r\n", "x".repeat(60)), maxLength: 160 });
    fc.assert(fc.property(text, fc.uniqueArray(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 40 }), (t, lines) => {
      const all = lineHashes(t);
      const some = lineHashes(t, new Set(lines));
      for (let i = 0; i < Math.max(all.length, some.length); i++) expect(some[i]).toBe(lines.includes(i + 1) ? all[i] : undefined);
    }), { numRuns: 300 });
    // repeated lines: the occurrence of the one asked for, whichever others are asked for
    const repeated = "Lorem ipsum dolor sit amet.\n".repeat(10);
    expect(lineHashes(repeated, new Set([4]))[3]).toBe("a7f2ff13bc495cf2:4");
    expect(lineHashes(repeated, new Set([2, 6]))).toEqual([undefined, "a7f2ff13bc495cf2:2", undefined, undefined, undefined, "a7f2ff13bc495cf2:6"]);
  });
});

/** The upload action's algorithm as it reads, in BigInt: the yardstick for the two-halves arithmetic. */
function plainLineHashes(text: string): string[] {
  const mod = 1n << 64n;
  const weight = 37n ** 100n % mod;
  const window = new Array<number>(100).fill(0);
  const lineAt = new Array<number>(100).fill(-1);
  const hashes: string[] = [];
  const seen = new Map<string, number>();
  let hash = 0n;
  let index = 0;
  let line = 0;
  let lineStart = true;
  let prevCR = false;
  const emit = () => {
    const hex = hash.toString(16);
    const n = (seen.get(hex) ?? 0) + 1;
    seen.set(hex, n);
    hashes[(lineAt[index] as number) - 1] = `${hex}:${n}`;
    lineAt[index] = -1;
  };
  const push = (c: number) => {
    const outgoing = window[index] as number;
    window[index] = c;
    hash = (((hash * 37n + BigInt(c) - weight * BigInt(outgoing)) % mod) + mod) % mod;
    index = (index + 1) % 100;
  };
  const take = (code: number) => {
    if (code === 0x20 || code === 0x09 || (prevCR && code === 0x0a)) {
      prevCR = false;
      return;
    }
    const c = code === 0x0d ? 0x0a : code;
    prevCR = code === 0x0d;
    if (lineAt[index] !== -1) emit();
    if (lineStart) {
      lineStart = false;
      lineAt[index] = ++line;
    }
    if (c === 0x0a) lineStart = true;
    push(c);
  };
  for (let i = 0; i < text.length; i++) take(text.charCodeAt(i));
  take(0xffff);
  for (let i = 0; i < 100; i++) {
    if (lineAt[index] !== -1) emit();
    push(0);
  }
  return hashes;
}
