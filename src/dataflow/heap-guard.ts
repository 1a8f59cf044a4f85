import v8 from "node:v8";
import { collectGarbage } from "../collect-garbage.js";

/** Analyses between two looks at the heap: a look costs microseconds, an analysis far more. */
const ANALYSES_PER_LOOK = 8;
/** Steps of one analysis (expressions and statements interpreted) between two looks at the heap from inside it. */
export const STEPS_PER_LOOK = 4096;

/**
 * Thrown inside a function's analysis once the heap guard has stopped the scan: it unwinds every analysis in
 * progress, each keeping what it found (analyseRecord), and is not a bug of ours — the stop is reported once.
 */
export class HeapExhausted extends Error {
  constructor() {
    super("the analysis stopped: the heap is nearly full");
  }
}

export interface HeapStop {
  /** Bytes alive after a full collection, when the analysis stopped. */
  live: number;
  /** V8's limit for this process (`--max-old-space-size`, about 4 GB by default). */
  limit: number;
}

/**
 * Stops the analysis before V8's heap limit ends the process. Past the limit V8 aborts it with nothing written — no
 * report, no notification, exit 134 — after what can be many minutes of work (an unseen identity server's scan, 14
 * minutes of CPU, 4.3 GB). The engine looks before each function's analysis: once the heap still alive after a full
 * collection is past `share` of the limit, it analyses nothing more, and the scan reports what it found with an
 * internal error (exit 3), as for any failure of ours. The full collection runs only when the heap in use (garbage
 * included) is past the share, and again only once half the room it left has been used, so a scan well inside the
 * limit never pays for one.
 */
export class HeapGuard {
  private collectAbove: number;
  private sinceLook = 0;
  stopped: HeapStop | undefined;

  constructor(
    private readonly share: number,
    private readonly limit = v8.getHeapStatistics().heap_size_limit,
    private readonly heapUsed = () => v8.getHeapStatistics().used_heap_size,
    private readonly collect = collectGarbage,
  ) {
    this.collectAbove = share * limit;
  }

  /** Whether the analysis must stop here, before one more function's analysis. */
  exhausted(): boolean {
    if (this.stopped) return true;
    if (++this.sinceLook < ANALYSES_PER_LOOK) return false;
    this.sinceLook = 0;
    return this.look();
  }

  /**
   * Whether a function's analysis must stop where it is: asked every `STEPS_PER_LOOK` steps of one analysis, since one
   * analysis alone can fill the heap (a bundled file's class of getters, whose call sites' substitutions grew for
   * minutes between two analyses' looks). The caller throws `HeapExhausted`, which ends every analysis in progress.
   */
  exhaustedWithin(): boolean {
    return this.stopped !== undefined || this.look();
  }

  private look(): boolean {
    if (this.heapUsed() < this.collectAbove) return false;
    this.collect();
    const live = this.heapUsed();
    if (live >= this.share * this.limit) {
      this.stopped = { live, limit: this.limit };
      return true;
    }
    this.collectAbove = Math.max(this.share * this.limit, live + (this.limit - live) / 2);
    return false;
  }
}
