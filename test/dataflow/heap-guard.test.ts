import path from "node:path";
import { describe, expect, it } from "vitest";
import { HeapGuard } from "../../src/dataflow/heap-guard.js";
import { scan } from "../../src/index.js";
import { renderSarif } from "../../src/report/sarif.js";
import { REPO_ROOT } from "../support/paths.js";

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
