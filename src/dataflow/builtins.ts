import { ELEMENTS, EMPTY, KEYS, flatten, joinAll, joinValues, makeValue, positionalPair, readField, withoutFields, type Value } from "./value.js";

/** What a built-in needs from the interpreter at one call site. */
export interface BuiltinSite {
  readonly fieldDepth: number;
  /** Calls a callback argument (a closure or function value) with these arguments; its return value. */
  invoke(callback: Value, args: Value[]): Value;
  /**
   * `invoke`, where the callback's parameter `i` is handed one of the receiver's own elements (`"element"`) or the
   * receiver itself (`"receiver"`): not a copy, so what the callback writes into it is written into the receiver.
   */
  invokeOn(callback: Value, args: Value[], given: readonly (Given | undefined)[]): Value;
  /** Joins data into the receiver in place (`arr.push(x)`, `map.set(k, v)`, `params.append(k, v)`). */
  writeReceiver(path: string[], value: Value): void;
  /** Joins data into argument `i` in place (`Object.assign(target, …)`). */
  writeArgument(i: number, value: Value): void;
}

/** What a built-in hands a callback of the receiver: one of its elements, or the receiver itself. */
export type Given = "element" | "receiver";

/** A value that can be called: a tracked function, or one the caller supplies (a symbolic parameter). */
function callable(v: Value | undefined): v is Value {
  if (!v) return false;
  if (v.fns) return true;
  for (const f of v.facts?.values() ?? []) if (f.kind === "symbol") return true;
  return false;
}

function elementsOf(v: Value, depth: number): Value {
  return readField(v, ELEMENTS, depth);
}

/**
 * An element after one level of flattening (`flatMap`, `flat()`): an array's elements, anything else itself. Kept as
 * the array whole, a field read of the element (`event.type`) would take in the elements below it whole — `ip` and all.
 */
function flattenedOnce(element: Value, depth: number): Value {
  if (!element.fields?.has(ELEMENTS)) return element;
  return joinValues(withoutFields(element, [ELEMENTS]), elementsOf(element, depth));
}

function arrayOf(v: Value): Value {
  return makeValue(undefined, new Map([[ELEMENTS, v]]));
}

function arg(args: Value[], i: number): Value {
  return args[i] ?? EMPTY;
}

/** Methods that return a string (or number) computed from the receiver and their arguments. */
const STRING_METHODS = new Set([
  "toLowerCase", "toUpperCase", "toLocaleLowerCase", "toLocaleUpperCase", "trim", "trimStart", "trimEnd", "slice",
  "substring", "substr", "padStart", "padEnd", "normalize", "replace", "replaceAll", "concat", "at", "charAt",
  "repeat", "toString", "toFixed", "toPrecision", "toLocaleString", "toISOString", "toJSON", "valueOf", "join",
  "toUTCString", "toDateString", "charCodeAt", "codePointAt", "localeCompare", "digest", "toWellFormed", "href",
]);

/** String methods that arrays have too, with an array's result. */
const ARRAY_METHODS_TOO = new Set(["slice", "at", "concat"]);

/** `slice`, `at`, `concat` of an array: part of its elements, one element, its elements with the arguments'. */
function arrayMethod(site: BuiltinSite, name: string, recv: Value, args: Value[]): Value {
  const d = site.fieldDepth;
  if (name === "at") return elementsOf(recv, d);
  if (name === "slice") return joinValues(recv, joinAll(args.map(flatten)));
  // concat: an array argument's elements join the receiver's, anything else is one more element
  return joinValues(recv, joinAll(args.map((a) => (a.fields?.has(ELEMENTS) ? a : arrayOf(a)))));
}

/** Methods of arrays that return (part of) the receiver itself. */
const SAME_COLLECTION = new Set([
  "filter", "slice", "sort", "reverse", "toSorted", "toReversed", "toSpliced", "flat", "fill", "copyWithin",
]);

/** Methods whose result carries no data of the receiver (booleans, counts, positions). */
const CLEAN_RESULT = new Set([
  "includes", "indexOf", "lastIndexOf", "findIndex", "findLastIndex", "some", "every", "has", "startsWith",
  "endsWith", "test", "delete", "clear", "isArray", "keys_count", "search",
]);

/** Methods whose built-in reading joins their arguments into the receiver (`arr.push(x)`, `map.set(k, v)`). */
const RECEIVER_WRITES = new Set(["push", "unshift", "add", "splice", "set", "append"]);

export function writesReceiver(name: string): boolean {
  return RECEIVER_WRITES.has(name);
}

/**
 * Built-in JavaScript semantics by method name, used only for calls the Question left unresolved (no model, no
 * project function): the receiver's type is not known, so these are the behaviours of strings, arrays, Map/Set,
 * Promise and URLSearchParams, which is what such calls are in practice. `undefined` = not a built-in.
 */
export function builtinMethod(site: BuiltinSite, name: string, recv: Value, args: Value[]): Value | undefined {
  const d = site.fieldDepth;
  // `slice`, `at`, `concat` of a value with elements: an array's, which keep each element's fields (as a string's they
  // made the whole array one string, and `list.slice(0, limit)` gave every element's `host.slug` its `host.location.lat`)
  if (ARRAY_METHODS_TOO.has(name) && recv.fields?.has(ELEMENTS)) return arrayMethod(site, name, recv, args);
  if (STRING_METHODS.has(name)) {
    // s.m(…): the string built from the receiver and the arguments (the receiver's type is not known: a method of the
    // same name on something else must not drop its arguments)
    const extra = joinAll(args.filter((a) => !a.fns).map(flatten));
    if ((name === "replace" || name === "replaceAll") && callable(args[1])) {
      const r = site.invoke(args[1], [flatten(recv)]);
      return flatten(joinValues(joinValues(recv, arg(args, 0)), r));
    }
    return flatten(joinValues(recv, extra));
  }
  if (CLEAN_RESULT.has(name)) {
    if ((name === "some" || name === "every" || name === "findIndex" || name === "findLastIndex") && callable(args[0])) {
      site.invokeOn(args[0], [elementsOf(recv, d)], ["element"]);
    }
    return EMPTY;
  }
  if (SAME_COLLECTION.has(name)) {
    // arr.filter(cb) / arr.slice(): elements of the receiver
    if (callable(args[0])) site.invokeOn(args[0], [elementsOf(recv, d), elementsOf(recv, d)], ["element"]);
    const data = joinAll(args.filter((a) => !callable(a)).map(flatten));
    if (name === "flat") return joinValues(joinValues(withoutFields(recv, [ELEMENTS]), arrayOf(flattenedOnce(elementsOf(recv, d), d))), data);
    return name === "fill" ? joinValues(recv, arrayOf(arg(args, 0))) : joinValues(recv, data);
  }
  switch (name) {
    case "split":
      return arrayOf(flatten(recv));
    case "map":
    case "flatMap": {
      // arr.map(cb): cb receives the elements; its results are the new elements
      if (!callable(args[0])) return arrayOf(elementsOf(recv, d));
      const r = site.invokeOn(args[0], [elementsOf(recv, d), EMPTY, recv], ["element", undefined, "receiver"]);
      return name === "flatMap" ? arrayOf(flattenedOnce(r, d)) : arrayOf(r);
    }
    case "forEach": {
      // arr.forEach(cb) / map.forEach((v, k) => …): cb receives elements (and Map keys)
      if (callable(args[0])) site.invokeOn(args[0], [elementsOf(recv, d), readField(recv, KEYS, d), recv], ["element", undefined, "receiver"]);
      return EMPTY;
    }
    case "find":
    case "findLast":
      if (callable(args[0])) site.invokeOn(args[0], [elementsOf(recv, d)], ["element"]);
      return elementsOf(recv, d);
    case "reduce":
    case "reduceRight": {
      // arr.reduce(cb, init): the accumulator starts at init and takes cb's results; cb sees the elements
      const init = arg(args, 1);
      if (!callable(args[0])) return joinValues(init, elementsOf(recv, d));
      let acc = init;
      for (let round = 0; round < 2; round++) acc = joinValues(acc, site.invokeOn(args[0], [acc, elementsOf(recv, d)], [undefined, "element"]));
      return acc;
    }
    case "pop":
    case "shift":
    case "get":
    case "next":
      return name === "next" ? makeValue(undefined, new Map([["value", elementsOf(recv, d)]])) : elementsOf(recv, d);
    case "push":
    case "unshift":
    case "add":
      // arr.push(x) / set.add(x): x joins the receiver's elements
      site.writeReceiver([ELEMENTS], joinAll(args));
      return EMPTY;
    case "splice":
      site.writeReceiver([ELEMENTS], joinAll(args.slice(2)));
      return recv;
    case "set":
    case "append": {
      // map.set(k, v) / params.append(k, v): v joins the values, k the keys (params: both are sent)
      site.writeReceiver([ELEMENTS], name === "append" ? joinValues(arg(args, 0), arg(args, 1)) : arg(args, 1));
      if (name === "set") site.writeReceiver([KEYS], arg(args, 0));
      return EMPTY;
    }
    case "values":
      return arrayOf(elementsOf(recv, d));
    case "keys":
      return arrayOf(readField(recv, KEYS, d));
    case "entries":
      return arrayOf(arrayOf(joinValues(elementsOf(recv, d), readField(recv, KEYS, d))));
    case "then": {
      // p.then(ok, fail): ok receives the resolved value; the result is what it returns
      let out = EMPTY;
      if (callable(args[0])) out = site.invoke(args[0], [recv]);
      else out = recv;
      if (callable(args[1])) out = joinValues(out, site.invoke(args[1], [EMPTY]));
      return out;
    }
    case "catch":
      return callable(args[0]) ? joinValues(recv, site.invoke(args[0], [EMPTY])) : recv;
    case "finally":
      if (callable(args[0])) site.invoke(args[0], []);
      return recv;
    case "call": {
      // f.call(thisArg, …args)
      return site.invoke(recv, args.slice(1));
    }
    case "apply":
      return site.invoke(recv, [elementsOf(arg(args, 1), d)]);
    case "bind":
      return recv;
    default:
      return undefined;
  }
}

/**
 * Built-in globals and static methods (`JSON.stringify`, `Object.assign`, `Array.from`, `encodeURIComponent`, …) by
 * their dotted name. `undefined` = not a built-in.
 */
export function builtinFunction(site: BuiltinSite, name: string, args: Value[]): Value | undefined {
  const d = site.fieldDepth;
  switch (name) {
    case "JSON.stringify":
    case "String":
    case "encodeURIComponent":
    case "encodeURI":
    case "decodeURIComponent":
    case "decodeURI":
    case "escape":
    case "unescape":
    case "btoa":
    case "atob":
    case "Number":
    case "parseInt":
    case "parseFloat":
    case "BigInt":
    case "Buffer.from":
    case "Buffer.concat":
    case "JSON.parse":
    case "querystring.stringify":
    case "qs.stringify":
      // the whole value, turned into a string (every field it carries)
      return flatten(arg(args, 0));
    case "Boolean":
    case "Array.isArray":
    case "Number.isNaN":
    case "Number.isFinite":
    case "Object.keys":
    case "isNaN":
    case "Buffer.byteLength":
    case "Buffer.compare":
    case "Buffer.isBuffer":
    case "Buffer.isEncoding":
      // a test, a count, a size in bytes, a comparison's sign: a boolean or a number, not the bytes
      return EMPTY;
    case "structuredClone":
    case "Object.freeze":
    case "Object.seal":
    case "Promise.resolve":
    case "Promise.all":
    case "Promise.allSettled":
    case "Object.create":
      return arg(args, 0);
    case "Promise.race":
    case "Promise.any":
      return elementsOf(arg(args, 0), d);
    case "Promise.reject":
      return EMPTY;
    case "Object.assign": {
      // Object.assign(target, ...sources): every source's fields join the target, which is also the result
      const merged = args.slice(1).reduce((acc, v) => joinValues(acc, v), EMPTY);
      site.writeArgument(0, merged);
      return joinValues(arg(args, 0), merged);
    }
    case "Object.values":
      return arrayOf(elementsOf(arg(args, 0), d));
    case "Object.entries":
      // [key, value] pairs: the keys are the object's field names, clean like Object.keys
      return arrayOf(positionalPair(EMPTY, elementsOf(arg(args, 0), d)));
    case "Object.fromEntries":
      return makeValue(undefined, new Map([[ELEMENTS, elementsOf(elementsOf(arg(args, 0), d), d)]]));
    case "Array.from":
    case "Array.of": {
      const els = name === "Array.of" ? joinAll(args) : elementsOf(arg(args, 0), d);
      if (name === "Array.from" && callable(args[1])) return arrayOf(site.invoke(args[1], [els]));
      return arrayOf(els);
    }
    default:
      return undefined;
  }
}

/** Built-in constructors (`new URL(…)`, `new Map(…)`); `undefined` = not a built-in. */
export function builtinConstructor(site: BuiltinSite, name: string, args: Value[]): Value | undefined {
  const d = site.fieldDepth;
  switch (name) {
    case "Map":
    case "Set":
    case "WeakMap":
    case "WeakSet": {
      // new Map(entries): entry pairs' parts become keys and values; new Set(items): members
      const items = elementsOf(arg(args, 0), d);
      if (name === "Set" || name === "WeakSet") return arrayOf(items);
      const part = elementsOf(items, d);
      return makeValue(undefined, new Map([[ELEMENTS, part], [KEYS, part]]));
    }
    case "Array":
      return arrayOf(joinAll(args));
    case "URLSearchParams":
      // new URLSearchParams(obj | string | pairs): every part is in the query string
      return arrayOf(flatten(arg(args, 0)));
    case "URL":
    case "String":
    case "Error":
    case "TypeError":
    case "RangeError":
    case "Date":
    case "Blob":
      return flatten(joinAll(args));
    case "Promise":
      return EMPTY;
    default:
      return undefined;
  }
}
