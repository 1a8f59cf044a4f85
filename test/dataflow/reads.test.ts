import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { valueDropped } from "../../src/dataflow/interpret/syntax.js";
import { ts } from "ts-morph";
import { analyzeFiles, flowLines, runsOf } from "../support/engine-harness.js";
import { REPO_ROOT } from "../support/paths.js";

// The worklist analyses a record again only when a part it read changed (src/dataflow/reads.ts): a field of a class's
// store, a part of a callee's summary.
const read = (file: string) => fs.readFileSync(path.join(REPO_ROOT, "fixtures/engine/part-reads/src", file), "utf8");
const PROFILE = read("profile.ts");
const FILL = read("fill.ts");

describe("re-analysis by the part read", () => {
  const result = analyzeFiles({ "/src/profile.ts": PROFILE, "/src/fill.ts": FILL });
  const runs = runsOf(result);
  const line = (text: string, code: string) => code.split("\n").findIndex((l) => l.includes(text)) + 1;

  it("finds what the readers of the part that changed find once it changed", () => {
    expect(flowLines(result, "/src/profile.ts")).toEqual([`${line('"contact", this.contact', PROFILE)}:email-address:console.info`]);
    expect(flowLines(result, "/src/fill.ts")).toEqual([`${line('"copied", box.value', FILL)}:email-address:console.info`]);
  });

  it("analyses again the reader of the field written later, and the caller taking the effects that changed", () => {
    expect(runs["Profile.showContact"]).toBe(2);
    expect(runs["fill"]).toBe(2);
    expect(runs["copy"]).toBe(2);
  });

  it("does not analyse again a reader of another field (of a class, of a module binding), nor the callers that take only the return value", () => {
    expect(runs["Profile.show"]).toBe(1);
    expect(runs["showLabel"]).toBe(1);
    expect(runs["count"]).toBe(1);
    expect(runs["touch"]).toBe(1);
  });
});

// `this` as the receiver of a `this.m()` call is read at the paths the callee's summary takes (calls.ts receiverRead)
const readReceiver = (file: string) => fs.readFileSync(path.join(REPO_ROOT, "fixtures/engine/receiver-reads/src", file), "utf8");
const JOB = readReceiver("job.ts");

describe("re-analysis by the paths of the receiver a call read", () => {
  const result = analyzeFiles({ "/src/job.ts": JOB, "/src/signup.ts": readReceiver("signup.ts") });
  const runs = runsOf(result);
  const line = (text: string) => JOB.split("\n").findIndex((l) => l.includes(text)) + 1;

  it("finds the address that a later-built object's context gives the caller reading it", () => {
    expect(flowLines(result, "/src/job.ts")).toEqual([`${line('"notify", this.contact()')}:email-address:console.info`]);
    expect(runs["Job.notify"]).toBeGreaterThan(1);
  });

  it("does not analyse again a caller whose callee reads another path of the receiver", () => {
    expect(runs["Job.start"]).toBe(1);
  });
});

describe("valueDropped", () => {
  const calls = (code: string) => {
    const sf = ts.createSourceFile("/a.ts", code, ts.ScriptTarget.Latest, true);
    const out: [string, boolean][] = [];
    const visit = (n: ts.Node): void => {
      if (ts.isCallExpression(n)) out.push([n.getText(sf), valueDropped(n)]);
      ts.forEachChild(n, visit);
    };
    visit(sf);
    return Object.fromEntries(out);
  };

  it("says where a call's value goes nowhere", () => {
    expect(
      calls(`async function f() {
        await a1();
        void a2();
        if (!a3() && a4()) {}
        while (a5() === 1) {}
        for (a6(); a7(); a8()) {}
        const x = a9() || a10();
        (a11(), a12());
        const y = (b1() as any)!;
        return c1() ? c2() : c3();
      }`),
    ).toEqual({
      "a1()": true,
      "a2()": true,
      "a3()": true,
      "a4()": true,
      "a5()": true,
      "a6()": true,
      "a7()": true,
      "a8()": true,
      "a9()": false,
      "a10()": false,
      "a11()": true,
      "a12()": true,
      "b1()": false,
      "c1()": true,
      "c2()": false,
      "c3()": false,
    });
  });
});
