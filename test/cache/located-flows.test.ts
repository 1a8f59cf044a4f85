import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { analyze } from "../../src/dataflow/analyze.js";
import { DEFAULT_BUDGETS } from "../../src/dataflow/budgets.js";
import { decodeState, encodeState, type EncodedState } from "../../src/cache/state-codec.js";
import { CacheFormatError, flatTable, tableEntries, type Entry, type Table } from "../../src/cache/graph-codec.js";
import type { Workspace } from "../../src/workspace/workspace.js";
import type { FileRef } from "../../src/dataflow/trace.js";
import { scan } from "../../src/scan.js";
import { memoryWorkspace, testQuestion } from "../support/engine-harness.js";
import { rewriteEntry } from "../support/cache-entry.js";

// The flows of a record a cached run takes over are read by the report alone: their nodes are located by the place the
// entry keeps (file, span, kind and where the first token starts), never found in a tree (src/dataflow/located-node.ts).
// A run with nothing to redo reports every flow, step for step and location for location, as a run without the entry,
// and parses no file for it (nor for the stores' values, built when first read); a place that is not one in its file
// refuses the entry.

const FILES = {
  // a sink argument after a comment and a line break (the location starts at its first token, not at its position),
  // a long trace through a helper in another file, lines ended by CRLF, and a line separator inside a string
  "src/user.ts": `export function phoneOf(u: { phone: string }) {\r\n  const label = "a\u2028b";\r\n  return /* the number */ u.phone + label;\r\n}\r\n`,
  "src/log.ts": `import { phoneOf } from "./user";\nexport function logUser(u: { phone: string }) {\n  const p = phoneOf(u);\n  console.log(\n    // the phone\n    p,\n  );\n}\n`,
  // a module binding (a flow-insensitive store): its value is built only when a redone function reads it (lazy-map.ts)
  "src/other.ts": `let last = "";\nexport const shout = (email: string) => console.info(email);\nexport function remember(email: string) {\n  last = email;\n}\nexport function replay() {\n  console.warn(last);\n}\n`,
};

const pathOf = (ws: Workspace) => (file: FileRef) => ws.files.find((f) => f === file)?.path;

function entryOf(ws: Workspace, state = analyze(ws, testQuestion(ws), DEFAULT_BUDGETS).state): EncodedState {
  return JSON.parse(JSON.stringify(encodeState(state, pathOf(ws)))) as EncodedState;
}

/** A run over the entry's very texts, loaded unparsed (each file parsed when its tree is first read). */
function fromEntry(entry: EncodedState) {
  const ws = memoryWorkspace(FILES, false);
  const prior = decodeState(entry, (p) => ws.files.find((f) => f.path === p)).state;
  const result = analyze(ws, testQuestion(ws), DEFAULT_BUDGETS, undefined, { prior, affectedFiles: new Set(), cutOff: true, sameTree: true });
  return { ws, result, parsed: ws.loaded.filter((f) => f.parsed).map((f) => f.path) };
}

/** The node entries the records' flows reach. */
function flowNodes(entry: EncodedState): Entry[] {
  const seen = new Set<number>();
  const stack = entry.records.map((r) => r[8]).filter((r): r is number => typeof r === "number");
  const nodes: Entry[] = [];
  const graph = tableEntries(entry.graph);
  while (stack.length > 0) {
    const i = stack.pop()!;
    if (seen.has(i)) continue;
    seen.add(i);
    const e = graph[i]!;
    if (e[0] === "N") nodes.push(e);
    if (e[0] === "K" || e[0] === "s" || e[0] === "N" || e[0] === "F" || e[0] === "Y") continue;
    for (const r of e.slice(1)) if (typeof r === "number") stack.push(r);
  }
  return nodes;
}

describe("the flows of records taken over, their nodes located", () => {
  const full = (() => {
    const ws = memoryWorkspace(FILES);
    return { ws, result: analyze(ws, testQuestion(ws), DEFAULT_BUDGETS) };
  })();

  it("give the same flows, steps and locations as a run without the entry, and parse no file", () => {
    expect(full.result.flows.length).toBeGreaterThan(1);
    expect(full.result.flows.some((f) => f.steps.length > 3)).toBe(true);
    expect(full.result.flows.some((f) => f.sink.label.includes("warn"))).toBe(true);
    expect(full.result.state.store.size).toBeGreaterThan(0);
    const { result, parsed } = fromEntry(entryOf(full.ws, full.result.state));
    expect(result.stats.functionsAnalysed).toBe(0);
    expect(result.flows).toEqual(full.result.flows);
    expect(parsed).toEqual([]);
  });

  it("and their egress points: a hit's base-URL expressions are located, so the report parses no file for them", () => {
    // a sink's hit keeps the expressions its destination is resolved from (`axios.create({ baseURL })`'s): the report
    // reads none of them, and found as nodes they parsed the record's file (jackson's review: oidc-client.ts)
    const logUser = [...full.result.state.records.values()].find((r) => r.name.endsWith("#logUser"))!;
    const [span, point] = [...logUser.egress][0]!;
    const sf = logUser.file.sourceFile;
    const base = sf.statements[1]!;
    const egress = logUser.egress;
    logUser.egress = new Map(egress).set(span, { ...point, hit: { ...point.hit, destination: { base: [base] } } as typeof point.hit });
    let entry: EncodedState;
    try {
      entry = entryOf(full.ws, full.result.state);
    } finally {
      logUser.egress = egress;
    }
    expect(JSON.stringify(entry.graph.items)).toContain(JSON.stringify(["N", entry.files.indexOf("src/log.ts"), base.pos, base.end, base.kind, base.getStart(sf)]).slice(1, -1));
    const { result, parsed } = fromEntry(entry);
    expect(result.egress).toEqual(full.result.egress);
    expect(parsed).toEqual([]);
  });

  it("keep their places in the run's own entry, which serves as well", () => {
    const first = fromEntry(entryOf(full.ws, full.result.state));
    const again = fromEntry(entryOf(first.ws, first.result.state));
    expect(again.result.flows).toEqual(full.result.flows);
    expect(again.parsed).toEqual([]);
  });

  it("are refused when a place is not one in its file: a start out of the node's span, or a span past the file's end", () => {
    const entry = entryOf(full.ws, full.result.state);
    const nodes = flowNodes(entry);
    expect(nodes.length).toBeGreaterThan(0);
    // every node of a flow is written with its start, in its span
    for (const n of nodes) expect(n.length === 6 && (n[2] as number) <= (n[5] as number) && (n[5] as number) <= (n[3] as number)).toBe(true);
    const ws = memoryWorkspace(FILES, false);
    const files = (p: string) => ws.files.find((f) => f.path === p);
    const rewritten = (change: (node: Entry) => void) => {
      const copy = JSON.parse(JSON.stringify(entry)) as EncodedState;
      const graph = tableEntries(copy.graph);
      const i = graph.findIndex((e) => JSON.stringify(e) === JSON.stringify(nodes[0]));
      change(graph[i]!);
      copy.graph = flatTable(graph);
      return copy;
    };
    expect(() => decodeState(rewritten((n) => (n[5] = (n[3] as number) + 1)), files)).toThrow(CacheFormatError);
    expect(() => decodeState(rewritten((n) => (n[5] = (n[2] as number) - 1)), files)).toThrow(CacheFormatError);
    expect(() => decodeState(rewritten((n) => (n[5] = "1")), files)).toThrow(CacheFormatError);
    expect(() => decodeState(rewritten((n) => n.push(0)), files)).toThrow(CacheFormatError);
    expect(() => decodeState(rewritten((n) => ((n[3] = 1_000_000), (n[5] = 999_999))), files)).toThrow(CacheFormatError);
    // the entry as written decodes
    expect(() => decodeState(entry, files)).not.toThrow();
  });
});

describe("a scan from an entry whose located node is not in its place", () => {
  const scratch = mkdtempSync(path.join(os.tmpdir(), "flowgate-located-"));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it("ignores the entry with a note and reports what a scan without the cache reports", async () => {
    const root = path.join(scratch, "repo");
    for (const [file, text] of Object.entries(FILES)) {
      mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      writeFileSync(path.join(root, file), text);
    }
    const cacheDir = path.join(scratch, "cache");
    const plain = await scan({ root });
    await scan({ root, cache: { dir: cacheDir } });
    const again = await scan({ root, cache: { dir: cacheDir } });
    expect(again.stats.functionsAnalysed).toBe(0);
    expect(plain.findings.length).toBeGreaterThan(1);
    expect(again.findings).toEqual(plain.findings);

    // a node's start moved out of its span, the checksum made to match again (what writing the cache folder can do)
    rewriteEntry<{ state: EncodedState }>(cacheDir, (body) => {
      const node = flowNodes(body.state)[0]!;
      const graph = tableEntries(body.state.graph);
      const i = graph.findIndex((e) => JSON.stringify(e) === JSON.stringify(node));
      graph[i]![5] = (node[3] as number) + 1;
      body.state.graph = flatTable(graph);
    });

    const tampered = await scan({ root, cache: { dir: cacheDir, readOnly: true } });
    expect(tampered.notifications.find((n) => n.id === "analysis-cache-ignored")?.message).toMatch(/start is not in its span/);
    expect(tampered.findings).toEqual(plain.findings);
    expect(tampered.stats.functionsAnalysed).toBe(plain.stats.functionsAnalysed);
  });
  // the graph is one list of items cut into entries by their lengths (graph-codec.ts `Table`): lengths that do not cut
  // the items, or the graph written as a list of entries (the form before format 17), refuse the entry
  it("ignores with a note an entry whose graph's lengths do not cut its items, or a graph of lists", async () => {
    const root = path.join(scratch, "repo-table");
    for (const [file, text] of Object.entries(FILES)) {
      mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      writeFileSync(path.join(root, file), text);
    }
    const plain = await scan({ root });
    for (const [name, rewrite, note] of [
      ["lengths", (graph: Table) => (graph.lengths[0]! += 1), /entries run past|not a tagged list|out of range|does not match/],
      ["lists", (graph: Table) => ((graph as unknown as { lengths?: unknown }).lengths = undefined), /not a table/],
    ] as const) {
      const cacheDir = path.join(scratch, `cache-${name}`);
      await scan({ root, cache: { dir: cacheDir } });
      rewriteEntry<{ state: EncodedState }>(cacheDir, (body) => rewrite(body.state.graph));
      const tampered = await scan({ root, cache: { dir: cacheDir, readOnly: true } });
      expect(tampered.notifications.find((n) => n.id === "analysis-cache-ignored")?.message).toMatch(note);
      expect(tampered.findings).toEqual(plain.findings);
      expect(tampered.stats.functionsAnalysed).toBe(plain.stats.functionsAnalysed);
    }
  });
});
