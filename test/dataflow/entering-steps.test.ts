import { ts } from "ts-morph";
import { describe, expect, it } from "vitest";
import { classFact, withStep, type Fact } from "../../src/dataflow/facts.js";
import { EnteringSteps } from "../../src/dataflow/interpret/entering-steps.js";
import { addStep, concatTrace, materialize, type FileRef } from "../../src/dataflow/trace.js";
import { collectFacts, factsValue, mapFactsWith, writePath, EMPTY } from "../../src/dataflow/value.js";

const sf = ts.createSourceFile("a.ts", "user.phone; user.email; send(user); to; from;", ts.ScriptTarget.ES2022, true);
const file: FileRef = { path: "a.ts", sourceFile: sf };
const [phoneRead, emailRead, call, toRead, fromRead] = sf.statements;

describe("the steps a call site adds to the caller's facts", () => {
  // two facts of one caller object that share their caller-side trace (both read, then assigned to `user`)
  const assigned = (read: ts.Node) => addStep(addStep(undefined, read, file, "source", "source"), call!, file, "assigned to `user`");
  const shared = assigned(phoneRead!);
  const phone = classFact({ dataClass: "phone-number", reason: "test", node: phoneRead!, file, expression: "user.phone" }, shared);
  const email = classFact({ dataClass: "email-address", reason: "test", node: emailRead!, file, expression: "user.email" }, shared);
  const user = writePath(writePath(EMPTY, ["phone"], factsValue(new Map([[phone.key, phone]])), true, 5), ["email"], factsValue(new Map([[email.key, email]])), true, 5);
  // two callee-side traces of parameter 0 (`to`, `from` read inside the callee)
  const toTrace = addStep(undefined, toRead!, file, "read as `to`");
  const fromTrace = addStep(undefined, fromRead!, file, "read as `from`");
  const entering = { node: call!, message: "passed as argument `user` of `send()`", enters: "p:a.ts:1" };

  it("gives each fact the trace it had when every fact got its own step into the callee", () => {
    let described = 0;
    const steps = new EnteringSteps(file, () => (described++, entering));
    for (const suffix of [toTrace, fromTrace]) {
      const mapped = collectFacts(mapFactsWith(user, steps.mapperOf("p0", suffix)))!;
      for (const f of [phone, email]) {
        const own = withStep(f, concatTrace(addStep(f.step, call!, file, entering.message, "call", entering.enters), suffix));
        const got = mapped.get(f.key)!;
        expect(materialize(got.step)).toEqual(materialize(own.step));
        expect(got.step!.length).toBe(own.step!.length);
      }
    }
    expect(described).toBe(1); // the root's place and message, once per call site
  });

  it("shares one step into the callee among facts with one caller-side trace, whatever their callee-side traces", () => {
    const steps = new EnteringSteps(file, () => entering);
    const enteredOf = (f: Fact | undefined) => f!.step!.prev;
    const viaTo = collectFacts(mapFactsWith(user, steps.mapperOf("p0", toTrace)))!;
    const viaFrom = collectFacts(mapFactsWith(user, steps.mapperOf("p0", fromTrace)))!;
    const entered = enteredOf(viaTo.get(phone.key));
    expect(entered?.message).toBe(entering.message);
    expect(enteredOf(viaTo.get(email.key))).toBe(entered);
    expect(enteredOf(viaFrom.get(phone.key))).toBe(entered);
    // a fact with another caller-side trace gets its own
    const other = classFact({ dataClass: "phone-number", reason: "test", node: toRead!, file, expression: "to" }, assigned(toRead!));
    const alone = collectFacts(mapFactsWith(factsValue(new Map([[other.key, other]])), steps.mapperOf("p0", toTrace)))!;
    expect(enteredOf(alone.get(other.key))).not.toBe(entered);
    // one mapper per (root, callee-side trace)
    expect(steps.mapperOf("p0", toTrace)).toBe(steps.mapperOf("p0", toTrace));
    expect(steps.mapperOf("p0", fromTrace)).not.toBe(steps.mapperOf("p0", toTrace));
  });
});
