import path from "node:path";
import { describe, expect, it } from "vitest";
import { HeapGuard, STEPS_PER_LOOK } from "../../src/dataflow/heap-guard.js";
import { scan } from "../../src/index.js";
import { renderSarif } from "../../src/report/sarif.js";
import { REPO_ROOT } from "../support/paths.js";
import { removeTree, writeTree } from "../support/temp-tree.js";

const GB = 2 ** 30;

/** A heap the test sets: `used` is what V8 would report, `afterCollection` what a full collection leaves. */
function fakeHeap(used: number, afterCollection: number) {
  const heap = { used, afterCollection, collections: 0 };
  const guard = new HeapGuard(
    0.85,
    4 * GB,
    () => heap.used,
    () => {
      heap.collections++;
      heap.used = heap.afterCollection;
    },
  );
  const run = (analyses: number) => Array.from({ length: analyses }, () => guard.exhausted());
  return { heap, guard, run };
}

describe("HeapGuard", () => {
  it("never collects while the heap in use is below the share of the limit", () => {
    const { heap, guard, run } = fakeHeap(3 * GB, 3 * GB);
    expect(run(1000).some(Boolean)).toBe(false);
    expect(heap.collections).toBe(0);
    expect(guard.stopped).toBeUndefined();
  });

  it("past the share, a full collection decides: garbage lets the analysis go on, live data stops it", () => {
    const { heap, guard, run } = fakeHeap(3.6 * GB, 2 * GB);
    expect(run(16).some(Boolean)).toBe(false);
    expect(heap.collections).toBe(1);
    // the next collection only once half the room left has been used again (2 GB alive: at 3.4 GB, under the share)
    heap.used = 3.3 * GB;
    run(16);
    expect(heap.collections).toBe(1);
    heap.used = 3.5 * GB;
    heap.afterCollection = 3.5 * GB;
    const answers = run(8);
    expect(heap.collections).toBe(2);
    expect(answers.at(-1)).toBe(true);
    expect(guard.stopped).toEqual({ live: 3.5 * GB, limit: 4 * GB });
    expect(guard.exhausted()).toBe(true); // once stopped, stopped
  });
});

describe("a scan that runs out of heap", () => {
  it("stops analysing, keeps what it found, and ends as an internal error with the report written", async () => {
    const root = path.join(REPO_ROOT, "fixtures/demo-gateway");
    const full = await scan({ root });
    const stopped = await scan({ root, budgets: { heapShare: 0 } });
    const note = stopped.notifications.find((n) => n.id === "internal-error");
    expect(note?.message).toMatch(/HeapLimit: the analysis stopped with [\d.]+ GB of the [\d.]+ GB heap this process may use still alive, after 7 function analyses; the \d+ asked for after that were not made/);
    expect(note?.message).toContain("NODE_OPTIONS=--max-old-space-size=");
    expect(stopped.stats.functionsAnalysed).toBe(7);
    expect(stopped.stats.functionsAnalysed).toBeLessThan(full.stats.functionsAnalysed);
    const sarif = JSON.parse(renderSarif(stopped, { profile: "full" })) as { runs: { invocations: { executionSuccessful: boolean }[] }[] };
    expect(sarif.runs[0]!.invocations[0]!.executionSuccessful).toBe(false);
    expect(full.notifications.some((n) => n.id === "internal-error")).toBe(false);
  });
});

describe("a heap filled inside one function's analysis", () => {
  // One long function: the looks between analyses come only every eight, so a bundled file's single analysis could
  // fill the heap between two of them. The looks every STEPS_PER_LOOK steps of an analysis stop it where it is.
  // each statement is several steps (the statement, its expressions): together well past one look
  const body = Array.from({ length: STEPS_PER_LOOK / 2 }, (_, i) => `  const step${i} = user.id + ${i};`).join("\n");
  const tree = {
    "flowgate.config.yaml": "extends: recommended\n",
    "src/register.ts": `export function register(user: { id: string; email: string; phone: string }) {\n  console.log(user.email);\n${body}\n  console.log(user.phone);\n}\n`,
  };

  it("stops the analysis in progress, keeps what it found before the stop, and ends as an internal error", async () => {
    const root = writeTree(tree);
    try {
      const full = await scan({ root });
      expect(full.findings.map((f) => f.location.startLine)).toEqual([2, STEPS_PER_LOOK / 2 + 3]);
      const stopped = await scan({ root, budgets: { heapShare: 0 } });
      expect(stopped.findings.map((f) => f.location.startLine)).toEqual([2]);
      const note = stopped.notifications.find((n) => n.id === "internal-error");
      expect(note?.message).toMatch(/HeapLimit: the analysis stopped/);
      expect(stopped.notifications.filter((n) => n.id === "internal-error")).toHaveLength(1);
    } finally {
      removeTree(root);
    }
  });

  it("looks at the heap from inside an analysis without counting analyses, and stays stopped", () => {
    const heap = { used: 3.9 * GB };
    const guard = new HeapGuard(0.85, 4 * GB, () => heap.used, () => undefined);
    expect(guard.exhaustedWithin()).toBe(true);
    expect(guard.exhausted()).toBe(true);
  });
});

describe("a heap filled inside one call's substitution", () => {
  // Few steps, many facts: each of 50 arguments is the same string of the caller's 100 parameters (100 symbolic facts,
  // one per root, which the facts cap keeps), each stepped into the callee as its own parameter, so the call steps 5,000
  // facts — past one look — in one step of the caller's analysis. A minified React's calls each stepped a few hundred
  // thousand facts of its fibers, and filled the heap between two steps.
  const names = Array.from({ length: 100 }, (_, i) => `a${i}`);
  const fields = Array.from({ length: 50 }, (_, i) => `f${i}`);
  const tree = {
    "flowgate.config.yaml": "extends: recommended\n",
    "src/spread.ts": `export function spread(${fields.map((f) => `${f}: string`).join(", ")}) {\n  return { ${fields.join(", ")} };\n}\n`,
    "src/register.ts": [
      'import { spread } from "./spread";',
      `export function register(user: { email: string; phone: string }, ${names.map((n) => `${n}: string`).join(", ")}) {`,
      "  console.log(user.email);",
      `  const all = ${names.join(" + ")};`,
      `  const out = spread(${fields.map(() => "all").join(", ")});`,
      "  console.log(user.phone, out.f0);",
      "}",
      "",
    ].join("\n"),
  };

  it("stops the call where it is, keeps what the analysis found before it, and ends as an internal error", async () => {
    const root = writeTree(tree);
    try {
      const full = await scan({ root });
      expect(full.findings.map((f) => `${f.location.file}:${f.location.startLine}`)).toEqual(["src/register.ts:3", "src/register.ts:6"]);
      const stopped = await scan({ root, budgets: { heapShare: 0 } });
      expect(stopped.findings.map((f) => `${f.location.file}:${f.location.startLine}`)).toEqual(["src/register.ts:3"]);
      expect(stopped.notifications.filter((n) => n.id === "internal-error").map((n) => n.message)).toEqual([
        expect.stringMatching(/HeapLimit: the analysis stopped/),
      ]);
    } finally {
      removeTree(root);
    }
  });
});
