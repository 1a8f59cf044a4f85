import { ts } from "ts-morph";
import { Kind, forEachChild, isBinaryExpression, isCallExpression, isConstructorDeclaration, isElementAccessExpression, isPropertyAccessExpression, isPropertyDeclaration } from "../../compiler-direct.js";
import { isPlacingAssignment, unwrap } from "./syntax.js";

/**
 * The fields of a class that a method other than its constructor writes or adds to: `use(fn) { this.deliver = fn }`,
 * `on(e, l) { (this.listeners[e] ??= []).push(l) }`, `this.handlers.set(k, h)`. A function called through such a field
 * may be one a caller installed after the object was built, so the call is a callback entry of the summary (calls.ts).
 * A field only the constructor or its initialiser sets (an injected query builder `this.db`, a timer) holds what
 * `new` gave it, which the class's store already has: as callback entries, unleash's stores' `this.db(…)` took every
 * service's arguments through every summary above them.
 *
 * Read from syntax, once per class; the constructor's and the initialisers' own writes do not count.
 */
export function fieldsInstalledByMethods(cls: ts.ClassLikeDeclaration): ReadonlySet<string> {
  let names = memo.get(cls);
  if (!names) memo.set(cls, (names = collect(cls)));
  return names;
}

const memo = new WeakMap<ts.ClassLikeDeclaration, ReadonlySet<string>>();

const ADDING_METHODS: ReadonlySet<string> = new Set(["push", "unshift", "splice", "set", "add"]);

function collect(cls: ts.ClassLikeDeclaration): ReadonlySet<string> {
  const names = new Set<string>();
  const visit = (n: ts.Node): void => {
    if (isBinaryExpression(n) && isPlacingAssignment(n.operatorToken.kind)) {
      const f = thisField(n.left);
      if (f !== undefined) names.add(f);
    } else if (isCallExpression(n)) {
      const callee = unwrap(n.expression);
      if (isPropertyAccessExpression(callee) && ADDING_METHODS.has(callee.name.text)) {
        const f = thisField(callee.expression);
        if (f !== undefined) names.add(f);
      }
    }
    forEachChild(n, visit);
  };
  for (const member of cls.members) if (!isConstructorDeclaration(member) && !isPropertyDeclaration(member)) visit(member);
  return names;
}

/** `this.f`, `this.f.g`, `this.f[k]`, `(this.f[k] ??= [])`: the field of `this` the expression starts at. */
function thisField(e: ts.Node): string | undefined {
  let x = e as ts.Expression;
  for (;;) {
    x = unwrap(x);
    if (isPropertyAccessExpression(x)) {
      if (unwrap(x.expression).kind === Kind.ThisKeyword) return x.name.text;
      x = x.expression;
    } else if (isElementAccessExpression(x)) {
      x = x.expression;
    } else if (isBinaryExpression(x) && isPlacingAssignment(x.operatorToken.kind)) {
      x = x.left;
    } else return undefined;
  }
}
