import type { ts } from "ts-morph";
import { extendedFact, FactsJoin, factsLeq, joinFacts, symbolFact, type Fact, type FactSet } from "./facts.js";
import type { FileRef } from "./trace.js";
import { closesBack } from "./back-references.js";

/** A function the engine can call when a value is invoked: a local closure, an object-literal method, a bound method. */
export interface FnRef {
  readonly node: ts.SignatureDeclaration;
  readonly file: FileRef;
  /** The receiver a method was read from (`obj.send` → obj), bound as `this` when called. */
  readonly thisValue?: Value;
}

/**
 * An abstract value: a tree of access paths. `facts` hold for this value and everything below it ("deep"); `fields`
 * refine named fields; `[]` is the pseudo-field of array elements, Map values and Set members, `[k]` of Map keys.
 * `strong` marks a field that was overwritten as a whole, so the parent's facts no longer reach it.
 * Values are immutable: branches copy the variable map, never the trees.
 */
export interface Value {
  readonly facts?: FactSet;
  readonly fields?: ReadonlyMap<string, Value>;
  readonly fns?: readonly FnRef[];
  readonly strong?: boolean;
  /** Height of the field tree (0 for a leaf): cut at the field-depth budget. */
  readonly depth: number;
}

export const EMPTY: Value = Object.freeze({ depth: 0 });

/** Pseudo-field of elements (arrays, Set members, Map values). */
export const ELEMENTS = "[]";
/** Pseudo-field of Map keys. */
export const KEYS = "[k]";

const MAX_FNS = 8;

/**
 * The continuation a modelled builder hands its callbacks (`next` of a tRPC or next-safe-action middleware): calling it
 * answers what it was given, field by field, so `next({ ctx: { …ctx, user } })` hands the chain a context whose members
 * stay apart. A value is this continuation when it has this pseudo-field.
 */
const PASS_ON = "[next]";
export const CONTINUATION: Value = Object.freeze({ fields: new Map([[PASS_ON, EMPTY]]), depth: 1 });

export function isContinuation(v: Value): boolean {
  return v.fields?.has(PASS_ON) === true;
}

export function makeValue(
  facts: FactSet | undefined,
  fields: ReadonlyMap<string, Value> | undefined,
  fns?: readonly FnRef[],
  strong?: boolean,
): Value {
  const f = facts && facts.size > 0 ? facts : undefined;
  const fl = fields && fields.size > 0 ? fields : undefined;
  const fn = fns && fns.length > 0 ? fns : undefined;
  if (!f && !fl && !fn && !strong) return EMPTY;
  let depth = 0;
  if (fl) for (const c of fl.values()) depth = Math.max(depth, c.depth + 1);
  return { facts: f, fields: fl, fns: fn, strong: strong || undefined, depth };
}

export function factsValue(facts: FactSet | undefined): Value {
  return makeValue(facts, undefined);
}

export function isEmpty(v: Value): boolean {
  return !v.facts && !v.fields && !v.fns;
}

export function hasTaint(v: Value): boolean {
  if (v.facts) return true;
  if (v.fields) for (const c of v.fields.values()) if (hasTaint(c)) return true;
  return false;
}

function joinFns(a: readonly FnRef[] | undefined, b: readonly FnRef[] | undefined): readonly FnRef[] | undefined {
  if (!a) return b;
  if (!b || a === b) return a;
  let out: FnRef[] | undefined;
  for (const f of b) {
    if (a.some((g) => g.node === f.node) || out?.some((g) => g.node === f.node)) continue;
    out ??= [...a];
    if (out.length < MAX_FNS) out.push(f);
  }
  return out ?? a;
}

export function joinValues(a: Value, b: Value): Value {
  if (a === b || isEmpty(b)) return b.strong && !a.strong ? a : a.strong && !isEmpty(b) ? { ...a, strong: undefined } : a;
  if (isEmpty(a)) return a.strong ? b : b.strong ? { ...b, strong: undefined } : b;
  const facts = joinFacts(a.facts, b.facts);
  let fields = a.fields;
  if (b.fields) {
    let out: Map<string, Value> | undefined;
    for (const [k, bv] of b.fields) {
      const av = (out ?? a.fields)?.get(k);
      const j = av ? joinValues(av, bv) : bv.strong ? { ...bv, strong: undefined } : bv;
      if (j !== av) {
        out ??= copyMap(a.fields);
        out.set(k, j);
      }
    }
    if (out) fields = out;
  }
  // a field overwritten on one side only may still hold the parent's data on the other: no longer strong
  if (a.fields) {
    let out: Map<string, Value> | undefined;
    for (const [k, av] of a.fields) {
      if (av.strong && !b.fields?.has(k)) {
        out ??= copyMap(fields);
        out.set(k, { ...av, strong: undefined });
      }
    }
    if (out) fields = out;
  }
  const fns = joinFns(a.fns, b.fns);
  const strong = a.strong && b.strong;
  if (facts === a.facts && fields === a.fields && fns === a.fns && !!strong === !!a.strong) return a;
  return makeValue(facts, fields, fns, strong);
}

/**
 * The join of many values, equal to joining them one by one from EMPTY (same facts, traces, field and fact order) but
 * building each node of the result once: joined in pairs, k values copied the growing fact map and the nodes above
 * every changed field k times (a call site's substitution joins the caller's values for every symbolic fact at each
 * node of the summary, and most of the garbage of a scan was those intermediate trees). A node where a value is
 * `strong` (a field overwritten as a whole, whose join has its own rules) is joined in pairs.
 */
export function joinAll(values: Iterable<Value>): Value {
  const all = Array.isArray(values) ? (values as readonly Value[]) : [...values];
  const list: Value[] = [];
  for (const v of all) {
    if (v.strong) return joinInPairs(all);
    if (!isEmpty(v)) list.push(v);
  }
  if (list.length <= 1) return list[0] ?? EMPTY;
  if (list.length === 2) return joinValues(list[0]!, list[1]!);
  return joinMany(list) ?? joinInPairs(list);
}

function joinInPairs(values: Iterable<Value>): Value {
  let out = EMPTY;
  for (const v of values) out = joinValues(out, v);
  return out;
}

/** `joinAll` of non-empty values not strong themselves; undefined where a field is strong (joined in pairs then). */
function joinMany(list: readonly Value[]): Value | undefined {
  const facts = new FactsJoin();
  let children: Map<string, Value[]> | undefined;
  let fns: readonly FnRef[] | undefined;
  for (const v of list) {
    facts.add(v.facts);
    if (v.fields) {
      children ??= new Map();
      for (const [k, c] of v.fields) {
        if (c.strong) return undefined;
        const cs = children.get(k);
        if (!cs) children.set(k, [c]);
        else cs.push(c);
      }
    }
    if (v.fns) fns = joinFns(fns, v.fns);
  }
  let fields: Map<string, Value> | undefined;
  if (children) {
    fields = new Map();
    for (const [k, cs] of children) {
      const c = cs.length === 1 ? cs[0]! : cs.length === 2 ? joinValues(cs[0]!, cs[1]!) : joinMany(cs);
      if (!c) return undefined;
      fields.set(k, c);
    }
  }
  return makeValue(facts.facts, fields, fns);
}

/**
 * Whether `a` adds nothing to `b` (fixpoint test). With `listedFunctions` (a store's writes), a function among the
 * elements below a field `b` lacks counts too: a listener pushed on `handlers[event]` of an empty store is what a later
 * `emit` runs. Only elements: counting every function below a new field (a registry's `{ x: { run } }`, a request
 * context's models) made growthbook's stores hold them and their readers call them, budget notes 1,036 → 1,106 and CPU
 * +20 % with the same results; a body's own state and the summaries compare as before.
 */
export function valueLeq(a: Value, b: Value, listedFunctions = false): boolean {
  if (a === b) return true;
  if (!factsLeq(a.facts, b.facts)) return false;
  if (a.fields) {
    for (const [k, av] of a.fields) {
      const bv = b.fields?.get(k);
      if (!bv) {
        if (hasTaint(av) || av.fns || (listedFunctions && listsFunctions(av))) return false;
      } else if (!valueLeq(av, bv, listedFunctions)) return false;
    }
  }
  if (a.fns) for (const f of a.fns) if (!b.fns?.some((g) => g.node === f.node)) return false;
  return true;
}

/**
 * Whether two values are the same, traces included: the same fact objects at the same paths, the same functions, the
 * same overwrites. Finer than the canonical key (summary.ts), which ignores traces: a join that gave a field a shorter
 * trace for a fact it already held changes what a reader of that field reports.
 */
export function identicalValues(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (!!a.strong !== !!b.strong || !identicalFacts(a.facts, b.facts)) return false;
  if (a.fns !== b.fns && (a.fns?.length !== b.fns?.length || a.fns!.some((f, i) => f !== b.fns![i]))) return false;
  if ((a.fields?.size ?? 0) !== (b.fields?.size ?? 0)) return false;
  for (const [k, av] of a.fields ?? []) {
    const bv = b.fields!.get(k);
    if (bv === undefined || !identicalValues(av, bv)) return false;
  }
  return true;
}

function identicalFacts(a: FactSet | undefined, b: FactSet | undefined): boolean {
  if (a === b) return true;
  if ((a?.size ?? 0) !== (b?.size ?? 0)) return false;
  for (const [k, f] of a ?? []) if (b!.get(k) !== f) return false;
  return true;
}

/** Extends symbolic facts by one field (`p0` read at `.phone` is `p0.phone`); concrete facts hold deep, unchanged. */
function extendFacts(facts: FactSet | undefined, name: string, fieldDepth: number): FactSet | undefined {
  if (!facts) return undefined;
  // the new set is made at the first fact that changes: a set of concrete facts only (most reads) is read as it is
  let out: Map<string, Fact> | undefined;
  let i = 0;
  for (const f of facts.values()) {
    let g: Fact | undefined = f;
    if (f.kind === "symbol") {
      if (f.without?.includes(name)) g = undefined;
      // `[]` stays in the path: `p0.[].id` is the id of an element, so a caller passing `[device]` gives `device.id`
      // (as `p0.id` it read `id` of the array, which is every element whole)
      // `p0.models.x` read at `context` where that closes back on the owner (back-references.ts): `p0` again
      else if (f.path.length >= 2 && closesBack(f.path[f.path.length - 2]!, f.path[f.path.length - 1]!, name)) g = symbolFact(f.root, f.path.slice(0, -2), f.step);
      else if (f.path.length < fieldDepth) g = extendedFact(f, name);
      else if (f.without) g = symbolFact(f.root, f.path, f.step);
    }
    if (!out && g !== f) out = firstEntries(facts, i);
    if (out && g) out.set(g.key, g);
    i++;
  }
  return out ? (out.size > 0 ? out : undefined) : facts;
}

/**
 * x.name: facts of x (deep), the field's own tree, and the unknown-field bucket. `[]` (a dynamic key) reads all.
 * A member that is never the object's data ({@link isOpaqueMember}: its identifier, its class) gets only what was
 * written at it, not the data the object carries as a whole.
 */
export function readField(v: Value, name: string, fieldDepth: number): Value {
  if (isEmpty(v)) return EMPTY;
  return readFieldNow(v, name, fieldDepth);
}

/**
 * Reads already made, per value node and field name: values are immutable, so a read's result never changes. One
 * substitution at a call site reads the caller's value at the path of every symbolic fact of the callee's summary, and
 * those paths share prefixes, so the same node is read at the same name again and again; without a memo each read
 * joined the field's tree with the element tree anew (half of outline's analysis). The memo lives as long as the
 * substitution that fills it: kept for the whole scan, it held on to reads nothing needed again (unleash ran out of
 * memory sooner).
 */
export type ReadMemo = Map<Value, Map<string, Value>>;

export function readPathMemo(v: Value, path: readonly string[], fieldDepth: number, memo: ReadMemo): Value {
  let out = v;
  for (const p of path) {
    if (isEmpty(out)) return EMPTY;
    let byName = memo.get(out);
    if (!byName) memo.set(out, (byName = new Map()));
    let next = byName.get(p);
    if (!next) byName.set(p, (next = readFieldNow(out, p, fieldDepth)));
    out = next;
  }
  return out;
}

function readFieldNow(v: Value, name: string, fieldDepth: number): Value {
  const child = v.fields?.get(name);
  if (child?.strong) return { ...child, strong: undefined };
  if (isOpaqueMember(name)) {
    const symbolic = symbolicFacts(v.facts);
    const own = factsValue(extendFacts(symbolic, name, fieldDepth));
    return child ? joinValues(own, child) : own;
  }
  let out = factsValue(extendFacts(v.facts, name, fieldDepth));
  if (child) out = joinValues(out, child);
  if (v.fields) {
    if (name === ELEMENTS) {
      // `out` is not strong (a strong child was returned above), so this equals joining the fields into it one by one
      const all = [out];
      for (const [k, c] of v.fields) if (k !== ELEMENTS) all.push(c);
      if (all.length > 1) out = joinAll(all);
    } else {
      const el = v.fields.get(ELEMENTS);
      if (el && name !== KEYS) out = joinValues(out, el);
    }
  }
  return out;
}

/**
 * Members that name the object rather than hold its contents: its class (`constructor`, whose `name` is the class's
 * name) and its identifiers (`id`, `_id`, `uuid`, `userId`, `organization_id`, `customerIDs`). When an object carries
 * restricted data as a whole — the result of a call the engine cannot see into (an ORM query keyed by an e-mail
 * address, a library's answer), or a path cut at the field-depth budget — that data is somewhere inside it, not in the
 * key the database or the program gave it: `user._id`, `recipient.id`, `this.id` in a cache key are clean. What was
 * written at the member itself (`{ id: user.email }`) still flows, and a member whose own name is a data class
 * (`deviceId`) is a source at its read whatever the object holds. Symbolic facts are kept (a summary reading `p0.id`
 * asks the caller's value at `.id`, where the same rule applies).
 */
export function isOpaqueMember(name: string): boolean {
  return name === "constructor" || IDENTIFIER_MEMBER.test(name) || TOKEN_MEMBER.test(name) || DESCRIPTION_MEMBERS.has(name);
}

/**
 * `placeholder`, `label`, `helpText`: the text a form or a screen shows about a field, not the field's value — the
 * `phone` entry of a survey's contact form (`{ show, required, placeholder }`) holds no phone number, and
 * `phone.placeholder` ("Your phone number") is no more one than `user.id` is an address. A label the code filled with
 * the datum itself (`{ label: user.email, value: user.id }`) still is (written at the member).
 */
const DESCRIPTION_MEMBERS = new Set(["placeholder", "placeholders", "label", "labels", "helpText", "hint", "tooltip", "caption", "description"]);

/**
 * `token`, `inviteToken`, `reset_token`: a key generated for the object (an invitation, a password reset, a session)
 * names it like an identifier does; it is not the data the object was made from. A token member whose own name is a
 * data class (`pushToken`, `deviceToken`) is still a source at its read.
 */
const TOKEN_MEMBER = /^_?tokens?$|^_?TOKENS?$|^[A-Za-z0-9]*[a-z0-9]Tokens?$|^[A-Za-z0-9]+_(?:tokens?|TOKENS?)$/;

/**
 * `id`, `_id`, `uid`, `uuid`, `guid`, and names ending in one as a word: `userId`, `user_id`, `USER_ID`, `orgIDs`,
 * `itemUuid`, and MongoDB's references with a leading underscore (`_subscriberId`, `_templateId`).
 */
const IDENTIFIER_MEMBER = /^(?:_?id|_?ID|uu?id|guid|ids|uuids)$|^_?[A-Za-z0-9]*[a-z0-9](?:Ids?|IDs?|Uuids?|UUIDs?)$|^[A-Za-z0-9]+_(?:ids?|IDS?|uuids?|UUIDS?)$/;

function symbolicFacts(facts: FactSet | undefined): FactSet | undefined {
  if (!facts) return undefined;
  let out: Map<string, Fact> | undefined;
  for (const f of facts.values()) {
    if (f.kind !== "symbol") continue;
    out ??= new Map();
    out.set(f.key, f);
  }
  return out;
}

/**
 * A two-element array whose positions differ (`Object.entries` gives `[field name, value]`): its
 * positions are the fields `0` and `1`, which a destructuring `[key, value]` or a literal index `[1]` reads one by one;
 * read as elements (`for…of`, `.pop()`, a dynamic index) it is both. A short array literal is positional the same way
 * (a tuple: `Promise.all([a, b])` destructured).
 */
export function positionalPair(first: Value, second: Value): Value {
  return makeValue(undefined, new Map([["0", first], ["1", second]]));
}

/** How many elements an array may have and still be a tuple, each position its own field (a short literal, a rest parameter's arguments). */
export const TUPLE_POSITIONS = 12;

/**
 * A rest parameter's value: the arguments at and after its index, each at its position when they are few (a tuple, as
 * a short array literal is), so a wrapper that hands them on (`new Store(...args)`) gives each parameter its own; many
 * are one list of elements. Read as elements (`for…of`, a dynamic index) a tuple is every position joined.
 */
export function restArguments(args: readonly Value[], from: number): Value {
  const last = args[from];
  if (from === args.length - 1 && last !== undefined && spreadRests.has(last)) return last;
  const rest = args.slice(from);
  if (rest.length <= TUPLE_POSITIONS) return makeValue(undefined, new Map(rest.map((v, i): [string, Value] => [String(i), v])));
  return makeValue(undefined, new Map([[ELEMENTS, joinAll(rest)]]));
}

/** The arrays a spread hands on whole into a rest parameter (spreadRest): the parameter is that array, not a list of it. */
const spreadRests = new WeakSet<Value>();

/**
 * What a rest parameter takes of an array spread into it from its own position on (`create(...args)` in a wrapper whose
 * own `args` is a rest parameter too): the array itself at offset 0 — a tuple's positions, a parameter's symbolic value
 * read at `0`, `1`, … in the callee as in the caller —, a tuple's later positions moved down past an offset, and
 * otherwise the array's elements as a list. A fresh node, so that only this argument is taken whole by
 * {@link restArguments}, never the same value passed as one argument elsewhere.
 */
export function spreadRest(spread: Value, offset: number, fieldDepth: number): Value {
  let out: Value;
  if (offset === 0) out = { ...spread, strong: undefined };
  else if (isTuple(spread)) {
    const fields = new Map<string, Value>();
    for (const [k, c] of spread.fields!) if (Number(k) >= offset) fields.set(String(Number(k) - offset), c);
    out = { ...makeValue(undefined, fields) };
  } else out = { ...makeValue(undefined, new Map([[ELEMENTS, readField(spread, ELEMENTS, fieldDepth)]])) };
  spreadRests.add(out);
  return out;
}

/** Fields `0`…`n-1` only, nothing at the root: positions known one by one (a short literal, a rest parameter's arguments). */
function isTuple(v: Value): boolean {
  if (v.facts !== undefined || v.fns !== undefined || v.fields === undefined) return false;
  for (const k of v.fields.keys()) if (!/^(0|[1-9][0-9]?)$/.test(k)) return false;
  return true;
}

/** Position `i` of a value when it has positional fields (positionalPair), else its elements. */
export function readPosition(v: Value, i: number, fieldDepth: number): Value {
  const position = String(i);
  return readField(v, v.fields?.has(position) ? position : ELEMENTS, fieldDepth);
}

export function readPath(v: Value, path: readonly string[], fieldDepth: number): Value {
  let out = v;
  for (const p of path) out = readField(out, p, fieldDepth);
  return out;
}

/**
 * Every fact in the tree: the value used as a whole (a sink argument, a string built from it, JSON). Trees share
 * subtrees (joins keep untouched children), so each node object is visited once: joining its facts again adds nothing.
 */
export function collectFacts(v: Value): FactSet | undefined {
  if (!v.fields) return v.facts;
  const out = new FactsJoin();
  out.add(v.facts);
  someNodeBelow(v, (c) => {
    out.add(c.facts);
    return false;
  });
  return out.facts;
}

/**
 * Visits each node below the root once (trees share subtrees), depth first, fields in order; stops at the first node
 * `visit` answers true for, and says whether there was one.
 */
function someNodeBelow(v: Value, visit: (node: Value) => boolean): boolean {
  if (!v.fields) return false;
  const seen = new Set<Value>();
  const stack: Value[] = [...v.fields.values()];
  while (stack.length > 0) {
    const c = stack.pop()!;
    if (seen.has(c)) continue;
    seen.add(c);
    if (visit(c)) return true;
    if (c.fields) for (const g of c.fields.values()) stack.push(g);
  }
  return false;
}

/** The value as an opaque whole (a string, a number): all its facts at the root, no fields, no functions. */
export function flatten(v: Value): Value {
  if (!v.fields && !v.fns && !v.strong) return v;
  return factsValue(collectFacts(v));
}

/** x.path = w, strongly (replace) or weakly (join). Paths past the field depth are cut: the prefix becomes deep. */
export function writePath(v: Value, path: readonly string[], w: Value, strong: boolean, fieldDepth: number): Value {
  if (path.length === 0) return strong ? w : joinValues(v, w);
  if (path.length > fieldDepth) return writePath(v, path.slice(0, fieldDepth), flatten(w), false, fieldDepth);
  const [head, ...rest] = path as [string, ...string[]];
  const old = v.fields?.get(head) ?? EMPTY;
  let next = writePath(old, rest, w, strong, fieldDepth);
  if (strong && rest.length === 0 && head !== ELEMENTS) next = { ...next, strong: true };
  const fields = copyMap(v.fields);
  fields.set(head, next);
  return makeValue(v.facts, fields, v.fns, v.strong);
}

/** The value minus some named fields (object rest: `const { phone, ...rest } = user`). */
export function withoutFields(v: Value, names: readonly string[]): Value {
  let facts = v.facts;
  if (facts) {
    const out = new Map<string, Fact>();
    for (const f of facts.values()) {
      const g =
        f.kind === "symbol" ? symbolFact(f.root, f.path, f.step, [...(f.without ?? []), ...names]) : f;
      out.set(g.key, g);
    }
    facts = out;
  }
  let fields: Map<string, Value> | undefined;
  if (v.fields) {
    fields = copyMap(v.fields);
    for (const n of names) fields.delete(n);
  }
  return makeValue(facts, fields, v.fns);
}

/**
 * The value minus the tree at `path` (a nested {@link withoutFields}). Where the path runs into a node that has no such
 * field, what is below it is that node's data as a whole and stays.
 */
export function withoutPath(v: Value, path: readonly string[]): Value {
  const [head, ...rest] = path;
  if (head === undefined) return v;
  if (rest.length === 0) return withoutFields(v, [head]);
  const child = v.fields?.get(head);
  if (!child) return v;
  const fields = copyMap(v.fields);
  fields.set(head, withoutPath(child, rest));
  return makeValue(v.facts, fields, v.fns, v.strong);
}

/**
 * Applies `fn` to every fact of the tree (append a step, keep only concrete facts…); `undefined` drops the fact. `fn`
 * must give the same answer for the same fact: it is asked once per fact object, and a subtree shared by several
 * parents is mapped once (the result shares it too). A node whose facts all map to themselves is kept as it is.
 */
export function mapFacts(v: Value, fn: (f: Fact) => Fact | undefined): Value {
  if (isEmpty(v)) return v;
  // a leaf is the only node, and its facts are distinct objects (a set holds one per key): nothing to remember
  return mapFactsWith(v, v.fields ? factMapper(fn) : { fn });
}

/**
 * The tree with only the facts `keep` accepts (a store's concrete data, a message's symbolic part). Nothing is
 * remembered per fact: a filter makes no new facts, and asking it again costs less than the map that would remember
 * its answer — a class store's copy of a call site's effects on `this` went through millions of facts, and putting
 * each in that map was most of the copy's time. Shared subtrees are still filtered once.
 */
export function filterFacts(v: Value, keep: (f: Fact) => boolean): Value {
  if (isEmpty(v)) return v;
  const fn = (f: Fact): Fact | undefined => (keep(f) ? f : undefined);
  return mapFactsWith(v, v.fields ? { fn, keeps: "nodes", k0: undefined, v0: undefined, k1: undefined, v1: undefined, memo: undefined } : { fn });
}

/**
 * A fact mapping with what it has already mapped: facts by object and tree nodes by object. Several trees mapped by
 * the same function share it, so a node or fact they have in common is mapped once and the results share it (a call
 * site substitutes many symbolic facts of one parameter with the same callee-side trace, and their values are read
 * from the same caller tree).
 */
export interface FactMapper {
  readonly fn: (f: Fact) => Fact | undefined;
  /**
   * What it remembers: facts and nodes (`all`), nodes only where `fn` makes no new facts (filterFacts), nothing where no
   * fact or node is met twice (absent: one leaf).
   */
  readonly keeps?: "all" | "nodes";
  /**
   * What it has mapped, facts and nodes alike by object (a fact is never a node): the first two in `k0`/`v0` and
   * `k1`/`v1`, the rest in `memo`, a map made at the third. A call site makes a mapper per parameter and callee-side
   * trace: growthbook's scan made 2.16 million, of which 2.01 million mapped a fact and 1.37 million a node
   * (performance.md, session 46 — helper M), and 82 % of the maps made held one or two entries at the end, a fact and
   * the leaf holding it (session 51 — helper M): making those maps was 5 % of what the scan allocated.
   */
  k0?: Fact | Value;
  v0?: Fact | Value | undefined;
  k1?: Fact | Value;
  v1?: Fact | Value | undefined;
  memo?: Map<Fact | Value, Fact | Value | undefined>;
}

export function factMapper(fn: (f: Fact) => Fact | undefined): FactMapper {
  return { fn, keeps: "all", k0: undefined, v0: undefined, k1: undefined, v1: undefined, memo: undefined };
}

/** What a mapper answered for `k`, or NOT_MAPPED. */
const NOT_MAPPED = Symbol("not mapped");

function recalled(m: FactMapper, k: Fact | Value): Fact | Value | undefined | typeof NOT_MAPPED {
  if (m.k0 === k) return m.v0;
  if (m.k1 === k) return m.v1;
  const memo = m.memo;
  if (memo === undefined) return NOT_MAPPED;
  const v = memo.get(k);
  return v !== undefined || memo.has(k) ? v : NOT_MAPPED;
}

function remember(m: FactMapper, k: Fact | Value, v: Fact | Value | undefined): void {
  if (m.k0 === undefined) {
    m.k0 = k;
    m.v0 = v;
  } else if (m.k1 === undefined) {
    m.k1 = k;
    m.v1 = v;
  } else (m.memo ??= new Map()).set(k, v);
}

/** One fact through a mapper: asked once per fact object. */
export function mapFact(m: FactMapper, f: Fact): Fact | undefined {
  if (m.keeps !== "all") return m.fn(f);
  const known = recalled(m, f);
  if (known !== NOT_MAPPED) return known as Fact | undefined;
  const g = m.fn(f);
  remember(m, f, g);
  return g;
}

export function mapFactsWith(v: Value, m: FactMapper): Value {
  if (isEmpty(v)) return v;
  const done = m.keeps !== undefined ? recalled(m, v) : NOT_MAPPED;
  if (done !== NOT_MAPPED) return done as Value;
  let changed = false;
  let facts: Map<string, Fact> | undefined;
  if (v.facts) {
    // the new map is made only at the first fact that changes: most nodes of a mapped tree keep theirs
    let i = 0;
    for (const f of v.facts.values()) {
      const g = mapFact(m, f);
      if (!facts && g !== f) facts = firstEntries(v.facts, i);
      if (facts && g) {
        const old = facts.get(g.key);
        if (!old || (g.step?.length ?? 0) < (old.step?.length ?? 0)) facts.set(g.key, g);
      }
      i++;
    }
    if (facts) changed = true;
  }
  let fields: Map<string, Value> | undefined;
  if (v.fields) {
    let i = 0;
    for (const [k, c] of v.fields) {
      const d = mapFactsWith(c, m);
      if (!fields && d !== c) fields = firstEntries(v.fields, i);
      fields?.set(k, d);
      i++;
    }
    if (fields) changed = true;
  }
  const out = changed ? makeValue(facts ?? v.facts, fields ?? v.fields, v.fns, v.strong) : v;
  // a leaf that comes back as it is is not remembered: met again, its facts map to themselves again (each remembered,
  // or asked of `fn` again, which gives the same answer) and it comes back as it is again
  if (m.keeps !== undefined && (changed || v.fields)) remember(m, v, out);
  return out;
}

/**
 * A copy of a map to change (a node's fields, a state's variables). Copied by `forEach`: `new Map(map)` and a loop
 * over entries go through the iterator protocol with a key-value pair per entry, twice the garbage of the copy itself.
 */
export function copyMap<K, V>(map: ReadonlyMap<K, V> | undefined): Map<K, V> {
  const out = new Map<K, V>();
  map?.forEach((v, k) => out.set(k, v));
  return out;
}

/** A new map with the first `n` entries of `map`, in order: the start of a copy made at the first entry that changes. */
export function firstEntries<K, V>(map: ReadonlyMap<K, V>, n: number): Map<K, V> {
  const out = new Map<K, V>();
  if (n === 0) return out;
  let i = 0;
  for (const [k, v] of map) {
    out.set(k, v);
    if (++i === n) break;
  }
  return out;
}

/**
 * The value without its empty leaves: fields that hold no facts, no functions and no fields of their own, and are not
 * overwritten as a whole (`strong`); a field left with nothing goes too. Such a leaf says nothing a reader can see: a
 * read of the field gets the parent's facts whether it is there or not (readField), and a weak write of it changes
 * nothing (joinValues). Yet it is a node of its own in the tree's canonical key (summary.ts), and the join leaves one
 * behind wherever a field was overwritten on one side only (`{ ...b, strong: undefined }`). A summary that kept them
 * changed its key each time a callee's write at a new place reached it, holding no data: every caller was analysed
 * again for nothing, and in a cycle of methods on one object (growthbook's query runners) that was a round of the whole
 * cycle (docs/engine.md, "Empty leaves").
 *
 * The one place an empty leaf did count is a join with a field overwritten on the other side: `joinValues` keeps that
 * field strong where the other side has the leaf, and not where it has nothing there. Without the leaf, the parent's
 * facts on the other side reach the field, as they did on that side: the same or more facts, never fewer.
 */
export function withoutEmptyLeaves(v: Value, memo: Map<Value, Value> = new Map()): Value {
  if (!v.fields) return v;
  const done = memo.get(v);
  if (done) return done;
  let fields: Map<string, Value> | undefined;
  for (const [k, c] of v.fields) {
    const d = withoutEmptyLeaves(c, memo);
    const empty = !d.facts && !d.fields && !d.fns && !d.strong;
    if (empty || d !== c) {
      fields ??= new Map(v.fields);
      if (empty) fields.delete(k);
      else fields.set(k, d);
    }
  }
  const out = fields ? makeValue(v.facts, fields, v.fns, v.strong) : v;
  memo.set(v, out);
  return out;
}

/**
 * Cuts a tree to the field-depth budget: below depth k everything collapses into deep facts. Trees share subtrees, and
 * an object that holds itself (a request context whose fifty models each keep the context) is a tree where the same
 * node sits under many paths at every level: each node is cut once per remaining depth, and the results are shared in
 * turn, so the cut tree has at most k copies of a node instead of one per path (fifty models of fifty models…).
 */
export function truncate(v: Value, fieldDepth: number): Value {
  if (v.depth <= fieldDepth) return v;
  return truncateShared(v, fieldDepth, new Map());
}

/**
 * Whether cutting a tree at the field depth gives something up: a node at the cut whose fields hold facts or functions
 * (flattened, its fields' data reaches every member read below it; a function is no longer called). A cut of structure
 * that holds nothing, or only facts the node already has, is the same value.
 */
export function truncateLoses(v: Value, fieldDepth: number, seen: Map<Value, number> = new Map()): boolean {
  if (v.depth <= fieldDepth) return false;
  // a node cut at a depth already checked (or a smaller one) was answered there
  const checked = seen.get(v);
  if (checked !== undefined && checked <= fieldDepth) return false;
  seen.set(v, fieldDepth);
  if (fieldDepth <= 0) return v.fns !== undefined || [...(v.fields?.values() ?? [])].some((c) => holdsSomething(c, new Set()));
  for (const c of v.fields?.values() ?? []) if (truncateLoses(c, fieldDepth - 1, seen)) return true;
  return false;
}

/** Functions among a value's elements, at any depth of elements (`{ []: fn }`, `{ []: { []: fn } }`). */
function listsFunctions(v: Value): boolean {
  const el = v.fields?.get(ELEMENTS);
  return el !== undefined && (el.fns !== undefined || listsFunctions(el));
}

/** Facts or functions anywhere in the tree: data a store keeps, or a function a later call through it runs. */
export function holdsDataOrFunctions(v: Value): boolean {
  return holdsSomething(v, new Set());
}

/** Facts or functions anywhere in the tree; each shared node visited once. */
function holdsSomething(v: Value, seen: Set<Value>): boolean {
  if (seen.has(v)) return false;
  seen.add(v);
  if (v.facts || v.fns) return true;
  for (const c of v.fields?.values() ?? []) if (holdsSomething(c, seen)) return true;
  return false;
}

function truncateShared(v: Value, fieldDepth: number, memo: Map<Value, Value[]>): Value {
  if (v.depth <= fieldDepth) return v;
  let byDepth = memo.get(v);
  const done = byDepth?.[fieldDepth];
  if (done) return done;
  let out: Value;
  if (fieldDepth <= 0) out = flatten(v);
  else {
    const fields = new Map<string, Value>();
    for (const [k, c] of v.fields ?? []) fields.set(k, truncateShared(c, fieldDepth - 1, memo));
    out = makeValue(v.facts, fields, v.fns, v.strong);
  }
  if (!byDepth) memo.set(v, (byDepth = []));
  byDepth[fieldDepth] = out;
  return out;
}

/** Caps the facts of every node: past `max`, facts of one data class (or symbol root) keep only their shortest trace. */
export function capFacts(v: Value, max: number, onHit: () => void): Value {
  // every local write and every value of a summary is capped, and almost none is over the cap: answered by a walk that
  // copies nothing (the walk below rebuilt every node with fields before finding that nothing changed)
  if (!overCap(v, max)) return v;
  let changed = false;
  const cap = (facts: FactSet | undefined): FactSet | undefined => {
    if (!facts || facts.size <= max) return facts;
    changed = true;
    onHit();
    const best = new Map<string, Fact>();
    for (const f of facts.values()) {
      const group = f.kind === "class" ? `c|${f.dataClass}` : `s|${f.root}`;
      const old = best.get(group);
      if (!old || keptBefore(f, old)) best.set(group, f);
    }
    const out = new Map<string, Fact>();
    for (const f of best.values()) out.set(f.key, f);
    return out;
  };
  // a subtree shared by several parents is capped once, and a node with nothing over the cap at or below it is kept as
  // it is: a copy would be a new node for every memo keyed by node (a summary's canonical ids, a call site's
  // substitution) to visit again, and the summary's trees are capped on every run of the function
  const walked = new Map<Value, Value>();
  const walk = (x: Value): Value => {
    const done = walked.get(x);
    if (done) return done;
    const facts = cap(x.facts);
    let fields: Map<string, Value> | undefined;
    if (x.fields) {
      let i = 0;
      for (const [k, c] of x.fields) {
        const d = walk(c);
        if (!fields && d !== c) fields = firstEntries(x.fields, i);
        fields?.set(k, d);
        i++;
      }
    }
    const out = facts === x.facts && !fields ? x : makeValue(facts, fields ?? x.fields, x.fns, x.strong);
    walked.set(x, out);
    return out;
  };
  const out = walk(v);
  return changed ? out : v;
}

/**
 * The facts cap's choice within a group: the shortest trace, and among equally short ones the least key (the source's
 * file and place for data, the path for a symbolic fact) — not the first met, which follows the order the facts came
 * in: the order records run in (a module's top level first, the queue) would otherwise change which source a capped
 * path shows (outline's e-mails, performance.md session 57 — helper U).
 */
function keptBefore(f: Fact, old: Fact): boolean {
  const a = f.step?.length ?? 0;
  const b = old.step?.length ?? 0;
  return a < b || (a === b && f.key < old.key);
}

/**
 * Whether some node of the tree has more than `max` facts. Asked of every value a body writes (`bounded`) and of every
 * value of a summary, and almost always answered no: a small tree is walked without a set of the nodes met (a subtree
 * shared by several parents is then walked once per parent, at most {@link OVER_CAP_VISITS} nodes in all), and only a
 * tree past that is walked again with the set. The set and the walk's stack, made for every write, were about 3 % of
 * what growthbook's scan allocated, most of it for the large trees, which still take the set: the small ones spared it
 * took growthbook's allocation down 1.2 % (performance.md, session 55 — helper G).
 */
function overCap(v: Value, max: number): boolean {
  if ((v.facts?.size ?? 0) > max) return true;
  if (!v.fields) return false;
  overCapVisits = OVER_CAP_VISITS;
  const small = overCapBelow(v, max);
  return small !== undefined ? small : someNodeBelow(v, (c) => (c.facts?.size ?? 0) > max);
}

/** How many nodes {@link overCap} visits without remembering them, shared subtrees counted once per path. */
const OVER_CAP_VISITS = 64;
let overCapVisits = 0;

/** Whether a node below `v` has more than `max` facts; undefined once {@link OVER_CAP_VISITS} visits are spent. */
function overCapBelow(v: Value, max: number): boolean | undefined {
  for (const c of v.fields!.values()) {
    if (--overCapVisits < 0) return undefined;
    if ((c.facts?.size ?? 0) > max) return true;
    if (c.fields) {
      const below = overCapBelow(c, max);
      if (below !== false) return below;
    }
  }
  return false;
}
