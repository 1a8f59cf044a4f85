import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { FunctionRecord } from "../../src/dataflow/context.js";
import { Worklist } from "../../src/dataflow/worklist.js";
import { analyzeFiles, flowLines, runsOf } from "../support/engine-harness.js";
import { REPO_ROOT } from "../support/paths.js";

// The worklist takes callees first (src/dataflow/worklist.ts): a caller of a recursive cycle is analysed again once the
// cycle has settled, not once per change of it.
/** An engine fixture's sources, by their path in the harness's workspace. */
function fixture(name: string): Record<string, string> {
  const dir = path.join(REPO_ROOT, `fixtures/engine/${name}/src`);
  return Object.fromEntries(fs.readdirSync(dir).map((f) => [`/src/${f}`, fs.readFileSync(path.join(dir, f), "utf8")]));
}
const files = fixture("worklist-order");

describe("callees first", () => {
  const result = analyzeFiles(files);
  const runs = runsOf(result);

  it("finds what the top level finds once the store's cycle has settled", () => {
    const usage = files["/src/engine-usage.ts"]!;
    const line = usage.split("\n").findIndex((l) => l.includes('"completed by"')) + 1;
    expect(flowLines(result, "/src/engine-usage.ts")).toEqual([`${line}:email-address:console.info`]);
  });

  it("analyses the store's cycle until it settles, and its callers again only after that", () => {
    // findWaitpoints and hydrate call each other, and their summaries change in the second round (joined with the
    // first, round-join.ts, they settle there: three rounds and more before)
    expect(runs["RoutingRunStore.findWaitpoints"]).toBeGreaterThan(1);
    expect(runs["RoutingRunStore.hydrate"]).toBeGreaterThan(1);
    // findSnapshot calls into the cycle: once first, once more when the cycle is done (taken in the order they were
    // queued, it ran between two rounds of the cycle as well)
    expect(runs["RoutingRunStore.findSnapshot"]).toBe(2);
    expect(runs["<module>"]).toBeLessThanOrEqual(2);
  });
});

// A record whose summary nothing reads waits until the rest has settled (src/dataflow/worklist.ts): a closure of a
// recursive-descent parser's method, handed to a library that calls it later, is analysed once more after the parser's
// cycle of `this` calls has settled, not once per round of it.
const parserFiles = fixture("parser-cycles");

describe("records nothing reads, after the rest", () => {
  const result = analyzeFiles(parserFiles);
  const runs = runsOf(result);

  it("finds the parser's leak", () => {
    const render = parserFiles["/src/render.ts"]!;
    const line = render.split("\n").findIndex((l) => l.includes("console.warn")) + 1;
    expect(flowLines(result, "/src/render.ts")).toEqual([`${line}:email-address:console.warn`]);
  });

  it("analyses the closure nobody calls through its summary once after the parser's cycle has settled", () => {
    // the methods' summaries change over several rounds, each round changing what the closure's calls return
    expect(runs["Parser.block"]).toBeGreaterThan(3);
    expect(runs["Parser.tag"]).toBeGreaterThan(3);
    // its first analysis, then one when the cycle is done (queued at each change, it ran once per round: four times)
    expect(runs["Parser.parseMixin.check"]).toBe(2);
  });
});

// A record whose readers all wait waits too (src/dataflow/worklist.ts): a helper that runs a query runner of a class it
// does not know reads the base's general record, joined from the runners' variants, and only route handlers read the
// helper; it is analysed once more after the runners' cycle of `this` calls has settled, not once per round of it.
const cyclesFiles = fixture("this-cycles");

describe("records whose readers all wait", () => {
  const result = analyzeFiles(cyclesFiles);
  const runs = runsOf(result);

  it("finds the runner's leak", () => {
    const use = cyclesFiles["/src/use.ts"]!;
    const line = use.split("\n").findIndex((l) => l.includes('"runner summary"')) + 1;
    expect(flowLines(result, "/src/use.ts")).toEqual([`${line}:email-address:console.log`]);
  });

  it("analyses the helper only the handlers read once after the runners' cycle has settled", () => {
    // the general record of the base's `start` changes as its variants' cycle settles
    expect(runs["Runner.start"]).toBeGreaterThan(2);
    // its first analysis, then one when the cycle is done (queued at each change of `start`, it ran three times)
    expect(runs["run"]).toBe(2);
    expect(runs["refreshMember"]).toBe(2);
  });
});

// A module's top level runs before another module's binding is first read (src/dataflow/interpret/core.ts): a function
// the first top level calls reads the logger a later module's top level writes, and sees it on its first analysis.
const moduleFiles = fixture("module-first");

describe("module top levels before the reads of their bindings", () => {
  const result = analyzeFiles(moduleFiles);
  const byFile: Record<string, number> = {};
  for (const r of result.state.records.values()) byFile[r.name] = r.runs;

  it("finds the leak through the logger", () => {
    const logger = moduleFiles["/src/logger.ts"]!;
    const line = logger.split("\n").findIndex((l) => l.includes("console.info")) + 1;
    expect(flowLines(result, "/src/logger.ts")).toEqual([`${line}:email-address:console.info`]);
  });

  it("analyses the logger's reader and the top level that calls it once", () => {
    // read before logger.ts's top level ran, the binding was empty: `welcome` ran again when it was written, and
    // app.ts's top level again for the sink `welcome`'s summary gained
    expect(byFile["/src/handlers.ts#welcome"]).toBe(1);
    expect(byFile["/src/app.ts#<module>"]).toBe(1);
    expect(byFile["/src/logger.ts#<module>"]).toBe(1);
  });
});

describe("Worklist", () => {
  const rec = (name: string) => ({ name }) as FunctionRecord;
  const analysed = (name: string) => ({ name, runs: 1, dependents: new Set() }) as unknown as FunctionRecord;

  it("takes a record whose summary nothing reads after all others, unless its latest run changed a store or a caller reads it", () => {
    const [a, unread, writer, late, b] = ["a", "unread", "writer", "late", "b"].map(analysed) as [FunctionRecord, FunctionRecord, FunctionRecord, FunctionRecord, FunctionRecord];
    a.dependents.add(b);
    b.dependents.add(a);
    const list = new Worklist();
    for (const r of [unread, writer, late, a, b]) list.finished(r);
    list.changed(writer); // its latest run changed a store: its readers wait on it
    for (const r of [unread, late, writer, a]) list.add(r);
    expect(list.size).toBe(4);
    expect([...list].map((r) => r.name).sort()).toEqual(["a", "late", "unread", "writer"]);
    expect(list.take()?.name).toBe("writer");
    // a caller reads `late`'s summary: it is queued by its rank from now on
    list.needed(late);
    expect(list.take()?.name).toBe("late");
    list.add(b);
    expect([list.take(), list.take(), list.take(), list.take()].map((r) => r?.name)).toEqual(["a", "b", "unread", undefined]);
    expect(list.size).toBe(0);
  });

  it("lets a record wait whose readers all wait or would, and not one that a queued or running record reads", () => {
    const done = (name: string) => ({ name, runs: 1, status: "done", dependents: new Set() }) as unknown as FunctionRecord;
    const [helper, handler, cycleA, cycleB, outside, busy, reader] = ["helper", "handler", "cycleA", "cycleB", "outside", "busy", "reader"].map(done) as FunctionRecord[] as [
      FunctionRecord, FunctionRecord, FunctionRecord, FunctionRecord, FunctionRecord, FunctionRecord, FunctionRecord,
    ];
    // cycleA ⇄ cycleB ← helper ← handler (nothing reads it); outside ← reader ← busy (running: reader is queued)
    cycleA.dependents.add(cycleB);
    cycleB.dependents.add(cycleA);
    cycleB.dependents.add(helper);
    helper.dependents.add(handler);
    outside.dependents.add(reader);
    reader.dependents.add(busy);
    (busy as { status: string }).status = "running";
    const list = new Worklist();
    for (const r of [cycleA, cycleB, outside, reader, helper, handler, busy]) list.finished(r);
    for (const r of [reader, outside, helper, cycleA]) list.add(r);
    expect(list.size).toBe(4);
    // the cycle and the helper wait: what reads them waits, or would; a queued record reads outside: it runs first
    expect([list.take(), list.take()].map((r) => r?.name)).toEqual(["outside", "reader"]);
    // then the waiting ones, callees first
    expect([list.take(), list.take(), list.take()].map((r) => r?.name)).toEqual(["cycleA", "helper", undefined]);
    // queued again, the handler waits as before, and the helper with it
    for (const r of [handler, helper]) list.add(r);
    expect([list.take(), list.take(), list.take()].map((r) => r?.name)).toEqual(["helper", "handler", undefined]);
  });

  it("takes records by when their first analysis ended, each once however often it was added", () => {
    const [a, b, c, d] = ["a", "b", "c", "d"].map(rec) as [FunctionRecord, FunctionRecord, FunctionRecord, FunctionRecord];
    const list = new Worklist();
    for (const r of [c, a, d, b]) list.finished(r);
    list.finished(c); // a later analysis keeps the first place
    for (const r of [b, d, a, b, c, d]) list.add(r);
    const e = rec("e");
    list.add(e); // never finished: goes by when it was added
    expect(list.size).toBe(5);
    expect([...list].map((r) => r.name).sort()).toEqual(["a", "b", "c", "d", "e"]);
    const taken: string[] = [];
    for (let r = list.take(); r !== undefined; r = list.take()) taken.push(r.name);
    expect(taken).toEqual(["c", "a", "d", "b", "e"]);
    expect(list.size).toBe(0);
  });

  it("ranks a store's reader with the later-ranked writer that queued it, from then on, ahead of what comes after", () => {
    const [router, routeA, routeB, server] = ["router", "routeA", "routeB", "server"].map(rec) as [FunctionRecord, FunctionRecord, FunctionRecord, FunctionRecord];
    const list = new Worklist();
    // top levels ranked in file order: the router before the routes it reads
    for (const r of [router, routeA, routeB, server]) list.finished(r);
    list.add(routeA);
    list.add(routeB);
    list.add(server);
    list.add(router, routeA); // already queued, now after routeA
    list.add(router, routeB); // and after routeB
    list.add(routeB, routeA); // already queued, and a writer ranked before it changes nothing
    expect(list.size).toBe(4);
    const taken: string[] = [];
    for (let r = list.take(); r !== undefined; r = list.take()) taken.push(r.name);
    expect(taken).toEqual(["routeA", "routeB", "router", "server"]);
    list.add(server);
    list.add(routeB);
    list.add(router); // keeps routeB's rank: with it (in the order queued), ahead of the server
    expect([list.take(), list.take(), list.take()].map((r) => r?.name)).toEqual(["routeB", "router", "server"]);
  });
});
