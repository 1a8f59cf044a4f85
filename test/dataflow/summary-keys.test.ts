import fc from "fast-check";
import { ts } from "ts-morph";
import { describe, expect, it } from "vitest";
import { symbolFact, withStep, type Fact, type SymbolFact } from "../../src/dataflow/facts.js";
import { changedParts } from "../../src/dataflow/reads.js";
import { makeSummary, sameValueKeys, valueKey, type CallbackEntry, type SinkEntry, type SinkSite } from "../../src/dataflow/summary.js";
import { addStep, type FileRef } from "../../src/dataflow/trace.js";
import type { FnRef, Value } from "../../src/dataflow/value.js";

// A re-run's summary is compared with the previous one by walking both (summary.ts, sameValueKeys; reads.ts,
// changedParts), where it was compared by canonical keys: the walk must say "same" exactly when the keys are equal.
const sf = ts.createSourceFile("a.ts", "f(x);\ng(y);\nh(z);", ts.ScriptTarget.ES2022, true);
const files: FileRef[] = [
  { path: "a.ts", sourceFile: sf },
  { path: "b.ts", sourceFile: sf },
];
const functions = sf.statements as unknown as readonly ts.SignatureDeclaration[];

/** `p0.<path>`, with a trace of `length` steps: traces are not part of a key. */
function fact(path: string, length: number): SymbolFact {
  let step;
  for (let i = 0; i < length; i++) step = addStep(step, sf.statements[0]!, files[0]!, `step ${i}`);
  return withStep(symbolFact("p0", path === "" ? [] : path.split("."), undefined), step) as SymbolFact;
}

// few shapes, so that equal keys come up as often as different ones; every part of a node's text varies: the fact keys,
// a field map (absent, empty, or with fields), a function list (absent, empty, or functions by file and position),
// the strong mark
const factsArb = fc.option(fc.array(fc.tuple(fc.constantFrom("", "a", "a.b"), fc.integer({ min: 0, max: 2 })), { maxLength: 2 }), { nil: undefined });
const fnsArb = fc.option(fc.array(fc.tuple(fc.integer({ min: 0, max: 1 }), fc.integer({ min: 0, max: 2 })), { maxLength: 2 }), { nil: undefined });
const valueArb: fc.Memo<Value> = fc.memo((depth) =>
  fc
    .tuple(
      factsArb,
      depth > 1 ? fc.option(fc.array(fc.tuple(fc.constantFrom("x", "y"), valueArb(depth - 1)), { maxLength: 2 }), { nil: undefined }) : fc.constant(undefined),
      fnsArb,
      fc.boolean(),
    )
    .map(([facts, fields, fns, strong]) => {
      const value: { facts?: Map<string, Fact>; fields?: Map<string, Value>; fns?: FnRef[]; strong?: boolean; depth: number } = { depth: 0 };
      if (facts !== undefined) value.facts = new Map(facts.map(([p, n]) => fact(p, n)).map((f) => [f.key, f]));
      if (fields !== undefined) value.fields = new Map(fields);
      if (fns !== undefined) value.fns = fns.map(([f, n]) => ({ file: files[f]!, node: functions[n]! }));
      if (strong) value.strong = true;
      return value;
    }),
);

function site(pos: number): SinkSite {
  return { argument: { pos }, file: files[0]!, destination: { status: "unresolved", reason: "test" } } as unknown as SinkSite;
}
const sites = [site(1), site(2), site(2)]; // two site objects with one key
const sinksArb = fc.array(fc.tuple(fc.constantFrom("", "a"), fc.integer({ min: 0, max: 2 })), { maxLength: 3 }).map((entries) =>
  entries.map(([p, s]): SinkEntry => ({ fact: fact(p, 0), site: sites[s]! })),
);
const callbacksArb = fc.array(fc.tuple(fc.integer({ min: 0, max: 1 }), fc.array(valueArb(2), { maxLength: 2 })), { maxLength: 2 }).map((entries) =>
  entries.map(([index, args]): CallbackEntry => ({ callee: fact("", 0), args, index, node: sf.statements[0]! })),
);
const summaryArb = fc
  .tuple(valueArb(3), fc.array(fc.tuple(fc.constantFrom("this", "p0", "p1"), valueArb(2)), { maxLength: 2 }), sinksArb, callbacksArb)
  .map(([returns, effects, sinks, callbacks]) => makeSummary(returns, new Map(effects), sinks, callbacks));

describe("summaries compared without their keys", () => {
  it("finds two values the same exactly when their canonical keys are equal", () => {
    fc.assert(
      fc.property(valueArb(3), valueArb(3), (a, b) => {
        expect(sameValueKeys(a, b)).toBe(valueKey(a) === valueKey(b));
        expect(sameValueKeys(a, a)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it("tells an absent field map or function list from an empty one, as the key does", () => {
    const bare: Value = { depth: 0 };
    expect(sameValueKeys(bare, { fields: new Map(), depth: 0 })).toBe(false);
    expect(sameValueKeys(bare, { fns: [], depth: 0 })).toBe(false);
    expect(sameValueKeys(bare, { facts: new Map(), depth: 0 })).toBe(true);
  });

  it("finds no part of two summaries changed exactly when their keys are equal", () => {
    fc.assert(
      fc.property(summaryArb, summaryArb, (a, b) => {
        expect(changedParts(a, b) === 0).toBe(a.key === b.key);
      }),
      { numRuns: 2000 },
    );
  });
});
