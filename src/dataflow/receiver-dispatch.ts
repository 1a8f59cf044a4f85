import { ts } from "ts-morph";
import { Kind, forEachChild, isArrowFunction, isCallExpression, isClassLike, isClassStaticBlockDeclaration, isConstructorDeclaration, isElementAccessExpression, isFunctionLike, isGetAccessorDeclaration, isMethodDeclaration, isPropertyAccessExpression, isPropertyDeclaration, isSetAccessorDeclaration, isSourceFile } from "../compiler-direct.js";
import type { CallModel } from "../vocabulary/question.js";
import { unwrap } from "./interpret/syntax.js";

/**
 * Dispatch of `this.m()` bounded by the receiver's known class.
 *
 * A base class's body calls `this.m()`, and `m` is abstract or overridden below it: as a body of its own (the general
 * analysis) the call may run every subclass's `m` (class-hierarchy dispatch, joined). Called as `this.startQuery()`
 * from a method of one subclass `S`, the receiver is an `S` (or below): only `S`'s own `m` and those below `S` can run.
 * The engine analyses such a base method once more per subclass that calls it through `this` (a receiver variant of
 * its record, context.ts), where `this.m()` follows only those bodies — otherwise each of twenty subclasses would take
 * in the models of its nineteen siblings through the base method's summary, and the base method that dispatches to
 * all twenty would join twenty such unions.
 *
 * A variant is made only for a base method whose result can differ by receiver: one that (itself or through the
 * `this.` calls it makes to other methods of its class) calls a method with several bodies.
 */

/** The function whose `this` a `this` (or `super`) expression is: arrow functions see through, others do not. */
export function thisContainer(node: ts.Node): ts.Node | undefined {
  for (let n = node.parent; n; n = n.parent) {
    if (isArrowFunction(n)) continue;
    if (isFunctionLike(n) || isClassLike(n) || isSourceFile(n)) return n;
    // a class member's initialiser: `this` is the instance
    if (isPropertyDeclaration(n) || isClassStaticBlockDeclaration(n)) return n.parent;
  }
  return undefined;
}

/** The class a method body (or a function-valued property's initialiser) belongs to. */
export function declaringClass(body: ts.Node): ts.ClassLikeDeclaration | undefined {
  const p = body.parent;
  if (p && isClassLike(p)) return p;
  if (p && isPropertyDeclaration(p) && isClassLike(p.parent)) return p.parent;
  return undefined;
}

/** A method, accessor or constructor with a body: the functions whose `this` is the receiver of their call. */
export function isMethodBody(node: ts.Node): node is ts.MethodDeclaration | ts.AccessorDeclaration | ts.ConstructorDeclaration {
  return (isMethodDeclaration(node) || isGetAccessorDeclaration(node) || isSetAccessorDeclaration(node) || isConstructorDeclaration(node)) && node.body !== undefined;
}

/**
 * Whether `fn`'s result may depend on the receiver's class below its own: one of its `this.m()` calls (in its body or
 * its arrow functions) dispatches to several bodies, or runs another method of the class for which that holds.
 * Memoised in `memo`; a method on a cycle of `this.` calls counts as not dispatching while it is being decided (the
 * rest of the cycle still decides).
 */
export function dispatchesOnThis(fn: ts.Node, callAt: (call: ts.CallExpression) => CallModel, memo: Map<ts.Node, boolean>): boolean {
  const known = memo.get(fn);
  if (known !== undefined) return known;
  memo.set(fn, false);
  const body = (fn as ts.FunctionLikeDeclaration).body;
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (isCallExpression(n) && calledOnThisOf(n, fn)) {
      const model = callAt(n);
      if (model.kind === "project") {
        if ((model.overrides?.length ?? 0) > 0) found = true;
        else if (model.declaration !== fn && isMethodBody(model.declaration) && dispatchesOnThis(model.declaration, callAt, memo)) found = true;
      }
    }
    if (!found) forEachChild(n, visit);
  };
  if (body) visit(body);
  memo.set(fn, found);
  return found;
}

/** `this.m(…)` / `super.m(…)` whose `this` is the one of `fn`. */
export function calledOnThisOf(call: ts.CallExpression, fn: ts.Node): boolean {
  const callee = unwrap(call.expression);
  if (!isPropertyAccessExpression(callee) && !isElementAccessExpression(callee)) return false;
  const recv = unwrap(callee.expression);
  if (recv.kind !== Kind.ThisKeyword && recv.kind !== Kind.SuperKeyword) return false;
  return thisContainer(recv) === fn;
}
