import { describe, expect, it } from "vitest";
import type { ts } from "ts-morph";
import { stepsOf } from "../../src/dataflow/trace.js";
import { analyzeFiles, flowLines } from "../support/engine-harness.js";

describe("inter-procedural flows", () => {
  it("applies a wrapper's summary per call site; the primary location stays inside the wrapper", () => {
    const r = analyzeFiles({
      "src/post.ts": `
export function post(body: unknown) {
  fetch("https://api.analytics.example/e", { body: JSON.stringify(body) });
}
`,
      "src/use.ts": `
import { post } from "./post";
export function a(user: any) { post(user.phone); }
export function b(user: any) { post(user.name); }
`,
    });
    expect(flowLines(r)).toEqual(["3:phone-number:fetch"]);
    const steps = r.flows[0]!.steps.map((s) => `${s.location.file}:${s.location.startLine} ${s.message}`);
    expect(steps).toEqual([
      "src/use.ts:3 phone-number read from `user.phone`",
      "src/use.ts:3 passed as argument `body` of `post()`",
      "src/post.ts:3 sent by `fetch` to api.analytics.example",
    ]);
  });

  it("parameters to return values, through several helpers and files", () => {
    const r = analyzeFiles({
      "src/payload.ts": `
export function pick(u: any) { return { contact: u.phone, label: u.name }; }
export function buildPayload(u: any) { const p = pick(u); return { data: p.contact, title: p.label }; }
`,
      "src/send.ts": `
import { buildPayload } from "./payload";
export function send(user: any) {
  const payload = buildPayload(user);
  console.log(payload.data);
  console.log(payload.title);
}
`,
    });
    expect(flowLines(r)).toEqual(["5:phone-number:console.log"]);
    expect(r.flows[0]!.steps.map((s) => s.message)).toContain("returned from `buildPayload()`");
  });

  it("parameters to fields of other parameters and of this; constructors; getters", () => {
    const r = analyzeFiles({
      "src/a.ts": `
function fill(target: any, user: any) { target.contact = user.phone; target.label = user.name; }
class Holder {
  constructor(private readonly value: string) {}
  get shown() { return this.value; }
  dump() { console.log(this.value); }
}
export function h(user: any) {
  const o: any = {};
  fill(o, user);
  console.log(o.contact);
  console.log(o.label);
  const k = new Holder(user.email);
  k.dump();
  const n = new Holder(user.name);
  console.log(n.shown);
}
`,
    });
    expect(flowLines(r)).toEqual(["11:phone-number:console.log", "6:email-address:console.log"]);
  });

  it("recursion and mutual recursion reach a fixpoint", () => {
    const r = analyzeFiles({
      "src/a.ts": `
function even(n: number, v: string): string { return n === 0 ? v : odd(n - 1, v); }
function odd(n: number, v: string): string { return n === 0 ? "" : even(n - 1, v); }
function walk(n: number, v: string): string { if (n > 0) return walk(n - 1, v); return v; }
export function h(user: any) {
  console.log(even(4, user.phone));
  console.log(walk(3, user.email));
  console.log(walk(3, user.name));
}
`,
    });
    expect(flowLines(r)).toEqual(["6:phone-number:console.log", "7:email-address:console.log"]);
  });

  it("closures, callbacks and higher-order functions", () => {
    const r = analyzeFiles({
      "src/a.ts": `
export function h(users: any[], user: any) {
  const phone = user.phone;
  const log = (m: string) => console.log(m);
  log("hello");
  users.forEach((u) => console.log(u.email));
  users.forEach((u) => console.log(u.name));
  const ips = users.map((u) => u.ip);
  console.log(ips);
  setTimeout(() => console.log(phone), 10);
  function inner() { return phone; }
  console.log(inner());
  const names = users.map((u) => u.name).filter((n) => n.length > 0);
  console.log(names.join(","));
}
`,
    });
    expect(flowLines(r)).toEqual([
      "10:phone-number:console.log",
      "12:phone-number:console.log",
      "6:email-address:console.log",
      "9:ip-address:console.log",
    ]);
  });

  it("a function a library call made is called as that library, not as a function the caller supplies", () => {
    const r = analyzeFiles({
      "src/a.ts": `
declare const templates: any;
export function render(source: string, vars: object) {
  const compiled = templates.compile(source);
  return compiled(vars);
}
export function welcome(user: any) {
  console.log(render("Hi {{email}}", { email: user.email }));
  console.log(render(user.phone, {}));
}
`,
    });
    expect(flowLines(r)).toEqual(["8:email-address:console.log", "9:phone-number:console.log"]);
    // made from the caller's template, not given by it: no callback entry that every caller up the chain carries
    const render = [...r.state.records.values()].find((rec) => rec.name.endsWith("#render"));
    expect(render?.summary?.callbacks).toEqual([]);
  });

  it("async/await and promise chains", () => {
    const r = analyzeFiles({
      "src/a.ts": `
async function load(user: any) { return user.phone; }
export async function h(user: any) {
  const p = await load(user);
  console.log(p);
  load(user).then((v) => console.log(v));
  Promise.all([load(user)]).then(([v]) => console.log(v));
}
`,
    });
    expect(flowLines(r)).toEqual(["5:phone-number:console.log", "6:phone-number:console.log", "7:phone-number:console.log"]);
  });

  it("a caller's summary holds one sink entry per fact and sink argument, with the shortest trace, in first-seen order", () => {
    // the destination names a parameter, so each call site sees the callee's sink as a site object of its own
    // (substituted): the entries it adds must still meet those of the other call site
    const r = analyzeFiles({
      "src/a.ts": `
function emit(url: string, a: any, b: any) { fetch(url, { body: a }); console.log(b); }
export function relay(u: any) {
  const copy = u;
  emit("https://api.analytics.example/e", copy, copy);
  emit("https://api.analytics.example/e", u, u.inner);
}
`,
    });
    const relay = [...r.state.records.values()].find((rec) => rec.name.endsWith("#relay"));
    const entries = (relay?.summary?.sinks ?? []).map((e) => ({
      // a full analysis: the site holds its syntax node (only a summary read from a cache entry holds it located)
      entry: `${e.fact.key}@${(e.site.argument as ts.Node).getText()}`,
      throughCopy: stepsOf(e.fact.step).some((s) => s.message.includes("`copy`")),
    }));
    expect(entries).toEqual([
      // first seen through `copy`, then reached directly by the second call: the shorter trace replaces it in place
      { entry: "s|p0|@{ body: a }", throughCopy: false },
      { entry: "s|p0|@b", throughCopy: true },
      { entry: "s|p0|inner@b", throughCopy: false },
    ]);
  });

  // `out` holds five of `this`'s fields (past symbolsPerPath: substituted as a whole at the call). The caller's data comes
  // back through `settle()`, and the trace shows the callee's step; of two copies of the e-mail address with traces of
  // the same length (`this.b` stored first), the one the callee's join keeps is the left one, `this.a`.
  it("data a callee moves between fields of this keeps the callee's step in its trace, the shortest and leftmost route", () => {
    const r = analyzeFiles({
      "src/a.ts": `
export class Session {
  a: any; b: any; c: any; d: any; e: any; out: any;
  settle(k: number) {
    this.out = k === 0 ? this.a : k === 1 ? this.b : k === 2 ? this.c : k === 3 ? this.d : this.e;
  }
  run(user: any, k: number) {
    const email = user.email;
    this.b = email;
    this.a = email;
    this.c = user.phone;
    this.d = this.c;
    this.settle(k);
    console.log(this.out);
  }
}
`,
    });
    const traces = r.flows.map((f) => [f.dataClass, ...f.steps.map((s) => `${s.location.startLine} ${s.message}`)]);
    expect(traces).toEqual([
      ["email-address", "8 email-address read from `user.email`", "8 assigned to `email`", "10 stored in `this.a`", "5 stored in `this.out`", "14 sent by `console.log`"],
      ["phone-number", "11 phone-number read from `user.phone`", "11 stored in `this.c`", "5 stored in `this.out`", "14 sent by `console.log`"],
    ]);
  });
  // What a call writes into `this` joins the class's store with its concrete data only (core.ts, concreteOnly): another
  // method of the class reads it there, with the trace through the callee's write.
  it("data a callee writes into this reaches the class's other methods, with the callee's step in its trace", () => {
    const r = analyzeFiles({
      "src/a.ts": `
export class Notifier {
  contact: any;
  load(user: any) { this.fill(user.phone); }
  fill(v: any) { this.contact = v; }
  send() { console.log(this.contact); }
}
`,
    });
    const traces = r.flows.map((f) => [f.dataClass, ...f.steps.map((s) => `${s.location.startLine} ${s.message}`)]);
    expect(traces).toEqual([
      ["phone-number", "4 phone-number read from `user.phone`", "4 passed as argument `v` of `fill()`", "5 stored in `this.contact`", "6 sent by `console.log`"],
    ]);
  });

  // The callee's rest copy is one symbolic fact (`p0` without `phone`) at two places of its effects: at the call it is
  // the caller's value minus that field at both (resolved once per fact object at a call site, calls.ts).
  it("a callee's rest copy of an argument leaves out the named field wherever it is written", () => {
    const r = analyzeFiles({
      "src/a.ts": `
function strip(u: any, out: any) { const { phone, ...rest } = u; out.data = rest; out.copy = rest; }
export function h(user: any) {
  const o: any = {};
  strip({ phone: user.phone, email: user.email }, o);
  console.log(o.data);
  console.log(o.copy);
}
`,
    });
    const traces = r.flows.map((f) => [f.dataClass, ...f.steps.map((s) => `${s.location.startLine} ${s.message}`)]);
    expect(traces).toEqual([
      ["email-address", "5 email-address read from `user.email`", "5 passed as argument `u` of `strip()`", "2 assigned to `rest`", "2 stored in `out.data`", "6 sent by `console.log`"],
      ["email-address", "5 email-address read from `user.email`", "5 passed as argument `u` of `strip()`", "2 assigned to `rest`", "2 stored in `out.copy`", "7 sent by `console.log`"],
    ]);
  });

  // A minified React names a new fiber after the parameter it replaces (`function Rw(S, D, T) { D = Dl(4, …, D);
  // D.stateNode = …; return D }`, D being the caller's `mode`): the fields written after the assignment are the new
  // object's. Taken as the caller's, every call wrote a whole fiber into its `returnFiber.mode`, one level deeper each
  // round of the reconciler's loop, until the heap was gone (performance.md, session 35, helper H).
  it("a parameter assigned another object writes that object's fields, not the caller's argument's", () => {
    const r = analyzeFiles({
      "src/a.ts": `
function portal(element: any, mode: any) { mode = { tag: 4, mode }; mode.stateNode = element.info; return mode; }
function fill(opts: any, user: any) { opts = opts || {}; opts.contact = user.phone; return opts; }
export function h(user: any, parent: any) {
  const fiber = portal({ info: user.email }, parent.mode);
  console.log(parent.mode.stateNode);
  console.log(fiber.stateNode);
  const o: any = {};
  fill(o, user);
  console.log(o.contact);
}
`,
    });
    // line 6 (the caller's mode, never written) was reported before; `opts = opts || {}` may still be the caller's object
    expect(flowLines(r)).toEqual(["10:phone-number:console.log", "7:email-address:console.log"]);
  });
});
