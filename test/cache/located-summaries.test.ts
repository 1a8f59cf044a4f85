import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { analyze } from "../../src/dataflow/analyze.js";
import { DEFAULT_BUDGETS } from "../../src/dataflow/budgets.js";
import { decodeState, encodeState, type EncodedState } from "../../src/cache/state-codec.js";
import { CacheFormatError, flatTable, tableEntries, type Entry } from "../../src/cache/graph-codec.js";
import { LocatedNode } from "../../src/dataflow/located-node.js";
import { stepsOf, type FileRef } from "../../src/dataflow/trace.js";
import type { Workspace } from "../../src/workspace/workspace.js";
import { scan } from "../../src/scan.js";
import { backReferenceFactsMemo } from "../../src/dataflow/back-references.js";
import { InternalErrors } from "../../src/internal-errors.js";
import { memoryWorkspace, testQuestion } from "../support/engine-harness.js";
import { rewriteEntry } from "../support/cache-entry.js";
import { removeTree, writeTree } from "../support/temp-tree.js";

// A function a cached run analyses again reads its callees' summaries from the entry, and those summaries' traces,
// source origins and sink sites name nodes of files the run need not read: the callees' callees (jackson's review parsed
// 23 files for nothing else). The engine reads those nodes only for their place — a fact's key is its origin's span, a
// sink site's key its argument's span, a trace step is shown by its location — so they are built located
// (src/cache/graph-codec.ts `locatesAt`), and the flows found through them are the flows of a run without the entry,
// step for step. A place that is not one in its file refuses the entry when it is read, not when the engine meets it.

const FILES = {
  // the source and its steps: in a file the changed one reaches only through user.ts's summary
  "src/profile.ts": `export function fromProfile(p: { phone: string }) {\n  const number = p.phone;\n  return number;\n}\n`,
  "src/user.ts": `import { fromProfile } from "./profile";\nexport function phoneOf(u: { profile: { phone: string } }) {\n  return fromProfile(u.profile);\n}\n`,
  // the sink: in a file the changed one reaches only through send.ts's summary
  "src/emit.ts": `export function emit(payload: string) {\n  console.log(\n    // what is sent\n    payload,\n  );\n}\n`,
  "src/send.ts": `import { emit } from "./emit";\nexport function post(body: unknown) {\n  const text = JSON.stringify(body);\n  emit(text);\n}\n`,
  "src/log.ts": `import { phoneOf } from "./user";\nimport { post } from "./send";\nexport function logUser(u: { profile: { phone: string } }) {\n  post(phoneOf(u));\n}\n`,
};
const CHANGED = { ...FILES, "src/log.ts": FILES["src/log.ts"].replace("  post(", "  const at = Date.now();\n  post(") };

const pathOf = (ws: Workspace) => (file: FileRef) => ws.files.find((f) => f === file)?.path;
const run = (ws: Workspace) => analyze(ws, testQuestion(ws), DEFAULT_BUDGETS);

function entryOfFull(): EncodedState {
  const ws = memoryWorkspace(FILES);
  return JSON.parse(JSON.stringify(encodeState(run(ws).state, pathOf(ws)))) as EncodedState;
}

/** The files whose tree (their statements) is read from now on (the program, made first, has read every file's). */
function treesRead(ws: Workspace): Set<string> {
  ws.checker();
  const read = new Set<string>();
  for (const f of ws.files) {
    const statements = f.sourceFile.statements;
    Object.defineProperty(f.sourceFile, "statements", { configurable: true, get: () => (read.add(f.path), statements) });
  }
  return read;
}

/** The changed tree analysed from the base's entry: log.ts changed, its function analysed again. */
function fromEntry(entry: EncodedState) {
  const ws = memoryWorkspace(CHANGED);
  // each file's back-reference facts known, as a cached run takes them from the entry (back-references.ts)
  const facts = backReferenceFactsMemo();
  for (const f of ws.files) facts(f);
  const read = treesRead(ws);
  const prior = decodeState(entry, (p) => (p === "src/log.ts" ? undefined : ws.files.find((f) => f.path === p))).state;
  const reuse = { prior, affectedFiles: new Set(["src/log.ts"]), cutOff: true, sameTree: false };
  const result = analyze(ws, testQuestion(ws), DEFAULT_BUDGETS, undefined, reuse, new InternalErrors(), facts);
  return { ws, result, read };
}

/** The node entries (with their starts) of `file` in the entry. */
function nodesOf(entry: EncodedState, file: string): Entry[] {
  const index = entry.files.indexOf(file);
  return tableEntries(entry.graph).filter((e) => e[0] === "N" && e[1] === index && e.length === 6);
}

describe("summaries read from the entry, their steps, origins and sink sites located", () => {
  const plain = run(memoryWorkspace(CHANGED));

  it("give the redone function the flows of a run without the entry, reading no tree of the files only they name", () => {
    const { result, read } = fromEntry(entryOfFull());
    // logUser and its file's top level; the four callees taken over
    expect(result.stats.functionsAnalysed).toBe(2);
    expect(plain.flows.length).toBe(1);
    expect(result.flows).toEqual(plain.flows);
    const [flow] = plain.flows;
    expect(flow!.source.location.file).toBe("src/profile.ts");
    expect(flow!.sink.location.file).toBe("src/emit.ts");
    expect(flow!.steps.map((s) => s.location.file)).toEqual(expect.arrayContaining(["src/profile.ts", "src/user.ts", "src/send.ts", "src/emit.ts", "src/log.ts"]));
    // the redone record's flow holds the entry's places where the summaries had them
    const logUser = [...result.state.records.values()].find((r) => r.name.endsWith("#logUser"))!;
    const [found] = logUser.flows;
    expect(found!.fact.origin.node).toBeInstanceOf(LocatedNode);
    expect(found!.site.argument).toBeInstanceOf(LocatedNode);
    expect(stepsOf(found!.step).some((s) => s.node instanceof LocatedNode && s.file.path === "src/profile.ts")).toBe(true);
    // the files the changed one reaches only through summaries: no tree read (log.ts's, user.ts's and send.ts's are
    // read by the redone function and the checker's answers about its calls)
    expect(read.has("src/profile.ts")).toBe(false);
    expect(read.has("src/emit.ts")).toBe(false);
    expect(read.has("src/log.ts")).toBe(true);
  });

  it("are written to the run's own entry as they were read, and serve a run from it as well", () => {
    const first = fromEntry(entryOfFull());
    const entry = JSON.parse(JSON.stringify(encodeState(first.result.state, pathOf(first.ws)))) as EncodedState;
    // the located nodes written with their starts: the same places as the base's entry wrote for the two files
    const written = nodesOf(entry, "src/profile.ts").map((n) => n.slice(2));
    expect(written.length).toBeGreaterThan(0);
    expect(nodesOf(entryOfFull(), "src/profile.ts").map((n) => n.slice(2))).toEqual(expect.arrayContaining(written));
    const ws = memoryWorkspace(CHANGED);
    const prior = decodeState(entry, (p) => ws.files.find((f) => f.path === p)).state;
    const again = analyze(ws, testQuestion(ws), DEFAULT_BUDGETS, undefined, { prior, affectedFiles: new Set(), cutOff: true, sameTree: true });
    expect(again.stats.functionsAnalysed).toBe(0);
    expect(again.flows).toEqual(plain.flows);
  });

  it("are refused when a place of a summary is not one in its file, when the entry is read", () => {
    const entry = entryOfFull();
    const nodes = nodesOf(entry, "src/profile.ts");
    expect(nodes.length).toBeGreaterThan(0);
    const ws = memoryWorkspace(CHANGED);
    const files = (p: string) => (p === "src/log.ts" ? undefined : ws.files.find((f) => f.path === p));
    const rewritten = (change: (node: Entry) => void) => {
      const copy = JSON.parse(JSON.stringify(entry)) as EncodedState;
      const graph = tableEntries(copy.graph);
      for (const e of graph) if (e[0] === "N" && JSON.stringify(e) === JSON.stringify(nodes[0])) change(e);
      copy.graph = flatTable(graph);
      return copy;
    };
    expect(() => decodeState(rewritten((n) => ((n[3] = FILES["src/profile.ts"].length + 1), (n[5] = n[3]))), files)).toThrow(/span is not in its file/);
    expect(() => decodeState(rewritten((n) => (n[5] = (n[3] as number) + 1)), files)).toThrow(CacheFormatError);
    expect(() => decodeState(entry, files)).not.toThrow();
  });
});

describe("a scan from an entry whose summary names a place past its file's end", () => {
  const root = writeTree(FILES, "flowgate-located-summaries-");
  const cacheDir = path.join(root, ".cache");
  afterAll(() => removeTree(root));

  it("ignores the entry with a note and reports what a scan without the cache reports", async () => {
    await scan({ root, cache: { dir: cacheDir } });
    writeFileSync(path.join(root, "src/log.ts"), CHANGED["src/log.ts"]);
    const plainScan = await scan({ root });
    expect(plainScan.findings.length).toBe(1);
    const cached = await scan({ root, cache: { dir: cacheDir, readOnly: true } });
    expect(cached.stats.functionsAnalysed).toBeLessThan(plainScan.stats.functionsAnalysed);
    expect(cached.findings).toEqual(plainScan.findings);

    // every node of profile.ts (which only summaries name) moved past the file's end, the checksum made to match again
    rewriteEntry<{ state: EncodedState }>(cacheDir, (body) => {
      const index = body.state.files.indexOf("src/profile.ts");
      const graph = tableEntries(body.state.graph);
      const nodes = graph.filter((e) => e[0] === "N" && e[1] === index && e.length === 6);
      expect(nodes.length).toBeGreaterThan(0);
      for (const n of nodes) n[3] = n[5] = FILES["src/profile.ts"].length + 10;
      body.state.graph = flatTable(graph);
    });

    const tampered = await scan({ root, cache: { dir: cacheDir, readOnly: true } });
    expect(tampered.notifications.find((n) => n.id === "analysis-cache-ignored")?.message).toMatch(/span is not in its file/);
    expect(tampered.findings).toEqual(plainScan.findings);
    expect(tampered.stats.functionsAnalysed).toBe(plainScan.stats.functionsAnalysed);
  });
});
