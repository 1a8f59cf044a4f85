import { describe, expect, it } from "vitest";
import { ts } from "ts-morph";
import { CacheFormatError, flatTable, GraphDecoder, GraphEncoder, nodeLookup, type Entry, type Ref, type Table } from "../../src/cache/graph-codec.js";
import { makeSummary, type Summary } from "../../src/dataflow/summary.js";
import type { Value } from "../../src/dataflow/value.js";
import { parseSource } from "../../src/workspace/program.js";

// An entry's graph decoded a second time over other parses of some of its files (the base of an update review after
// its head, the same entry) keeps the first decoding's objects wherever they reach no node of those files, and decodes
// the rest anew: the result must be what a decoding from scratch gives.

const A = `export function a(x: string) {\n  return x.trim();\n}\n`;
const B = `export function b(y: string) {\n  console.log(y);\n}\n`;

/** The node lookup over these parses (undefined: a file changed since the entry). */
function lookupOver(files: (ts.SourceFile | undefined)[]) {
  return nodeLookup(files.map((sourceFile) => (sourceFile === undefined ? undefined : { path: sourceFile.fileName, sourceFile })));
}

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
    const entries = JSON.parse(JSON.stringify(flatTable(encoder.entries))) as ReturnType<typeof flatTable>;

    // the head: b.ts changed, so its nodes are not found
    const head = new GraphDecoder(entries, lookupOver([a, undefined]));
    expect(refs.map((r) => head.get(r).stale)).toEqual([false, true, true]);

    // the base: b.ts is found again in its own parse
    const bAgain = parseSource("/p/b.ts", B);
    const lookup = lookupOver([a, bAgain]);
    const base = new GraphDecoder(entries, lookup, { decoder: head, differs: (file) => file === 1 });
    const fresh = new GraphDecoder(entries, lookupOver([a, bAgain]));
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

// Records are found again by (file, pos, end, kind). Nodes share a span: a statement without its semicolon and its
// expression, an expression statement's call and the call's parenthesised wrapper… The lookup must tell them apart by
// kind, and of equal ones (same span and kind, one inside the other) give the outermost, as the entry was written.
describe("a node found again by span and kind", () => {
  const SHARED = `f(g(x))\nconst y = ((z))\nlet w = a?.b!.c\nexport default (q) => q\n`;

  it("finds every node by its span and kind: itself, or the outermost node of that span and kind around it", () => {
    const sf = parseSource("/p/shared.ts", SHARED);
    const lookup = lookupOver([sf]);
    let shared = 0;
    const visit = (n: ts.Node): void => {
      const found = lookup.node(0, n.pos, n.end, n.kind);
      expect(found).toBeDefined();
      expect([found!.pos, found!.end, found!.kind]).toEqual([n.pos, n.end, n.kind]);
      // the snippet has no decorator: asked for one, no span has it, whatever nodes it has
      expect(lookup.node(0, n.pos, n.end, ts.SyntaxKind.Decorator)).toBeUndefined();
      let outer: ts.Node = n;
      while (outer.parent !== undefined && outer.parent.pos === n.pos && outer.parent.end === n.end) {
        if (outer.parent.kind !== n.kind) shared++;
        outer = outer.parent;
      }
      // no node of the same span and kind lies further out than the one found
      for (let p: ts.Node | undefined = n; p !== undefined; p = p.parent) if (p.pos === n.pos && p.end === n.end && p.kind === n.kind) expect(found).toBe(p);
      ts.forEachChild(n, visit);
    };
    visit(sf);
    // the snippet has nodes that share a span with another kind of node, else the test would prove nothing
    expect(shared).toBeGreaterThan(3);
  });

  it("finds nothing for a span with no node of that kind, no node at all, or in a file not found again", () => {
    const sf = parseSource("/p/shared.ts", SHARED);
    const lookup = lookupOver([sf]);
    const call = firstCall(sf) as ts.CallExpression;
    expect(lookup.node(0, call.pos, call.end, ts.SyntaxKind.ExpressionStatement)).toBe(call.parent);
    expect(lookup.node(0, call.pos, call.end, ts.SyntaxKind.ClassDeclaration)).toBeUndefined();
    expect(lookup.node(0, call.pos, call.end - 1, ts.SyntaxKind.CallExpression)).toBeUndefined();
    expect(lookup.node(1, call.pos, call.end, ts.SyntaxKind.CallExpression)).toBeUndefined();
  });
});

// A cached scan finds a few thousand nodes in files of hundreds of thousands: a lookup looks at the path down to its
// node, not at every node of the file; a file asked about all its nodes costs a bounded multiple of one walk of it.
describe("a node found again without walking its whole file", () => {
  const MANY = Array.from({ length: 300 }, (_, i) => `export function f${i}(p: { id: string }) {\n  return send(p.id, [${i}, "x"]);\n}\n`).join("");

  function allNodes(sf: ts.SourceFile): ts.Node[] {
    const out: ts.Node[] = [];
    const visit = (n: ts.Node): void => {
      out.push(n);
      ts.forEachChild(n, visit);
    };
    visit(sf);
    return out;
  }

  it("finds a node of a large file looking at a small part of it", () => {
    const sf = parseSource("/p/many.ts", MANY);
    const nodes = allNodes(sf);
    const call = nodes.filter((n) => ts.isCallExpression(n))[150]!;
    const lookup = lookupOver([sf]);
    expect(lookup.node(0, call.pos, call.end, call.kind)).toBe(call);
    expect(lookup.visited()).toBeGreaterThan(0);
    expect(lookup.visited()).toBeLessThan(nodes.length / 10);
  });

  it("asked for every node of the file, finds each and looks at no more than a few walks' worth", () => {
    const sf = parseSource("/p/many.ts", MANY);
    const nodes = allNodes(sf);
    const lookup = lookupOver([sf]);
    for (const n of nodes) {
      const found = lookup.node(0, n.pos, n.end, n.kind)!;
      expect([found.pos, found.end, found.kind]).toEqual([n.pos, n.end, n.kind]);
    }
    expect(lookup.visited()).toBeLessThan(nodes.length * 6);
  });
});

// A cached review uses the summaries of the few functions its redone code calls, and summaries are most of an entry's
// objects: the decoder builds an object when it is first used, a summary's parts when the summary is read. What a
// record's status depends on — whether anything under it is stale — and whether the table is well formed are known
// before anything is built.
describe("an entry's objects built on first use", () => {
  function encoded() {
    const a = parseSource("/p/a.ts", A);
    const b = parseSource("/p/b.ts", B);
    const files = [a, b];
    const encoder = new GraphEncoder({ indexOf: (sf) => (files.indexOf(sf) < 0 ? undefined : files.indexOf(sf)) });
    const part = (sf: ts.SourceFile, message: string) => ({ site: firstCall(sf), message, steps: [1, 2, 3] }) as unknown as Value;
    const ofA = makeSummary(part(a, "returned"), new Map([["p0", part(a, "written")]]), [], []);
    const ofB = makeSummary(part(b, "returned"), new Map(), [], []);
    const refs = [encoder.ref(ofA), encoder.ref(ofB)];
    return { a, refs, entries: JSON.parse(JSON.stringify(encoder.entries)) as Entry[] };
  }

  it("knows which summaries are stale and builds only the one read, its parts when they are read", () => {
    const { a, refs, entries } = encoded();
    // b.ts changed: its nodes are not found
    const decoder = new GraphDecoder(flatTable(entries), lookupOver([a, undefined]));
    // nothing is built up front, not even the syntax nodes: which are stale follows from which files are parsed
    expect(decoder.built()).toBe(0);
    expect(refs.map((r) => decoder.isStale(r))).toEqual([false, true]);
    expect(decoder.built()).toBe(0);

    const summary = decoder.get(refs[0]!).value as Summary;
    expect(decoder.built()).toBe(1);
    const returns = summary.returns as unknown as { site: ts.Node; message: string; steps: number[] };
    expect(returns.message).toBe("returned");
    expect(returns.site).toBe(firstCall(a));
    expect((summary.effects.get("p0") as unknown as { message: string }).message).toBe("written");
    // the other summary's objects were never built
    expect(decoder.built()).toBeLessThan(entries.length - 3);
    // what it decodes to is what the encoder was given: encoded again, the same table
    const again = new GraphEncoder({ indexOf: (sf) => (sf === a ? 0 : undefined) });
    again.ref(summary);
    expect(again.entries.filter((e) => e[0] === "Y")).toHaveLength(1);
  });

  it("refuses a node its unchanged file does not have when the node is built", () => {
    const { a, refs, entries } = encoded();
    // a.ts is parsed as written, so its nodes are not stale; one moved past the file's end is not an entry flowgate wrote
    const moved = entries.map((e) => (e[0] === "N" && e[1] === 0 ? ["N", 0, (e[2] as number) + 1000, (e[3] as number) + 1000, e[4]!] : e));
    const decoder = new GraphDecoder(flatTable(moved), lookupOver([a, undefined]));
    expect(decoder.isStale(refs[0]!)).toBe(false);
    const summary = decoder.get(refs[0]!).value as Summary;
    expect(() => summary.returns).toThrow(CacheFormatError);
  });

  it("refuses a malformed table before anything is built from it", () => {
    const { a, refs, entries } = encoded();
    const summary = entries[refs[1] as number]!;
    // a part of the summary no one would read refers past the table
    const broken = entries.map((e) => (e === summary ? ["Y", entries.length + 5, ...e.slice(2)] : e));
    expect(() => new GraphDecoder(flatTable(broken), lookupOver([a, undefined]))).toThrow(CacheFormatError);
    const unknown = entries.map((e) => (e === summary ? ["?", ...e.slice(1)] : e));
    expect(() => new GraphDecoder(flatTable(unknown), lookupOver([a, undefined]))).toThrow(CacheFormatError);
  });

  it("refuses a table whose lengths do not cut its items into entries", () => {
    const { a, entries } = encoded();
    const table = flatTable(entries);
    const lookup = lookupOver([a, undefined]);
    expect(() => new GraphDecoder(table, lookup)).not.toThrow();
    const decode = (rewrite: (t: Table) => unknown) => () => new GraphDecoder(rewrite(JSON.parse(JSON.stringify(table)) as Table) as Table, lookup);
    // one entry longer than written: the entries run past the items
    expect(decode((t) => ((t.lengths[t.lengths.length - 1]! += 1), t))).toThrow(/run past/);
    // one entry shorter: an item left over, and every later entry shifted
    expect(decode((t) => ((t.lengths[t.lengths.length - 1]! -= 1), t))).toThrow(/not its entries'/);
    // an empty entry (no tag), a length that is no count, no lengths at all, the old list of lists
    expect(decode((t) => (t.lengths.splice(1, 0, 0), t))).toThrow(/not a count/);
    expect(decode((t) => ((t.lengths[0] = 1.5), t))).toThrow(/not a count/);
    expect(decode((t) => ({ items: t.items }))).toThrow(/not a table/);
    expect(decode(() => entries)).toThrow(/not a table/);
    // lengths that cut the items elsewhere: an entry starts at an item that is no tag
    const shifted = JSON.parse(JSON.stringify(table)) as Table;
    const k = shifted.lengths.findIndex((n, i) => n > 2 && i + 1 < shifted.lengths.length);
    shifted.lengths[k]! -= 1;
    shifted.lengths[k + 1]! += 1;
    expect(() => new GraphDecoder(shifted, lookup)).toThrow(CacheFormatError);
  });

  it("decodes again over an earlier decoding of the very table only, not of an equal copy", () => {
    const { a, entries } = encoded();
    const table = flatTable(entries);
    const head = new GraphDecoder(table, lookupOver([a, undefined]));
    const copy = JSON.parse(JSON.stringify(table)) as Table;
    // the base trusts the head's check of the table's form: a copy could differ from what was checked
    expect(() => new GraphDecoder(copy, lookupOver([a, undefined]), { decoder: head, differs: () => false })).toThrow(/another table/);
    expect(() => new GraphDecoder(table, lookupOver([a, undefined]), { decoder: head, differs: () => false })).not.toThrow();
  });
});
