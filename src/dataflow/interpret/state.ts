import { ts } from "ts-morph";
import type { AbsentPath } from "./absent-paths.js";
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
  /** Locals that may hold the object at another access path (core.ts `writeThroughAliases`); replaced, never written in place, so clones share it. */
  private aliasMap: ReadonlyMap<string, readonly Alias[]> = NO_ALIASES;
  constructor(
    vars: Map<string, Value> = new Map(),
    public alive = true,
  ) {
    this.map = vars;
  }
  get vars(): ReadonlyMap<string, Value> {
    return this.map;
  }
  get aliases(): ReadonlyMap<string, readonly Alias[]> {
    return this.aliasMap;
  }
  set(key: string, v: Value): void {
    this.own().set(key, v);
  }
  delete(key: string): void {
    if (this.map.has(key)) this.own().delete(key);
    if (this.aliasMap.has(key)) this.setAliases(key, []);
  }
  /** The access paths the local `key` may hold the object of from now on (none: it holds its own value only). */
  setAliases(key: string, targets: readonly Alias[]): void {
    const old = this.aliasMap.get(key);
    if (old === undefined && targets.length === 0) return;
    if (old !== undefined && sameAliases(old, targets)) return;
    const next = new Map(this.aliasMap);
    if (targets.length === 0) next.delete(key);
    else next.set(key, targets);
    this.aliasMap = next.size === 0 ? NO_ALIASES : next;
  }
  clone(): State {
    this.shared = true;
    const out = new State(this.map, this.alive);
    out.shared = true;
    out.aliasMap = this.aliasMap;
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
    if (a.aliasMap !== b.aliasMap) out.aliasMap = joinAliases(a.aliasMap, b.aliasMap);
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
    if (this.aliasMap !== other.aliasMap && !aliasesLeq(this.aliasMap, other.aliasMap)) return false;
    if (this.map === other.map) return true;
    for (const [k, v] of this.map) {
      const o = other.map.get(k);
      if (!o ? !valueLeq(v, EMPTY) : !valueLeq(v, o)) return false;
    }
    return true;
  }
}

/**
 * A local that may hold the object found at an access path (`const labels = account.labels`, `const meta = this.meta ??
 * {}`, `for (const item of order.items)`): a write into the local's fields is a write at that path too (core.ts).
 */
export interface Alias {
  readonly root: "this" | Binding;
  readonly path: readonly string[];
  /** The root's key and the path, to compare aliases. */
  readonly id: string;
}

const NO_ALIASES: ReadonlyMap<string, readonly Alias[]> = new Map();

/** At most this many paths per local: past it the local is taken for a copy at the rest (a join of many branches). */
export const MAX_ALIASES = 4;

function sameAliases(a: readonly Alias[], b: readonly Alias[]): boolean {
  return a.length === b.length && a.every((x, i) => x.id === b[i]!.id);
}

/** May-alias at a merge: a local aliases a path when it does on either side (a write through it is weak). */
function joinAliases(a: ReadonlyMap<string, readonly Alias[]>, b: ReadonlyMap<string, readonly Alias[]>): ReadonlyMap<string, readonly Alias[]> {
  if (a.size === 0) return b;
  if (b.size === 0) return a;
  let out: Map<string, readonly Alias[]> | undefined;
  for (const [k, targets] of b) {
    const old = a.get(k);
    if (old === targets) continue;
    const merged = old ? [...old] : [];
    for (const t of targets) if (merged.length < MAX_ALIASES && !merged.some((m) => m.id === t.id)) merged.push(t);
    if (old && merged.length === old.length) continue;
    out ??= new Map(a);
    out.set(k, merged);
  }
  return out ?? a;
}

function aliasesLeq(a: ReadonlyMap<string, readonly Alias[]>, b: ReadonlyMap<string, readonly Alias[]>): boolean {
  for (const [k, targets] of a) {
    const other = b.get(k);
    if (other === targets) continue;
    if (!other) return false;
    for (const t of targets) if (!other.some((o) => o.id === t.id) && other.length < MAX_ALIASES) return false;
  }
  return true;
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
  /** The access paths the branches being run know falsy (absent-paths.ts); a stack, this body's own. */
  readonly absent: AbsentPath[];
}

export const MAX_NESTING = 500;

export const MAX_CALLEE_NESTING = 150;

/** Doors nested in doors: a class is vetted when any of them vets it (the outer door is the reviewed way out). */
export function joinDoors(outer: RestrictedDoor | undefined, inner: RestrictedDoor | undefined): RestrictedDoor | undefined {
  if (!outer || !inner || outer === inner) return outer ?? inner;
  return { label: inner.label, classes: [...new Set([...outer.classes, ...inner.classes])].sort() };
}
