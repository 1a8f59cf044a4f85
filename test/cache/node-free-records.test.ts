import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scan } from "../../src/scan.js";
import { readSealed } from "../../src/cache/seal.js";
import type { EncodedState } from "../../src/cache/state-codec.js";
import { tableEntries, type Entry } from "../../src/cache/graph-codec.js";
import { BASE } from "../diff/support/update-repo.js";
import type { ts } from "ts-morph";
import { ScannedFile } from "../../src/workspace/scanned-file.js";
import type { FunctionRecord } from "../../src/dataflow/context.js";
import { copyRecord, nodeOf, RecordTable, withDeferredNode } from "../../src/dataflow/record-table.js";

// A cached run that redoes nothing needs a file's tree only for what it reports by node. A body's sink calls (egress
// points) and its unresolved calls are reported by place and counted: the entry keeps them without syntax nodes, so
// that reading them back never makes the run find a node (and, later, parse a file) for them — and what the run
// reports from them is what the run without the cache reports.

let root: string;
let scratch: string;

beforeAll(() => {
  scratch = mkdtempSync(path.join(os.tmpdir(), "flowgate-node-free-"));
  root = path.join(scratch, "repo");
  for (const [file, text] of Object.entries(BASE)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  // a call nothing models or resolves (a parameter's method): counted, never located
  writeFileSync(path.join(root, "src/hooks.ts"), `export function fire(hooks: { emit(event: string): void }, event: string) {\n  hooks.emit(event);\n}\n`);
});

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

/** The syntax-node entries an encoded reference reaches in the graph (summaries included). */
function nodesReached(graph: Entry[], ref: unknown): number {
  const seen = new Set<number>();
  const stack = typeof ref === "number" ? [ref] : [];
  let nodes = 0;
  while (stack.length > 0) {
    const i = stack.pop()!;
    if (seen.has(i)) continue;
    seen.add(i);
    const entry = graph[i]!;
    if (entry[0] === "N" || entry[0] === "F") nodes++;
    if (entry[0] === "K" || entry[0] === "s" || entry[0] === "N" || entry[0] === "F") continue;
    for (const r of entry.slice(1)) if (typeof r === "number") stack.push(r);
  }
  return nodes;
}

describe("a record's sink and unresolved calls, kept without their nodes", () => {
  it("are written without syntax nodes, and a run from the entry reports the same egress points and count", async () => {
    const cacheDir = path.join(scratch, "cache");
    const plain = await scan({ root });
    const first = await scan({ root, cache: { dir: cacheDir } });
    const again = await scan({ root, cache: { dir: cacheDir } });
    expect(again.stats.functionsAnalysed).toBe(0);
    expect(plain.egress.length).toBeGreaterThan(0);
    expect(plain.stats.unresolvedCalls).toBeGreaterThan(0);
    for (const result of [first, again]) {
      expect(result.egress).toEqual(plain.egress);
      expect(result.stats.unresolvedCalls).toBe(plain.stats.unresolvedCalls);
    }

    const entryFile = readdirSync(cacheDir).find((n) => n.endsWith(".fgc"))!;
    const state = (JSON.parse(readSealed(path.join(cacheDir, entryFile), undefined)) as { state: EncodedState }).state;
    const graph = tableEntries(state.graph);
    let egress = 0;
    for (const record of state.records) {
      // [9] the egress points, [10] the unresolved calls (state-codec.ts)
      expect(nodesReached(graph, record[9])).toBe(0);
      expect(nodesReached(graph, record[10])).toBe(0);
      if (typeof record[9] === "number" && (graph[record[9]] as Entry).length > 1) egress++;
    }
    expect(egress).toBeGreaterThan(0);
  });
});

describe("a record taken over with its node deferred", () => {
  it("is matched to its function by place when the engine asks for it, without finding the node", () => {
    const file = new ScannedFile("a.ts", "/p/a.ts", `export function a(x: string) {\n  return x;\n}\nexport function b() {}\n`, true);
    const sf = file.sourceFile;
    const [a, b] = sf.statements as unknown as ts.Node[];
    const record = {
      file,
      name: "a.ts#a",
      status: "done",
      notes: [],
    } as unknown as FunctionRecord;
    const deferred = withDeferredNode(record, { pos: a!.pos, end: a!.end, kind: a!.kind }, () => {
      throw new Error("the node was looked up");
    });
    // taken over into a new analysis: copied, and added under its place
    const copy = copyRecord(deferred, { notes: [] });
    const table = new RecordTable();
    table.add(copy);
    expect([...table.values()]).toEqual([copy]);
    expect(table.get(b!)).toBeUndefined();
    expect(table.get(a!)).toBe(copy);
    expect(copy.node).toBe(a);
    expect(table.get(a!)).toBe(copy);
    // the earlier record keeps its own deferral: found by its lookup when asked
    expect(() => nodeOf(deferred)).toThrow("the node was looked up");
  });
});
