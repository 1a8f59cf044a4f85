import { describe, expect, it } from "vitest";
import path from "node:path";
import { scan } from "../../src/index.js";
import { analyzeFiles, flowLines, runsOf } from "../support/engine-harness.js";
import { FIXTURES_DIR } from "../support/paths.js";

// A run of a record in a cycle is joined with its previous run's summary, and growth that repeats a field already on
// its path is folded onto that path (src/dataflow/round-join.ts): the cycles below reached the SCC-rounds budget before.
describe("a record's summary only grows within a scan", () => {
  it("a recursion over a tree reading its own result settles before the SCC-rounds budget", () => {
    const r = analyzeFiles({
      "src/a.ts": [
        "function walk(n: any): any {",
        "  const out: any = {};",
        "  for (const c of n.children) out[c.name] = walk(c);",
        "  out.self = walk(n.next);",
        "  return out;",
        "}",
        "export function h(root: any, user: any) {",
        "  const tree = walk(root);",
        "  tree.owner = user.email;",
        "  console.log(tree.self);",
        "}",
      ].join("\n"),
    });
    // `tree.self` is a subtree the walk built, not the owner's field
    expect(flowLines(r)).toEqual([]);
    // each round gave a tree one level deeper, cut at the field depth and grown again the round after: the ninth run
    // was kept (budget-scc); joined with the previous round it stops growing once cut
    expect(r.notifications.filter((n) => n.id === "budget-scc")).toEqual([]);
    expect(runsOf(r)["walk"]).toBeLessThan(8);
  });

  it("a re-run numbers its callbacks as the run before did", () => {
    const r = analyzeFiles({
      "src/a.ts": [
        "export function later(a: any, b: any, n: number): any {",
        "  a(n);",
        "  return run(a, b, n - 1);",
        "}",
        "export function run(a: any, b: any, n: number): any {",
        "  const x = later(a, b, n);",
        "  b(n);",
        "  return x;",
        "}",
      ].join("\n"),
    });
    const run = [...r.state.records.values()].find((rec) => rec.name.endsWith("#run"))!;
    // run's first run met only `b(n)` (later, still running, had no summary); its re-runs meet later's callbacks first:
    // `b(n)` keeps number 0 (its result `r0` in the values), later's are numbered after it
    expect(run.runs).toBeGreaterThan(1);
    expect(run.summary!.callbacks.map((c) => `${c.index}:${c.callee.root}@${c.node.getText()}`)).toEqual(["0:p1@b(n)", "1:p0@later(a, b, n)", "2:p1@later(a, b, n)"]);
  });

  it("a re-run outside a cycle keeps no source its first run named where a store was still empty", () => {
    const r = analyzeFiles({
      "src/job.ts": [
        "export class Job {",
        "  constructor(private readonly context: { userEmail: string }) {}",
        "  contact() {",
        "    return this.context.userEmail;",
        "  }",
        "  notify() {",
        "    console.info(this.contact());",
        "  }",
        "}",
      ].join("\n"),
      "src/signup.ts": [
        'import { Job } from "./job";',
        "export function onSignup(user: { email: string }) {",
        "  new Job({ userEmail: user.email }).notify();",
        "}",
      ].join("\n"),
    });
    // contact ran first with the class's store empty: `this.context.userEmail` named an address by its name; run again
    // once onSignup built a job, it reads the user's address there instead, and the join drops the guess
    expect(runsOf(r)["Job.contact"]).toBeGreaterThan(1);
    expect(r.flows.map((f) => `${f.source.location.file}:${f.source.location.startLine}`)).toEqual(["src/signup.ts:3"]);
  });

  it("a recursive resolver over a nested configuration settles, and its leak stays", async () => {
    const result = await scan({ root: path.join(FIXTURES_DIR, "engine/round-joins") });
    const leaks = result.findings.flatMap((f) => (f.flows ?? []).map((flow) => `${f.location.file}:${f.location.startLine}:${flow.dataClass}`));
    expect([...new Set(leaks)].sort()).toEqual(["src/resolve.ts:60:email-address"]);
    // each round read the resolver's own result one `$extends.[]` deeper (`p0.[].[].$extends.[]`, …): cut before the
    // first repeated field, the cycle ends before the SCC-rounds budget, and no node is over the facts cap any more
    expect(result.notifications.filter((n) => n.id === "budget-scc")).toEqual([]);
    expect(result.notifications.filter((n) => n.id === "budget-facts")).toEqual([]);
  });
});
