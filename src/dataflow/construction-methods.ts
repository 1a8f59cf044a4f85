import { ts } from "ts-morph";
import { Kind, forEachChild, isCallExpression, isConstructorDeclaration, isElementAccessExpression, isFunctionLike, isIdentifier, isMethodDeclaration, isPrivateIdentifier, isPropertyAccessExpression, isStringLiteralLike } from "../compiler-direct.js";

/**
 * The bodies that build a fresh instance of a class: its constructor's, and those of the private methods (`private m()`,
 * `#m()`) that nothing but the constructor's own body calls, on `this` (growthbook's `ReqContextClass.initModels`, the
 * constructor's last statement). Such a method runs only while the constructor runs, on the object it builds: its `this`
 * holds what the constructor and the calls it made wrote, which the call hands it, and not the objects other callers'
 * `new` built nor what methods wrote into the class's store since (core.ts `inOwnConstructor`). A private member is
 * reachable only from its class's text (a nested class's included), so every call of it is found there: any other
 * reference (another receiver's `ctx.m()`, `this.m` read as a value, `this["m"]`, a call inside a closure, which may run
 * later) leaves the method out. Read from the class's syntax alone; TypeScript's `private` is not enforced at run time,
 * so a call from outside through `any` or plain JavaScript is not seen (as for the back-references' `private` fields).
 */
export function constructionBodies(cls: ts.ClassLikeDeclaration): ReadonlySet<ts.Node> {
  let out = memo.get(cls);
  if (out === undefined) memo.set(cls, (out = find(cls)));
  return out;
}

const memo = new WeakMap<ts.ClassLikeDeclaration, ReadonlySet<ts.Node>>();

function find(cls: ts.ClassLikeDeclaration): ReadonlySet<ts.Node> {
  const ctor = cls.members.find((m): m is ts.ConstructorDeclaration => isConstructorDeclaration(m) && m.body !== undefined);
  if (ctor === undefined) return new Set();
  const candidates = new Map<string, ts.MethodDeclaration[]>();
  const otherMembers = new Set<string>();
  for (const m of cls.members) {
    const name = m.name !== undefined && (isIdentifier(m.name) || isPrivateIdentifier(m.name)) ? m.name.text : undefined;
    if (name === undefined) continue;
    if (isMethodDeclaration(m) && isPrivate(m) && !isStatic(m)) {
      const list = candidates.get(name);
      if (list) list.push(m);
      else candidates.set(name, [m]);
    } else otherMembers.add(name);
  }
  for (const name of otherMembers) candidates.delete(name);
  const out = new Set<ts.Node>([ctor]);
  if (candidates.size === 0) return out;
  const called = new Set<string>();
  const disqualified = new Set<string>();
  const visit = (n: ts.Node): void => {
    if (isPropertyAccessExpression(n) && candidates.has(n.name.text)) {
      const call = n.parent;
      const own = n.expression.kind === Kind.ThisKeyword && isCallExpression(call) && call.expression === n && enclosingFunction(call) === ctor;
      (own ? called : disqualified).add(n.name.text);
    } else if (isElementAccessExpression(n) && isStringLiteralLike(n.argumentExpression) && candidates.has(n.argumentExpression.text)) {
      disqualified.add(n.argumentExpression.text);
    }
    forEachChild(n, visit);
  };
  forEachChild(cls, visit);
  for (const [name, methods] of candidates) {
    if (!called.has(name) || disqualified.has(name)) continue;
    for (const m of methods) if (m.body !== undefined) out.add(m);
  }
  return out;
}

function isPrivate(m: ts.MethodDeclaration): boolean {
  return isPrivateIdentifier(m.name) || (m.modifiers?.some((k) => k.kind === Kind.PrivateKeyword) ?? false);
}

function isStatic(m: ts.MethodDeclaration): boolean {
  return m.modifiers?.some((k) => k.kind === Kind.StaticKeyword) ?? false;
}

/** The function whose own body holds `n` (an arrow function counts: it may run later). */
function enclosingFunction(n: ts.Node): ts.Node | undefined {
  for (let p = n.parent; p; p = p.parent) if (isFunctionLike(p)) return p;
  return undefined;
}
