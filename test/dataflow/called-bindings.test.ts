import { ts } from "ts-morph";
import { describe, expect, it } from "vitest";
import { calledBindingNames } from "../../src/dataflow/interpret/called-bindings.js";

function called(text: string): string[] {
  const file = ts.createSourceFile("m.ts", text, ts.ScriptTarget.Latest, true);
  return [...calledBindingNames(file)].sort();
}

describe("the module bindings a module calls through", () => {
  it("counts a binding called, or called through its members and elements", () => {
    expect(called("let transport; export function log(e) { transport?.(e); }")).toEqual(["transport"]);
    expect(called("const hooks = {}; export function on(i) { hooks.onRequest?.(i); hooks['close']!(i); }")).toEqual(["hooks"]);
    expect(called("const handlers = {}; export function emit(e, p) { (handlers[e])(p); }")).toEqual(["handlers"]);
  });

  it("counts a binding whose elements a loop or an array callback calls", () => {
    expect(called("const listeners = []; export function emit(p) { for (const l of listeners) l(p); }")).toEqual(["listeners"]);
    expect(called("const listeners = []; export function emit(p) { listeners.forEach((l) => l(p)); }")).toEqual(["listeners"]);
  });

  it("does not count a container's own methods: a cache is data", () => {
    expect(called("const cache = new Map(); export function get(k) { if (!cache.has(k)) cache.set(k, 1); return cache.get(k); }")).toEqual([]);
    expect(called("const seen = {}; export function remember(k, v) { seen[k] = v; return Object.keys(seen).join(','); }")).toEqual([]);
  });
});
