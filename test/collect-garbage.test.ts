import vm from "node:vm";
import { describe, expect, it } from "vitest";
import { COLLECT_BEFORE_REPORTS_FROM, collectGarbage, collectGarbageBeforeReports } from "../src/collect-garbage.js";

describe("collectGarbage", () => {
  it("runs a full collection without --expose-gc and leaves the flag off again", async () => {
    const weak = new WeakRef(Array.from({ length: 1000 }, (_, i) => ({ i })));
    await new Promise((resolve) => setTimeout(resolve, 0)); // a WeakRef keeps its target alive until the turn ends
    collectGarbage();
    expect(weak.deref()).toBeUndefined(); // the array was unreachable: only a full collection clears a WeakRef target
    expect(vm.runInNewContext("typeof gc")).toBe("undefined");
  });
});

describe("collectGarbageBeforeReports", () => {
  it("collects from COLLECT_BEFORE_REPORTS_FROM bytes of heap in use, not below", () => {
    let collections = 0;
    const collect = () => void collections++;
    expect(collectGarbageBeforeReports(() => COLLECT_BEFORE_REPORTS_FROM - 1, collect)).toBe(false);
    expect(collections).toBe(0);
    expect(collectGarbageBeforeReports(() => COLLECT_BEFORE_REPORTS_FROM, collect)).toBe(true);
    expect(collections).toBe(1);
  });
});
