import { describe, expect, it } from "vitest";
import { analyze } from "../../src/dataflow/analyze.js";
import { DEFAULT_BUDGETS } from "../../src/dataflow/budgets.js";
import { decodeState, encodeState, type EncodedState } from "../../src/cache/state-codec.js";
import { tableEntries } from "../../src/cache/graph-codec.js";
import type { Workspace } from "../../src/workspace/workspace.js";
import type { FileRef } from "../../src/dataflow/trace.js";
import { memoryWorkspace, testQuestion } from "../support/engine-harness.js";

// What a cache entry writes of each record's results (state-codec.ts). Of its flows, only those the report can pick
// (analyze.ts candidateFlows): of the flows of one data class and fact key at one sink site, the first with the
// shortest trace — a caller that hands one source to a callee's sink by several calls holds a flow per call, of which
// the report keeps the shortest —, and the other paths the report can show (a call through another file). An empty list of flows, egress points, unresolved calls or notes is written null, not
// as an entry of the graph. A run from the entry reports the same flows, trace for trace, and the same egress points
// as the run that wrote it.

const FILES = {
  "src/log.ts": `export function logIt(v: string) {\n  console.log(v);\n}\n`,
  // one origin (u.phone) reaches log.ts's console.log by three calls, the second and third by longer ways; the e-mail once
  "src/report.ts": `import { logIt } from "./log";\nexport function report(u: { phone: string; email: string }) {\n  const p = u.phone;\n  logIt(p);\n  const q = p;\n  logIt(q);\n  const r = q;\n  logIt(r);\n  logIt(u.email);\n}\n`,
};

const pathOf = (ws: Workspace) => (file: FileRef) => ws.files.find((f) => f === file)?.path;

/** How many flows the entry's records hold. */
function flowsWritten(entry: EncodedState): number {
  const graph = tableEntries(entry.graph);
  let count = 0;
  for (const r of entry.records) if (typeof r[8] === "number") count += graph[r[8]]!.length - 1;
  return count;
}

describe("a record's results as a cache entry writes them", () => {
  it("are the ones the report can pick: a run from the entry reports the same flows, trace for trace", () => {
    const ws = memoryWorkspace(FILES);
    const full = analyze(ws, testQuestion(ws), DEFAULT_BUDGETS);
    const held = [...full.state.records.values()].reduce((n, r) => n + r.flows.length, 0);
    const entry = JSON.parse(JSON.stringify(encodeState(full.state, pathOf(ws)))) as EncodedState;
    expect(full.flows.length).toBeGreaterThan(1);
    expect(flowsWritten(entry)).toBeLessThan(held);
    // log.ts's top level found nothing: its lists are not entries of the graph
    expect(entry.records.some((r) => r[8] === null && r[9] === null && r[10] === null && r[11] === null)).toBe(true);
    const again = memoryWorkspace(FILES, false);
    const prior = decodeState(entry, (p) => again.files.find((f) => f.path === p)).state;
    const result = analyze(again, testQuestion(again), DEFAULT_BUDGETS, undefined, { prior, affectedFiles: new Set(), cutOff: true, sameTree: true });
    expect(result.stats.functionsAnalysed).toBe(0);
    expect(result.flows).toEqual(full.flows);
    expect(result.egress).toEqual(full.egress);
  });

  it("keep each other path the report can show: one origin through a wrapper's two callers in two files", () => {
    const files = {
      "src/log.ts": `export function logIt(v: string) {\n  console.log(v);\n}\n`,
      "src/a.ts": `import { logIt } from "./log";\nexport function viaA(p: string) {\n  logIt(p);\n}\n`,
      "src/b.ts": `import { logIt } from "./log";\nexport function viaB(p: string) {\n  const x = p;\n  const y = x;\n  logIt(y);\n}\n`,
      "src/report.ts": `import { viaA } from "./a";\nimport { viaB } from "./b";\nexport function report(u: { phone: string }) {\n  const p = u.phone;\n  viaA(p);\n  viaB(p);\n  viaB(p);\n}\n`,
    };
    const ws = memoryWorkspace(files);
    const full = analyze(ws, testQuestion(ws), DEFAULT_BUDGETS);
    expect(full.flows.map((f) => f.otherPaths?.map((steps) => [...new Set(steps.map((s) => s.location.file))]))).toEqual([[["src/report.ts", "src/b.ts", "src/log.ts"]]]);
    const entry = JSON.parse(JSON.stringify(encodeState(full.state, pathOf(ws)))) as EncodedState;
    // the second call through b.ts is the same way out: not written
    expect(flowsWritten(entry)).toBe(2);
    const again = memoryWorkspace(files, false);
    const prior = decodeState(entry, (p) => again.files.find((f) => f.path === p)).state;
    const result = analyze(again, testQuestion(again), DEFAULT_BUDGETS, undefined, { prior, affectedFiles: new Set(), cutOff: true, sameTree: true });
    expect(result.stats.functionsAnalysed).toBe(0);
    expect(result.flows).toEqual(full.flows);
  });
});
