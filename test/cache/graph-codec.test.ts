import { describe, expect, it } from "vitest";
import { ts } from "ts-morph";
import { GraphDecoder, GraphEncoder, nodeLookup, type Ref } from "../../src/cache/graph-codec.js";
import { parseSource } from "../../src/workspace/program.js";

// An entry's graph decoded a second time over other parses of some of its files (the base of an update review after
// its head, the same entry) keeps the first decoding's objects wherever they reach no node of those files, and decodes
// the rest anew: the result must be what a decoding from scratch gives.

const A = `export function a(x: string) {\n  return x.trim();\n}\n`;
const B = `export function b(y: string) {\n  console.log(y);\n}\n`;

function firstCall(sf: ts.SourceFile): ts.Node {
  let found: ts.Node | undefined;
  const visit = (n: ts.Node): void => {
    if (found === undefined && ts.isCallExpression(n)) found = n;
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return found as ts.Node;
}

describe("a graph decoded again over another parse of one file", () => {
  it("keeps what reaches only the same parses and decodes anew what reaches the other", () => {
    const a = parseSource("/p/a.ts", A);
    const b = parseSource("/p/b.ts", B);
    const files = [a, b];
    const encoder = new GraphEncoder({ indexOf: (sf) => (files.indexOf(sf) < 0 ? undefined : files.indexOf(sf)) });
    const onlyA = { site: firstCall(a), message: "trimmed", parts: [1, "x"] };
    const both = { from: onlyA, to: [firstCall(b)], note: new Map([["k", onlyA]]) };
    const onlyB = new Set([firstCall(b), "logged"]);
    const refs: Ref[] = [encoder.ref(onlyA), encoder.ref(both), encoder.ref(onlyB)];
    const entries = JSON.parse(JSON.stringify(encoder.entries)) as typeof encoder.entries;

    // the head: b.ts changed, so its nodes are not found
    const head = new GraphDecoder(entries, nodeLookup([a, undefined]));
    expect(refs.map((r) => head.get(r).stale)).toEqual([false, true, true]);

    // the base: b.ts is found again in its own parse
    const bAgain = parseSource("/p/b.ts", B);
    const lookup = nodeLookup([a, bAgain]);
    const base = new GraphDecoder(entries, lookup, { decoder: head, differs: (file) => file === 1 });
    const fresh = new GraphDecoder(entries, nodeLookup([a, bAgain]));
    for (const r of refs) {
      expect(base.get(r).stale).toBe(false);
      expect(base.get(r).value).toEqual(fresh.get(r).value);
    }
    // what reaches only a.ts is the head's very object; what reaches b.ts holds the base's parse
    expect(base.get(refs[0]!).value).toBe(head.get(refs[0]!).value);
    const decodedBoth = base.get(refs[1]!).value as { from: unknown; to: ts.Node[] };
    expect(decodedBoth).not.toBe(head.get(refs[1]!).value);
    expect(decodedBoth.from).toBe(head.get(refs[0]!).value);
    expect(decodedBoth.to[0]!.getSourceFile()).toBe(bAgain);
  });
});
