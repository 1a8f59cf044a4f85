import fc from "fast-check";
import { ts } from "ts-morph";
import { describe, expect, it } from "vitest";
import { symbolFact, withStep, type Fact } from "../../src/dataflow/facts.js";
import { addStep, type FileRef } from "../../src/dataflow/trace.js";
import { EMPTY, joinAll, joinValues, makeValue, type Value } from "../../src/dataflow/value.js";

const sf = ts.createSourceFile("a.ts", "f(x);", ts.ScriptTarget.ES2022, true);
const file: FileRef = { path: "a.ts", sourceFile: sf };
const node = sf.statements[0]!;

/** A fact `p0.<path>` with a trace of `length` steps: joins keep the shortest trace per key, ties the first. */
function fact(path: string, length: number): Fact {
  let step;
  for (let i = 0; i < length; i++) step = addStep(step, node, file, `step ${i}`);
  return withStep(symbolFact("p0", path === "" ? [] : path.split("."), undefined), step);
}

const factsArb = fc.array(fc.tuple(fc.constantFrom("", "a", "b", "a.b", "c"), fc.integer({ min: 0, max: 3 })), { maxLength: 4 });
const valueArb: fc.Memo<Value> = fc.memo((depth) =>
  fc
    .tuple(
      factsArb,
      depth > 1 ? fc.array(fc.tuple(fc.constantFrom("x", "y", "[]"), valueArb(depth - 1)), { maxLength: 3 }) : fc.constant([]),
      fc.boolean(),
      fc.integer({ min: 0, max: 9 }),
    )
    .map(([facts, fields, strongChildren, strongRoot]) => {
      const f = new Map<string, Fact>();
      for (const [p, n] of facts) {
        const g = fact(p, n);
        f.set(g.key, g);
      }
      const fl = new Map<string, Value>();
      for (const [k, v] of fields) fl.set(k, strongChildren && k !== "[]" && !(v === EMPTY) ? { ...v, strong: true } : v);
      // now and then a value strong at its root (a field read out of a tree keeps the mark until joined)
      const v = makeValue(f, fl);
      return strongRoot === 0 && v !== EMPTY ? { ...v, strong: true } : v;
    }),
);

/** Everything a join decides: facts in order with their trace lengths, fields in order, strong marks. */
function shape(v: Value): unknown {
  return {
    facts: [...(v.facts?.values() ?? [])].map((f) => `${f.key}/${f.step?.length ?? 0}`),
    fields: [...(v.fields ?? [])].map(([k, c]) => [k, shape(c)]),
    strong: !!v.strong,
    depth: v.depth,
  };
}

describe("joinAll", () => {
  it("equals joining the values one by one from EMPTY, strong fields included", () => {
    fc.assert(
      fc.property(fc.array(valueArb(3), { maxLength: 6 }), fc.integer({ min: 0, max: 5 }), (values, repeat) => {
        // the same object more than once, as substitution resolves shared facts to shared values
        const list = values.length > 0 ? [...values, values[repeat % values.length]!] : values;
        let pairs = EMPTY;
        for (const v of list) pairs = joinValues(pairs, v);
        expect(shape(joinAll(list))).toEqual(shape(pairs));
      }),
      { numRuns: 2000 },
    );
  });
});
