import type { ts } from "ts-morph";
import type { FileRef, Step } from "./trace.js";
import type { LocatedNode } from "./located-node.js";

/** Where restricted data entered: the read that the Question classified, and why. */
export interface SourceOrigin {
  readonly dataClass: string;
  readonly reason: string;
  readonly node: ts.Node | LocatedNode;
  readonly file: FileRef;
  readonly expression: string;
  /**
   * A name-only source where the caller's data may flow too (a parameter named `phone`, a read of `this.lastPhone`
   * that also carries what callers stored there): when another source reaches the same sink argument with the same
   * class, that one is shown instead.
   */
  readonly shadowable?: boolean;
  /** The place (see Step.enters) this source reads: a flow that entered it from upstream makes this one redundant. */
  readonly place?: string;
  /**
   * A name-only source at a read whose value carried no data of its class (`this.context.userEmail` read before any
   * object was built with a context): a run whose read carries that class makes no such source there. A record's
   * re-run joined with its previous summary leaves these out of that summary (round-join.ts `withoutGuesses`).
   */
  readonly guessed?: boolean;
}

/**
 * A taint fact. `class` facts are concrete restricted data; `symbol` facts stand, inside a function being summarised,
 * for "whatever the caller puts there": a parameter (`p0`…), `this`, at a field path, optionally minus some fields
 * (`const { phone, ...rest } = user` gives `rest` the fact user-without-phone).
 */
export type Fact = ClassFact | SymbolFact;

export interface ClassFact {
  readonly kind: "class";
  readonly key: string;
  readonly dataClass: string;
  readonly origin: SourceOrigin;
  readonly step: Step | undefined;
  /** Sanitizers the value went around (kept for update review). */
  readonly sanitizedBy?: readonly string[];
}

export interface SymbolFact {
  readonly kind: "symbol";
  readonly key: string;
  /** `p0`, `p1`, … for parameters; `this`. */
  readonly root: string;
  readonly path: readonly string[];
  readonly without?: readonly string[];
  readonly step: Step | undefined;
}

/** Facts by identity (class × origin, or symbol × path): a join keeps the shortest trace per identity. */
export type FactSet = ReadonlyMap<string, Fact>;

export function classFact(origin: SourceOrigin, step: Step | undefined): ClassFact {
  return {
    kind: "class",
    key: `c|${origin.dataClass}|${origin.file.path}|${origin.node.pos}|${origin.node.end}`,
    dataClass: origin.dataClass,
    origin,
    step,
  };
}

export function symbolFact(
  root: string,
  path: readonly string[],
  step: Step | undefined,
  without?: readonly string[],
): SymbolFact {
  const w = without && without.length > 0 ? [...without].sort() : undefined;
  return {
    kind: "symbol",
    key: `s|${root}|${path.join(".")}${w ? `|-${w.join(",")}` : ""}`,
    root,
    path,
    without: w,
    step,
  };
}

/** The key and path of a symbolic fact extended by one field: what `symbolFact(root, [...path, name], step)` makes. */
interface Extension {
  readonly key: string;
  readonly path: readonly string[];
}

/**
 * Extensions made so far, by the extended fact's key and the field's name. Keys and paths are plain data (no step, no
 * node), the same in every scan, so the table is the process's; it is emptied past MAX_EXTENSIONS entries, which bounds
 * what a process scanning many projects keeps. growthbook's scan extended 1,002,300 symbolic facts, 37,640 keys.
 */
const EXTENSIONS = new Map<string, Map<string, Extension>>();
const MAX_EXTENSIONS = 1 << 17;
let extensions = 0;

/**
 * The symbolic fact read at one more field (`p0.to` read at `.phone` is `p0.to.phone`, with the same trace; fields left
 * out by a rest pattern no longer apply below it). A summary's reads of `p0.x`, and each call site's reads of the
 * caller's values at the paths of the callee's symbolic facts, extend the same few keys over and over: the key string and
 * path are made once per key and name, only the fact (its own trace) per read.
 */
export function extendedFact(f: SymbolFact, name: string): SymbolFact {
  let byName = EXTENSIONS.get(f.key);
  let e = byName?.get(name);
  if (e === undefined) {
    if (extensions >= MAX_EXTENSIONS) {
      EXTENSIONS.clear();
      extensions = 0;
      byName = undefined;
    }
    if (byName === undefined) EXTENSIONS.set(f.key, (byName = new Map()));
    const { key, path } = symbolFact(f.root, [...f.path, name], undefined);
    byName.set(name, (e = { key, path }));
    extensions++;
  }
  return { kind: "symbol", key: e.key, root: f.root, path: e.path, without: undefined, step: f.step };
}

/**
 * The fact with another trace. Built field by field in the order of classFact and symbolFact, not spread: every fact then
 * has one of two shapes, and this runs for every fact of every value a call site or an assignment steps.
 */
export function withStep(fact: Fact, step: Step | undefined): Fact {
  if (fact.kind === "symbol") {
    return { kind: "symbol", key: fact.key, root: fact.root, path: fact.path, without: fact.without, step };
  }
  if (fact.sanitizedBy !== undefined) return { ...fact, step };
  return { kind: "class", key: fact.key, dataClass: fact.dataClass, origin: fact.origin, step };
}

function traceLength(f: Fact): number {
  return f.step?.length ?? 0;
}

/**
 * A fact set to add to, with the facts of `a` in order. Copied fact by fact (a set's keys are its facts' keys) and read
 * through `values()`: `new Map(a)`, and a loop over entries, go through the iterator protocol with a key-value pair per
 * fact, and made twice the garbage of the copy itself (a 7-fact set: 1.3 KB against 0.5 KB).
 */
export function copyFacts(a: FactSet): Map<string, Fact> {
  const out = new Map<string, Fact>();
  for (const f of a.values()) out.set(f.key, f);
  return out;
}

/** Union of two fact sets; per identity the shorter trace wins (ties keep the left one: traversal order is fixed). */
export function joinFacts(a: FactSet | undefined, b: FactSet | undefined): FactSet | undefined {
  if (!a || a.size === 0) return b && b.size > 0 ? b : undefined;
  if (!b || b.size === 0 || a === b) return a;
  let out: Map<string, Fact> | undefined;
  for (const f of b.values()) {
    const g = (out ?? a).get(f.key);
    if (!g || traceLength(f) < traceLength(g)) {
      out ??= copyFacts(a);
      out.set(f.key, f);
    }
  }
  return out ?? a;
}

/**
 * Joins fact sets one after another into one accumulator, equal to folding `joinFacts` over them from the left (same
 * facts, traces and order; a set that adds nothing is no copy). Folding `joinFacts` copies the growing result each
 * time a set adds a fact, quadratic in the facts of a large tree (a flattened value, a widened node of a summary); this
 * copies it once, on the first addition, and adds to that copy.
 */
export class FactsJoin {
  private current: FactSet | undefined;
  private own: Map<string, Fact> | undefined;

  add(b: FactSet | undefined): void {
    if (!b || b.size === 0) return;
    const a = this.current;
    if (!a || a.size === 0) {
      this.current = b;
      return;
    }
    if (a === b) return;
    for (const f of b.values()) {
      const g = a.get(f.key);
      if (!g || traceLength(f) < traceLength(g)) {
        if (this.own === undefined) this.current = this.own = copyFacts(a);
        this.own.set(f.key, f);
      }
    }
  }

  get facts(): FactSet | undefined {
    return this.current;
  }
}

/** Whether every fact of `a` is in `b` with a trace no longer than in `a` (fixpoint test). */
export function factsLeq(a: FactSet | undefined, b: FactSet | undefined): boolean {
  if (!a || a.size === 0 || a === b) return true;
  if (!b) return false;
  for (const f of a.values()) {
    const g = b.get(f.key);
    if (!g || traceLength(f) < traceLength(g)) return false;
  }
  return true;
}

export function factSetOf(facts: Iterable<Fact>): FactSet | undefined {
  let out: Map<string, Fact> | undefined;
  for (const f of facts) {
    out ??= new Map();
    const g = out.get(f.key);
    if (!g || traceLength(f) < traceLength(g)) out.set(f.key, f);
  }
  return out;
}
