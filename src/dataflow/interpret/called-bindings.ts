import { ts } from "ts-morph";
import { forEachChild, isArrowFunction, isCallExpression, isElementAccessExpression, isForOfStatement, isFunctionExpression, isIdentifier, isPropertyAccessExpression, isVariableDeclarationList } from "../../compiler-direct.js";
import { unwrap } from "./syntax.js";

/**
 * The names of a module's bindings that its own code calls, or calls what they hold: `transport?.(entry)`,
 * `hooks.onRequest?.(info)`, `handlers[event](payload)`, `for (const l of listeners) l(x)`, `listeners.forEach((l) =>
 * l(x))`. A function that stores what it was handed in such a binding (`setTransport(fn) { transport = fn }`) installs
 * code a later call runs, so its summary keeps that write as an effect each call site makes with its own argument
 * (core.ts `writeToStore`). A binding only read as data or through a container's own methods (`cache.get(key)`,
 * `pools.set(id, pool)`) is a cache: writing each caller's arguments into it as an effect put every query runner's
 * arguments into growthbook's regex cache, summary after summary, and its budget notes grew by three quarters.
 *
 * Read from syntax, by name, once per file: a name shadowed inside a function counts as the module's (it can only keep
 * more effects).
 */
export function calledBindingNames(file: ts.SourceFile): ReadonlySet<string> {
  let names = memo.get(file);
  if (!names) memo.set(file, (names = collect(file)));
  return names;
}

const memo = new WeakMap<ts.SourceFile, ReadonlySet<string>>();

/** A container's own methods: calling them says nothing about what the container holds. */
const CONTAINER_METHODS: ReadonlySet<string> = new Set([
  "get", "set", "has", "delete", "clear", "add", "push", "pop", "shift", "unshift", "splice", "slice", "concat", "indexOf",
  "includes", "forEach", "map", "filter", "reduce", "some", "every", "find", "findIndex", "keys", "values", "entries",
  "join", "sort", "reverse", "at", "flat", "flatMap", "fill", "then", "catch", "finally", "toString", "valueOf", "test",
  "exec", "match", "replace", "length",
]);

/** Array methods whose callback is handed each element in turn. */
const ELEMENT_CALLBACKS: ReadonlySet<string> = new Set(["forEach", "map", "filter", "some", "every", "find", "flatMap"]);

function collect(file: ts.SourceFile): ReadonlySet<string> {
  const called = new Set<string>();
  // a loop variable or a callback's parameter that takes the elements of a binding: its name → the binding's
  const elementOf = new Map<string, string>();
  const callees: ts.Expression[] = [];
  const visit = (n: ts.Node): void => {
    if (isForOfStatement(n) && isVariableDeclarationList(n.initializer)) {
      const [d] = n.initializer.declarations;
      const root = rootName(n.expression);
      if (d && isIdentifier(d.name) && root) elementOf.set(d.name.text, root);
    } else if (isCallExpression(n)) {
      callees.push(n.expression);
      const callee = unwrap(n.expression);
      const [cb] = n.arguments;
      if (isPropertyAccessExpression(callee) && ELEMENT_CALLBACKS.has(callee.name.text) && cb && (isArrowFunction(cb) || isFunctionExpression(cb))) {
        const [p] = cb.parameters;
        const root = rootName(callee.expression);
        if (p && isIdentifier(p.name) && root) elementOf.set(p.name.text, root);
      }
    }
    forEachChild(n, visit);
  };
  visit(file);
  for (const callee of callees) {
    const root = calleeRoot(callee);
    if (root) called.add(elementOf.get(root) ?? root);
  }
  return called;
}

/** The binding a call's callee reads its function from, unless the call is one of a container's own methods. */
function calleeRoot(callee: ts.Expression): string | undefined {
  const x = unwrap(callee);
  if (isPropertyAccessExpression(x) && CONTAINER_METHODS.has(x.name.text)) return undefined;
  return rootName(x);
}

/** `a`, `a.b`, `a[k]`, `a?.b!`: the identifier the access chain starts at. */
function rootName(e: ts.Expression): string | undefined {
  let x = unwrap(e);
  for (;;) {
    if (isIdentifier(x)) return x.text;
    if (isPropertyAccessExpression(x) || isElementAccessExpression(x)) x = unwrap(x.expression);
    else return undefined;
  }
}
