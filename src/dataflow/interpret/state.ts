import { ts } from "ts-morph";
import type { Binding } from "../context.js";
import type { RestrictedDoor } from "../../vocabulary/question.js";
import { EMPTY, copyMap, joinValues, valueLeq, type Value } from "../value.js";

/** The interpreter's program point (variables of one point, scopes, loop and switch controls) and the frame of a body. */

/**
 * Variables of one program point: local keys to values. Module bindings and class fields live in the context's stores.
 * Copied on write: every branch, loop round and `try` clones the point, and a top level that runs route handlers inline
 * holds every local they declared, so copying the map at each clone cost time and garbage in proportion to all of
 * them while most branches change a few. A clone shares the map until one side writes.
 */
export class State {
  private map: Map<string, Value>;
  /** Whether `map` may be shared with a clone: the next write copies it first. */
  private shared = false;
  constructor(
    vars: Map<string, Value> = new Map(),
    public alive = true,
  ) {
    this.map = vars;
  }
  get vars(): ReadonlyMap<string, Value> {
    return this.map;
  }
  set(key: string, v: Value): void {
    this.own().set(key, v);
  }
  delete(key: string): void {
    if (this.map.has(key)) this.own().delete(key);
  }
  clone(): State {
    this.shared = true;
    const out = new State(this.map, this.alive);
    out.shared = true;
    return out;
  }
  private own(): Map<string, Value> {
    if (this.shared) {
      this.map = copyMap(this.map);
      this.shared = false;
    }
    return this.map;
  }
  /** Join of two program points; a dead one (after return/throw) contributes nothing. */
  static join(a: State, b: State): State {
    if (!a.alive) return b.clone();
    if (!b.alive) return a.clone();
    const out = a.clone();
    if (a.map === b.map) {
      // one map shared by both (a branch that wrote nothing): each value joined with itself, which only drops a strong
      // mark, so only such values need writing
      for (const [k, v] of b.map) if (v.strong) out.set(k, joinValues(v, v));
      return out;
    }
    for (const [k, v] of b.map) {
      const old = out.map.get(k);
      const joined = old ? joinValues(old, v) : v;
      if (joined !== old) out.set(k, joined);
    }
    return out;
  }
  leq(other: State): boolean {
    if (!this.alive) return true;
    if (!other.alive) return false;
    if (this.map === other.map) return true;
    for (const [k, v] of this.map) {
      const o = other.map.get(k);
      if (!o ? !valueLeq(v, EMPTY) : !valueLeq(v, o)) return false;
    }
    return true;
  }
}

export interface Scope {
  readonly names: Map<string, Binding>;
  readonly parent: Scope | undefined;
  /** Function scopes take `var`; the module scope maps to the context's module store. */
  readonly kind: "block" | "function" | "module";
}

export interface Control {
  readonly kind: "loop" | "switch" | "label";
  readonly labels: string[];
  readonly breaks: State[];
  readonly continues: State[];
}

/** One function body being interpreted (the analysed function, or a closure inlined at its call). */
export interface Frame {
  readonly fn: ts.Node;
  readonly name: string;
  readonly vetted: boolean;
  /** The door vetted for some data classes only that this body belongs to. */
  readonly door: RestrictedDoor | undefined;
  returns: Value;
  /** Join of `this` and parameter trees at every exit: the function's effects on its caller's objects. */
  exits: State | undefined;
  readonly params: { key: string; root: string }[];
  readonly classNode: ts.ClassLikeDeclaration | undefined;
  readonly generator: boolean;
  controls: Control[];
  throws: State[][];
  /** Keys of the locals the body declared (parameters, `const`, `let`, `var`, catch bindings). */
  readonly locals: Set<string>;
}

export const MAX_NESTING = 500;

export const MAX_CALLEE_NESTING = 150;

/** Doors nested in doors: a class is vetted when any of them vets it (the outer door is the reviewed way out). */
export function joinDoors(outer: RestrictedDoor | undefined, inner: RestrictedDoor | undefined): RestrictedDoor | undefined {
  if (!outer || !inner || outer === inner) return outer ?? inner;
  return { label: inner.label, classes: [...new Set([...outer.classes, ...inner.classes])].sort() };
}
