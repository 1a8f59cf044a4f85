import { describe, expect, it } from "vitest";
import { copyEntry, heldUndefined, LazyMap } from "../../src/dataflow/lazy-map.js";

// A cached run's stores wait as their builders (building one finds its nodes, parsing their files): only what reads a
// value builds it, once, wherever it was handed on to.

describe("LazyMap", () => {
  it("builds a value when it is first read, once, and keys, has, size and delete build nothing", () => {
    let builds = 0;
    const map = new LazyMap<string, number>();
    map.setLazy("a", () => (builds++, 1));
    map.set("b", 2);
    expect([...map.keys()]).toEqual(["a", "b"]);
    expect(map.has("a") && map.size === 2 && map.waits("a") && !map.waits("b")).toBe(true);
    expect(builds).toBe(0);
    expect(map.get("a")).toBe(1);
    expect(map.get("a")).toBe(1);
    expect(builds).toBe(1);
    map.setLazy("c", () => (builds++, 3));
    map.delete("c");
    expect(map.has("c")).toBe(false);
    expect(builds).toBe(1);
  });

  it("builds every waiting value when its entries or values are iterated", () => {
    const map = new LazyMap<string, number>();
    map.setLazy("a", () => 1);
    map.setLazy("b", () => 2);
    expect([...map]).toEqual([["a", 1], ["b", 2]]);
    const other = new LazyMap<string, number>();
    other.setLazy("c", () => 3);
    expect([...other.values()]).toEqual([3]);
  });

  it("hands a waiting value on unbuilt, built once by whichever map reads it first", () => {
    let builds = 0;
    const from = new LazyMap<string, number>();
    from.setLazy("a", () => (builds++, 1));
    const to = new LazyMap<{ id: string }, number>();
    const key = { id: "copy" };
    copyEntry(from, "a", to, key);
    expect(to.waits(key)).toBe(true);
    expect(builds).toBe(0);
    expect(to.get(key)).toBe(1);
    expect(from.get("a")).toBe(1);
    expect(builds).toBe(1);
    // from a plain map, the value itself
    const plain = new Map([["x", 5]]);
    copyEntry(plain, "x", to, { id: "x" });
    expect([...to.values()]).toContain(5);
  });

  it("tells a value held as undefined (a part the entry could not give back) without building a waiting one", () => {
    let builds = 0;
    const map = new LazyMap<string, number | undefined>();
    map.set("unknown", undefined);
    map.setLazy("waiting", () => (builds++, 1));
    expect(heldUndefined(map, "unknown")).toBe(true);
    expect(heldUndefined(map, "waiting")).toBe(false);
    expect(heldUndefined(map, "absent")).toBe(false);
    expect(builds).toBe(0);
  });
});
