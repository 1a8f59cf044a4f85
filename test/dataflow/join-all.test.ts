import fc from "fast-check";
import { ts } from "ts-morph";
import { describe, expect, it } from "vitest";
import { FactsJoin, joinFacts, symbolFact, withStep, type Fact, type FactSet } from "../../src/dataflow/facts.js";
import { addStep, type FileRef } from "../../src/dataflow/trace.js";
import { collectFacts, EMPTY, joinAll, joinValues, makeValue, type Value } from "../../src/dataflow/value.js";

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

/** A fact set in order, each fact by identity (of two with the same key and trace length, a join keeps the left one). */
const ids = new WeakMap<Fact, number>();
let nextId = 0;
function factList(facts: FactSet | undefined): string[] {
  return [...(facts?.values() ?? [])].map((f) => {
    let id = ids.get(f);
    if (id === undefined) ids.set(f, (id = nextId++));
    return `${f.key}/${f.step?.length ?? 0}#${id}`;
  });
}

describe("FactsJoin", () => {
  const setArb = factsArb.map((facts) => {
    const f = new Map<string, Fact>();
    for (const [p, n] of facts) {
      const g = fact(p, n);
      f.set(g.key, g);
    }
    return f as FactSet;
  });

  it("equals folding joinFacts over the sets, the same set more than once and empty ones included", () => {
    fc.assert(
      fc.property(fc.array(fc.option(setArb, { nil: undefined }), { maxLength: 8 }), fc.integer({ min: 0, max: 7 }), (sets, repeat) => {
        const list = sets.length > 0 ? [...sets, sets[repeat % sets.length]] : sets;
        let folded: FactSet | undefined;
        const join = new FactsJoin();
        for (const set of list) {
          folded = joinFacts(folded, set);
          join.add(set);
        }
        expect(factList(join.facts)).toEqual(factList(folded));
        // a set that adds nothing is not copied: one set alone is that set
        if (list.filter((set) => set !== undefined && set.size > 0).length === 1) expect(join.facts).toBe(folded);
      }),
      { numRuns: 2000 },
    );
  });

  it("collects a tree's facts as joining its nodes one by one", () => {
    fc.assert(
      fc.property(valueArb(3), (v) => {
        const seen = new Set<Value>();
        let folded = v.facts;
        const stack = [...(v.fields?.values() ?? [])];
        while (stack.length > 0) {
          const c = stack.pop()!;
          if (seen.has(c)) continue;
          seen.add(c);
          folded = joinFacts(folded, c.facts);
          stack.push(...(c.fields?.values() ?? []));
        }
        expect(factList(collectFacts(v))).toEqual(factList(folded));
      }),
      { numRuns: 1000 },
    );
  });
});
