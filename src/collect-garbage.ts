import v8 from "node:v8";
import vm from "node:vm";

/**
 * Collects the garbage a scan leaves (syntax trees, the program and its type checker, the engine's values: most of the
 * heap once the findings are built) before the reports are rendered, so the report is built in that room instead of on
 * top of it and the process's peak memory is the scan's alone (50k lines: about 450 → 340 MB). V8 would collect on its
 * own schedule, usually after the heap has grown further. Node offers a collector only behind `--expose-gc`; the flag is
 * turned on just long enough to fetch it from a fresh context (the technique Jest's `--logHeapUsage` uses). With little
 * left alive, one full collection takes tens of milliseconds. The engine's heap guard (dataflow/heap-guard.ts) uses it
 * too, to tell live data from garbage when the heap nears V8's limit.
 */
export function collectGarbage(): void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (typeof exposed === "function") return exposed();
  v8.setFlagsFromString("--expose-gc");
  try {
    const gc = vm.runInNewContext("gc") as unknown;
    if (typeof gc === "function") gc();
  } finally {
    v8.setFlagsFromString("--no-expose-gc");
  }
}

/**
 * The heap in use (garbage included) from which the collection before the reports is made. A forced full collection
 * marks everything alive on the main thread — in a process from the startup snapshot that is at least the snapshot's
 * ~36 MB of compiler, lib trees and rules — so it costs 50–140 ms even on a small heap: about a tenth of a cached
 * one-line review (jackson, linkwarden, hoppscotch hold 50–64 MB there). Below this it lowered no peak: the peak RSS of
 * those reviews, of jackson's and hoppscotch's full scans with their dependencies (82–88 MB) and of the demo (43 MB) was
 * the same without it — what the reports allocate fits in the room V8 leaves below its own next collection
 * (docs/performance.md, "Session 42 — helper K"). Larger heaps (novu's full scan: 216 MB; a 50k-line gateway's) are
 * collected as before.
 */
export const COLLECT_BEFORE_REPORTS_FROM = 128 * 1024 * 1024;

/** collectGarbage before the reports, when the heap in use has reached COLLECT_BEFORE_REPORTS_FROM; whether it ran. */
export function collectGarbageBeforeReports(heapUsed = () => v8.getHeapStatistics().used_heap_size, collect = collectGarbage): boolean {
  if (heapUsed() < COLLECT_BEFORE_REPORTS_FROM) return false;
  collect();
  return true;
}
