import { describe, expect, it } from "vitest";
import { ts } from "ts-morph";
import { analyze } from "../../src/dataflow/analyze.js";
import { DEFAULT_BUDGETS } from "../../src/dataflow/budgets.js";
import { decodeState, encodeState, type EncodedState } from "../../src/cache/state-codec.js";
import { CacheFormatError } from "../../src/cache/graph-codec.js";
import type { Workspace } from "../../src/workspace/workspace.js";
import type { FileRef } from "../../src/dataflow/trace.js";
import { flowLines, memoryWorkspace, testQuestion } from "../support/engine-harness.js";

// A cached run finds a file's functions in the entry's list instead of a walk of its tree, and takes each one's record
// over by place: a file with nothing to redo is neither walked nor are its functions' nodes found, which is what lets
// such a run leave the file unparsed. What it reports is what a run without the entry reports.

const FILES = {
  "src/user.ts": `export function phoneOf(u: { phone: string }) {\n  return u.phone;\n}\nexport class Box {\n  private text = "";\n  set label(v: string) {\n    this.text = v;\n  }\n}\n`,
  "src/log.ts": `import { phoneOf } from "./user";\nexport function logUser(u: { phone: string }) {\n  console.log(phoneOf(u));\n}\n`,
  "src/other.ts": `export function helper(x: string) {\n  return x.trim();\n}\nexport const shout = (email: string) => console.info(email);\n`,
};

const pathOf = (ws: Workspace) => (file: FileRef) => ws.files.find((f) => f === file)?.path;
const run = (ws: Workspace) => analyze(ws, testQuestion(ws), DEFAULT_BUDGETS);

/** The entry of a full analysis of `files`, as JSON gives it back. */
function entryOfFull(files: Record<string, string> = FILES): EncodedState {
  const ws = memoryWorkspace(files);
  return JSON.parse(JSON.stringify(encodeState(run(ws).state, pathOf(ws)))) as EncodedState;
}

/** The files whose tree (their statements) is read from now on. */
function treesRead(ws: Workspace): Set<string> {
  const read = new Set<string>();
  for (const f of ws.files) {
    const statements = f.sourceFile.statements;
    Object.defineProperty(f.sourceFile, "statements", { configurable: true, get: () => (read.add(f.path), statements) });
  }
  return read;
}

/**
 * A run over `files` (a new parse, as in a new process) starting from `entry`; `changed` files parsed from other texts,
 * none: the entry's very tree (`sameTree`, as the analysis cache says it).
 */
function fromEntry(entry: EncodedState, files: Record<string, string>, changed: string[] = []) {
  const ws = memoryWorkspace(files);
  const read = treesRead(ws);
  const prior = decodeState(entry, (p) => (changed.includes(p) ? undefined : ws.files.find((f) => f.path === p))).state;
  const result = analyze(ws, testQuestion(ws), DEFAULT_BUDGETS, undefined, { prior, affectedFiles: new Set(changed), cutOff: true, sameTree: changed.length === 0 });
  // the records of functions (not files' top levels) whose node the run found
  const found = new Set<string>();
  let deferred = 0;
  for (const r of result.state.records.values()) {
    if (r.node === undefined) deferred++;
    else if (r.node.kind !== ts.SyntaxKind.SourceFile) found.add(r.file.path);
  }
  return { ws, result, found, deferred, read };
}

describe("function lists in the cache entry", () => {
  it("take a run with nothing to redo over without walking a file or finding a function's node", () => {
    const entry = entryOfFull();
    expect(entry.functions.map(([file]) => entry.files[file]).sort()).toEqual(["src/log.ts", "src/other.ts", "src/user.ts"]);
    const { ws, result, found, deferred } = fromEntry(entry, FILES);
    // the setter's name came from the list too: with another set of setter names nothing would be taken over
    expect(result.stats.functionsAnalysed).toBe(0);
    expect(found).toEqual(new Set());
    // the five functions' records, and the three files' top levels (taken over by place as well)
    expect(deferred).toBe(8);
    expect(flowLines(result)).toEqual(flowLines(run(memoryWorkspace(FILES))));
    expect(flowLines(result).length).toBeGreaterThan(0);

    // its own entry (a run that writes) keeps the records by their places, still not found, and serves as well
    const next = fromEntry(JSON.parse(JSON.stringify(encodeState(result.state, pathOf(ws)))) as EncodedState, FILES);
    expect(found).toEqual(new Set());
    expect(next.result.stats.functionsAnalysed).toBe(0);
    expect(next.found).toEqual(new Set());
    expect(flowLines(next.result)).toEqual(flowLines(result));
  });

  it("with the back-references the entry's, a run over its very texts reads no tree", () => {
    // a file no flow runs through, with an assignment to a member (what the back-references are read from)
    const files = { ...FILES, "src/quiet.ts": "export class Counter {\n  count = 0;\n  bump() {\n    this.count = this.count + 1;\n  }\n}\n" };
    const { result, read } = fromEntry(entryOfFull(files), files);
    expect(result.stats.functionsAnalysed).toBe(0);
    // nor for its flows: they are taken over with their nodes located (located-node.ts)
    expect(read).toEqual(new Set());
    expect(flowLines(result)).toEqual(flowLines(run(memoryWorkspace(files))));
  });

  it("let a run over the entry's very texts parse no file", () => {
    // loaded as a run whose parse verdicts are known loads them: each file parsed when its tree is first read
    const files = { ...FILES, "src/quiet.ts": "export class Counter {\n  count = 0;\n  bump() {\n    this.count = this.count + 1;\n  }\n}\n" };
    const entry = entryOfFull(files);
    const ws = memoryWorkspace(files, false);
    const prior = decodeState(entry, (p) => ws.files.find((f) => f.path === p)).state;
    const result = analyze(ws, testQuestion(ws), DEFAULT_BUDGETS, undefined, { prior, affectedFiles: new Set(), cutOff: true, sameTree: true });
    expect(result.stats.functionsAnalysed).toBe(0);
    expect(flowLines(result)).toEqual(flowLines(run(memoryWorkspace(files))));
    // not even the flows' files: their locations come from the places the entry keeps and the files' texts
    expect(ws.loaded.filter((f) => f.parsed).map((f) => f.path)).toEqual([]);
  });

  it("walk only the files with something to redo", () => {
    const files = { ...FILES, "src/other.ts": FILES["src/other.ts"].replace("x.trim()", "x.trim().toLowerCase()") };
    const { result, found } = fromEntry(entryOfFull(), files, ["src/other.ts"]);
    expect(result.stats.functionsAnalysed).toBeGreaterThan(0);
    expect(found).toEqual(new Set(["src/other.ts"]));
    expect(flowLines(result)).toEqual(flowLines(run(memoryWorkspace(files))));
  });

  it("are refused when not in their form, as are back-references", () => {
    const entry = entryOfFull();
    const ws = memoryWorkspace(FILES);
    const files = (p: string) => ws.files.find((f) => f.path === p);
    for (const functions of [undefined, [[0, [1, 2], []]], [[0, [1, 2, "x"], []]], [[99, [], []]]]) {
      expect(() => decodeState({ ...entry, functions } as unknown as EncodedState, files)).toThrow(CacheFormatError);
    }
    // so are back-references that are not triples of names: a run over the entry's tree would place paths by them
    for (const backReferences of [undefined, ["models"], ['["models","teams"]'], [["models", "teams", "context"]]]) {
      expect(() => decodeState({ ...entry, backReferences } as unknown as EncodedState, files)).toThrow(CacheFormatError);
    }
  });
});
