import { ts } from "ts-morph";
import type { Binding } from "../context.js";
import type { RestrictedDoor } from "../../vocabulary/question.js";
import { EMPTY, joinValues, valueLeq, type Value } from "../value.js";

/** The interpreter's program point (variables of one point, scopes, loop and switch controls) and the frame of a body. */

/** Variables of one program point: local keys to values. Module bindings and class fields live in the context's stores. */
export class State {
  constructor(
    public vars: Map<string, Value> = new Map(),
    public alive = true,
  ) {}
  clone(): State {
    return new State(new Map(this.vars), this.alive);
  }
  /** Join of two program points; a dead one (after return/throw) contributes nothing. */
  static join(a: State, b: State): State {
    if (!a.alive) return b.clone();
    if (!b.alive) return a.clone();
    const out = a.clone();
    for (const [k, v] of b.vars) {
      const old = out.vars.get(k);
      out.vars.set(k, old ? joinValues(old, v) : v);
    }
    return out;
  }
  leq(other: State): boolean {
    if (!this.alive) return true;
    if (!other.alive) return false;
    for (const [k, v] of this.vars) {
      const o = other.vars.get(k);
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
}

export const MAX_NESTING = 500;

export const MAX_CALLEE_NESTING = 150;

/** Doors nested in doors: a class is vetted when any of them vets it (the outer door is the reviewed way out). */
export function joinDoors(outer: RestrictedDoor | undefined, inner: RestrictedDoor | undefined): RestrictedDoor | undefined {
  if (!outer || !inner || outer === inner) return outer ?? inner;
  return { label: inner.label, classes: [...new Set([...outer.classes, ...inner.classes])].sort() };
}
