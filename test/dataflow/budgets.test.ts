import { describe, expect, it } from "vitest";
import path from "node:path";
import { scan } from "../../src/index.js";
import { analyzeFiles, flowLines } from "../support/engine-harness.js";
import { FIXTURES_DIR } from "../support/paths.js";

describe("budgets and deep input", () => {
  it("a 50,000-term + chain neither overflows nor loses the tainted term", () => {
    const terms = Array.from({ length: 50_000 }, (_, i) => (i === 25_000 ? "user.phone" : `"t${i}"`));
    const r = analyzeFiles({ "src/a.ts": `export function h(user: any) {\n  console.log(${terms.join(" + ")});\n}\n` });
    expect(flowLines(r)).toEqual(["2:phone-number:console.log"]);
  });

  // The workspace stage skips files whose brackets nest past what the parser can take; these shapes nest without
  // brackets, parse fine, and would overflow a naively recursive interpreter.
  it("3,000-deep else-if chains, assignment chains, ternaries, call chains and property chains never overflow", () => {
    const d = 3_000;
    const r = analyzeFiles({
      "src/a.ts": [
        "declare const f: any;",
        "export function h(user: any, c: boolean) {",
        `  let x: any = "";`,
        `  if (c) x = "a";${" else if (c) x = \"a\";".repeat(d)} else x = user.phone;`,
        "  console.log(x);",
        `  let a: any, y: any;`,
        `  ${"a = ".repeat(d)}y = user.email;`,
        "  console.log(a);",
        `  console.log(${"c ? 1 : ".repeat(1_500)}user.ip);`,
        `  console.log(f${"()".repeat(d)});`,
        `  console.log(user.phone${".a".repeat(d)});`,
        "}",
      ].join("\n"),
    });
    expect(flowLines(r)).toEqual([
      "11:phone-number:console.log",
      "5:phone-number:console.log",
      "8:email-address:console.log",
      "9:ip-address:console.log",
    ]);
    expect(r.notifications.some((n) => n.id === "budget-nesting" && n.message.includes("src/a.ts#h"))).toBe(true);
  });

  it("the step budget switches to one pass per loop, names the function, and still finds the flow", () => {
    const r = analyzeFiles(
      {
        "src/a.ts": `export function busy(user: any, n: number) {\n  let x = "";\n  for (let i = 0; i < n; i++) { x = x + "a"; }\n  for (let j = 0; j < n; j++) { x = user.phone; }\n  console.log(x);\n}\n`,
      },
      { stepsPerFunction: 20 },
    );
    expect(flowLines(r)).toEqual(["5:phone-number:console.log"]);
    const n = r.notifications.find((x) => x.id === "budget-steps");
    expect(n?.message).toContain("src/a.ts#busy");
  });

  it("the loop-rounds budget reports a loop that did not converge", () => {
    const r = analyzeFiles(
      {
        "src/a.ts": `export function shift(user: any, n: number) {\n  let a = "", b = "", c = "", d = "";\n  while (n-- > 0) { d = c; c = b; b = a; a = user.phone; }\n  console.log(d);\n}\n`,
      },
      { loopRounds: 2 },
    );
    expect(r.notifications.some((x) => x.id === "budget-loop" && x.message.includes("src/a.ts#shift"))).toBe(true);
  });

  it("field depth cuts long paths into deep taint at the prefix, with a notification", () => {
    const r = analyzeFiles(
      {
        "src/a.ts": `export function deep(user: any) {\n  const o = { a: { b: { c: { d: user.phone, e: "x" } } } };\n  console.log(o.a.b);\n  console.log(o.a.b.c.e);\n}\n`,
      },
      { fieldDepth: 2 },
    );
    // past depth 2 the tree is collapsed: o.a.b.c.e is over-approximated as tainted, never dropped
    expect(flowLines(r)).toEqual(["3:phone-number:console.log", "4:phone-number:console.log"]);
    expect(r.notifications.some((x) => x.id === "budget-field-depth")).toBe(true);
  });

  // A cut that gives nothing up is no budget hit, as for stores and budget-symbols: 498 of growthbook's 1,153 cut
  // functions cut only structure with nothing below the cut (the empty models reached through the request context's
  // back-references, `context.models.projects.context.models.factMetrics`); a MongoDB update built from constants is
  // the same shape.
  it("a field-depth cut of structure that holds no data or function below the cut is not a budget hit; one that does is", () => {
    const files = {
      "src/a.ts": [
        "declare const db: any;",
        "export function archive(user: any, id: string) {",
        "  const update = { $set: { settings: { environments: { production: { rules: { enabled: false } } } } }, by: user.email };",
        "  db.collection(\"features\").updateOne({ id }, update);",
        "  console.log(update.by);",
        "  const audit = { $set: { settings: { environments: { production: { rules: { editor: user.phone } } } } } };",
        "  console.log(audit.$set.settings.environments);",
        "}",
      ].join("\n"),
    };
    const r = analyzeFiles(files);
    expect(flowLines(r)).toEqual(["5:email-address:console.log", "7:phone-number:console.log"]);
    // `update` is cut with nothing below the cut; `audit` is cut where the phone number sat: one hit, and only for it
    const cuts = r.notifications.filter((x) => x.id === "budget-field-depth");
    expect(cuts.map((x) => x.message)).toEqual(["field paths deeper than 5 cut in src/a.ts#archive"]);
    const clean = analyzeFiles({ "src/a.ts": files["src/a.ts"].split("\n").slice(0, 5).join("\n") + "\n}\n" });
    expect(flowLines(clean)).toEqual(["5:email-address:console.log"]);
    expect(clean.notifications.filter((x) => x.id === "budget-field-depth")).toEqual([]);
  });

  it("facts per path keep the shortest trace per data class past the cap", () => {
    const reads = Array.from({ length: 10 }, (_, i) => `user${i}.phone`).join(" + ");
    const params = Array.from({ length: 10 }, (_, i) => `user${i}: any`).join(", ");
    const r = analyzeFiles({ "src/a.ts": `export function many(${params}) {\n  const all = ${reads};\n  console.log(all);\n}\n` }, { factsPerPath: 3 });
    expect(flowLines(r).length).toBeGreaterThanOrEqual(1);
    expect(r.notifications.some((x) => x.id === "budget-facts")).toBe(true);
  });

  it("a summary's effects keep factsPerPath facts per path after the joins of the body's branches, and still carry the class", () => {
    const branches = Array.from({ length: 10 }, (_, i) => `    if (n === ${i}) this.last = user${i}.phone;`).join("\n");
    const params = Array.from({ length: 10 }, (_, i) => `user${i}: any`).join(", ");
    const r = analyzeFiles(
      {
        "src/a.ts": [
          "export class Recorder {",
          "  last: any;",
          `  record(n: number, ${params}) {`,
          branches,
          "  }",
          "}",
          "export function h(r: Recorder, a: any, b: any) {",
          "  r.record(1, a, b, a, b, a, b, a, b, a, b);",
          "  console.log(r.last);",
          "}",
        ].join("\n"),
      },
      { factsPerPath: 3 },
    );
    expect(flowLines(r)).toEqual(["18:phone-number:console.log"]);
    expect(r.notifications.some((x) => x.id === "budget-facts" && x.message.includes("the effects on this of src/a.ts#Recorder.record"))).toBe(true);
  });

  it("past symbolsPerPath, a summary path's symbolic facts are substituted as a whole: the caller's facts stay, their fields do not", () => {
    const files = combinedLine("{ name: user.email }, { title: user.phone }, { id: user.id }", ["out", "out.name"]);
    const r = analyzeFiles(files, { symbolsPerPath: 2 });
    // `out.name` gets the phone number too: the three parameters' structure is gone, none of their data
    expect(flowLines(r)).toEqual(["7:email-address:console.log", "7:phone-number:console.log", "8:email-address:console.log", "8:phone-number:console.log"]);
    expect(r.notifications.some((x) => x.id === "budget-symbols" && x.message.includes("src/a.ts#line"))).toBe(true);
    // under the default the fields are kept: `out.name` is the e-mail address only
    expect(flowLines(analyzeFiles(files))).toEqual(["7:email-address:console.log", "7:phone-number:console.log", "8:email-address:console.log"]);
  });

  it("past symbolsPerPath, a path whose symbolic facts stand for leaves gives up nothing: no budget hit, the same flows", () => {
    const files = combinedLine("user.email, user.phone, user.id", ["out.name"]);
    const r = analyzeFiles(files, { symbolsPerPath: 2 });
    expect(flowLines(r)).toEqual(["7:email-address:console.log", "7:phone-number:console.log"]);
    expect(flowLines(r)).toEqual(flowLines(analyzeFiles(files)));
    expect(r.notifications.filter((x) => x.id === "budget-symbols")).toEqual([]);
  });

  // A bundled prompt class (enquirer, in Yarn's release) grew one call site's substitution past any heap: nodes of 15,744
  // facts, each callback's result holding every earlier one. A node past substitutionFacts (here `out.all`, 40
  // addresses) sends the rest of the call to the call's data as a whole: the leak inside the callee and the one through
  // its result are still found, `out.phone` carries the addresses too, and the hit names the callee and the caller.
  it("past substitutionFacts, the rest of a call site's substitution takes the call's data as a whole, with a notification", () => {
    const files = wideCall(40);
    const r = analyzeFiles(files, { substitutionFacts: 20 });
    expect(flowLines(r)).toEqual(["3:phone-number:console.log", "9:email-address:console.log", "9:phone-number:console.log"]);
    const hits = r.notifications.filter((x) => x.id === "budget-substitution").map((x) => x.message);
    expect(hits).toEqual([
      "substituting the summary of src/a.ts#spread in src/a.ts#h made a value with more than 20 facts: the rest of this call takes the data of its receiver, arguments and callbacks' results as a whole",
    ]);
    // under the default the paths are kept: `out.phone` is the phone number only, and nothing is reported
    const precise = analyzeFiles(files);
    expect(flowLines(precise)).toEqual(["3:phone-number:console.log", "9:phone-number:console.log"]);
    expect(precise.notifications.filter((x) => x.id === "budget-substitution")).toEqual([]);
  });

  // A minified React's reconcileChildFibers, called with the fiber it is building, stepped that fiber into its callee
  // once per callee-side trace — 4,655 of them, 2 million facts in one call — with no node large. Past enteringFacts
  // facts stepped at one call site (here 1), the rest of the call takes the call's data as a whole: every leak is still
  // found, `out.contact` carries the phone number too, and the hit names the callee and the caller.
  it("past enteringFacts, the rest of a call site's substitution takes the call's data as a whole, with a notification", () => {
    const files = {
      "src/a.ts": [
        "function card(u: any) {",
        "  const profile = u.profile;",
        "  const contact = u.contact;",
        "  console.log(profile.phone);",
        "  return { profile, contact };",
        "}",
        "export function h(user: any) {",
        "  const out = card({ profile: { phone: user.phone }, contact: { email: user.email } });",
        "  console.log(out.profile);",
        "  console.log(out.contact);",
        "}",
      ].join("\n"),
    };
    const r = analyzeFiles(files, { enteringFacts: 1 });
    expect(flowLines(r)).toEqual([
      "10:email-address:console.log",
      "10:phone-number:console.log",
      "4:phone-number:console.log",
      "4:phone-number:console.log",
      "9:email-address:console.log",
      "9:phone-number:console.log",
    ]);
    const hits = r.notifications.filter((x) => x.id === "budget-entering").map((x) => x.message);
    expect(hits).toEqual([
      "substituting the summary of src/a.ts#card in src/a.ts#h stepped more than 1 facts of the caller into it: the rest of this call takes the data of its receiver, arguments and callbacks' results as a whole",
    ]);
    // under the default the paths are kept: each field carries its own data, and nothing is reported
    const precise = analyzeFiles(files);
    expect(flowLines(precise)).toEqual(["10:email-address:console.log", "4:phone-number:console.log", "4:phone-number:console.log", "9:phone-number:console.log"]);
    expect(precise.notifications.filter((x) => x.id === "budget-entering")).toEqual([]);
  });

  it("the SCC-rounds budget stops a non-converging cycle with a notification", () => {
    const r = analyzeFiles(
      {
        "src/a.ts": `function a(x: any, n: number): any { return n ? b({ w: x }, n - 1) : x; }\nfunction b(x: any, n: number): any { return n ? a({ v: x }, n - 1) : x; }\nexport function h(user: any) { console.log(a(user.phone, 3)); }\n`,
      },
      { sccRounds: 1 },
    );
    expect(r.notifications.some((x) => x.id === "budget-scc")).toBe(true);
  });

  // fixtures/engine/back-references: a context whose models each keep it. Before the stores were cut, every worklist
  // round stored the context's previous value one level deeper in its own class's store; the scan did not end.
  it("a class's field store that holds the object itself is cut at the field depth: the scan ends, its leaks stay, the cut is reported", async () => {
    const result = await scan({ root: path.join(FIXTURES_DIR, "engine/back-references") });
    const leaks = result.findings.flatMap((f) => (f.flows ?? []).map((flow) => `${f.location.file}:${f.location.startLine}:${flow.dataClass}`));
    expect([...new Set(leaks)].sort()).toEqual([
      "src/context.ts:60:email-address",
      // the owner's address a model wrote through the context it keeps, read by a function handed the context
      "src/handlers.ts:31:email-address",
      "src/handlers.ts:8:email-address",
      "src/handlers.ts:9:email-address",
      "src/jobs.ts:11:email-address",
      // `announce` reached through another model's context is clean: its path is placed at the owner, and the context's
      // store, cut at `models.projects.context`, no longer holds the contexts callers built (the private `initModels`,
      // only the constructor calls it, reads `this` as the constructor does: construction-methods.ts)
      "src/models/projects.ts:27:email-address",
    ]);
    const cuts = result.notifications.filter((n) => n.id === "budget-field-depth").map((n) => n.message);
    expect(cuts).toContain("field paths deeper than 3 cut in what src/context.ts#RequestContext.initModels stores in the fields of a class");
    // the store reaches its fixpoint: no function of the cycle runs out of rounds
    expect(result.notifications.filter((n) => n.id === "budget-scc")).toEqual([]);
  });

  it("reports eval, new Function and dynamic require as notifications", () => {
    const r = analyzeFiles({
      "src/a.js": `function h(name) {\n  eval("1");\n  const f = new Function("return 1");\n  const m = require(name);\n  return [f, m];\n}\nmodule.exports = { h };\n`,
    });
    const dyn = r.notifications.filter((n) => n.id === "dynamic-code").map((n) => n.message);
    expect(dyn.some((m) => m.includes("eval"))).toBe(true);
    expect(dyn.some((m) => m.includes("Function"))).toBe(true);
    expect(dyn.some((m) => m.includes("require"))).toBe(true);
  });

  it("counts unknown calls", () => {
    const r = analyzeFiles({ "src/a.ts": `declare const lib: any;\nexport function h(user: any) { const v = lib.canonical(user.phone); console.log(v); }\n` });
    expect(flowLines(r)).toEqual(["2:phone-number:console.log"]);
    expect(r.stats.unresolvedCalls).toBe(1);
  });
});

/** A callee that joins its three parameters in an unknown call: its result holds three symbolic facts at one path. */
function combinedLine(args: string, logged: readonly string[]): Record<string, string> {
  return {
    "src/a.ts": [
      "declare function combine(...parts: unknown[]): { name: string };",
      "function line(a: any, b: any, c: any) {",
      "  return combine(a, b, c);",
      "}",
      "export function h(user: any) {",
      `  const out = line(${args});`,
      ...logged.map((x) => `  console.log(${x});`),
      "}",
    ].join("\n"),
  };
}

/**
 * A call handing its callee a string built from `n` e-mail addresses, each read from a source of its own, and a phone
 * number: the callee logs the phone number and hands both back, so the substitution of its return value makes a node
 * holding all `n` addresses.
 */
function wideCall(n: number): Record<string, string> {
  const addresses = Array.from({ length: n }, (_, i) => `others[${i}].email`).join(" + ");
  return {
    "src/a.ts": [
      "function spread(all: any, phone: any) {",
      "  const out = { all, phone };",
      "  console.log(phone);",
      "  return out;",
      "}",
      "export function h(user: any, others: any[]) {",
      `  const out = spread(${addresses}, user.phone);`,
      "  console.log(others.length);",
      "  console.log(out.phone);",
      "}",
    ].join("\n"),
  };
}
