import { ts } from "ts-morph";
import { Kind, isArrowFunction, isClassLike, isConstructorDeclaration, isElementAccessExpression, isFunctionLike, isIdentifier, isInterfaceDeclaration, isPropertyAccessExpression, isPropertyDeclaration, isStringLiteralLike } from "../compiler-direct.js";
import { propertyNameText } from "./provenance.js";

/**
 * The declaration the checker gives first for the member a `this.name` (or `this["name"]`) read names, found from
 * syntax where the class `this` is an instance of declares the member in its own body; undefined where only the
 * checker can say (an inherited member, a `this` that is no instance of the enclosing class) — the caller asks it then.
 *
 * The data classes' declared types and tags are read off a member's declaration (sources.ts), and asking the checker for
 * the symbol of `this.name` types `this` (the class's members and, through its heritage, its bases') for a member the
 * class's own body lists. Where the body declares it, the checker's symbol is that member's, and its first declaration
 * is the first of the body's in source order: a property, a method or its first overload signature, an accessor (the
 * getter or setter written first), or a constructor's parameter property. Not answered here: a `this` of a static
 * member, of a method with a declared `this` parameter, of an object literal's method or of a `function`, or in a
 * decorator or a computed name (the `this` around the class); and a class whose name an interface in the same block
 * also declares, since that interface's members merge into the class's (their declarations may come first).
 */
export function ownMemberDeclaration(nameNode: ts.Node): ts.Declaration | undefined {
  const read = nameNode.parent;
  let name: string | undefined;
  if (read !== undefined && isPropertyAccessExpression(read) && read.name === nameNode) name = read.name.text;
  else if (read !== undefined && isElementAccessExpression(read) && read.argumentExpression === nameNode && isStringLiteralLike(nameNode)) name = nameNode.text;
  if (name === undefined || (read as ts.PropertyAccessExpression | ts.ElementAccessExpression).expression.kind !== Kind.ThisKeyword) return undefined;
  const cls = instanceClassOf((read as ts.PropertyAccessExpression).expression);
  if (cls === undefined || mergesWithInterface(cls)) return undefined;
  for (const member of cls.members) {
    if (isConstructorDeclaration(member)) {
      const parameter = member.parameters.find((p) => ts.isParameterPropertyDeclaration(p, member) && isIdentifier(p.name) && p.name.text === name);
      if (parameter !== undefined) return parameter;
      continue;
    }
    if (member.name === undefined || isStatic(member) || propertyNameText(member.name) !== name) continue;
    return member;
  }
  return undefined;
}

/** The class `this` is an instance of: that of the non-static method, accessor, constructor or field it is in (arrows seen through). */
function instanceClassOf(self: ts.Node): ts.ClassLikeDeclaration | undefined {
  for (let n = self.parent; n !== undefined; n = n.parent) {
    if (isArrowFunction(n)) continue;
    // a decorator's or a computed name's `this` is the one around the class
    if (n.kind === Kind.Decorator || n.kind === Kind.ComputedPropertyName) return undefined;
    if (isPropertyDeclaration(n)) return isClassLike(n.parent) && !isStatic(n) ? n.parent : undefined;
    if (isClassLike(n)) return undefined; // a computed name, a decorator, a heritage clause
    if (!isFunctionLike(n)) continue;
    const owner = n.parent;
    if (owner === undefined || !isClassLike(owner) || isStatic(n)) return undefined;
    if (n.kind !== Kind.MethodDeclaration && n.kind !== Kind.GetAccessor && n.kind !== Kind.SetAccessor && n.kind !== Kind.Constructor) return undefined;
    const declaresThis = (n as ts.SignatureDeclaration).parameters.some((p) => isIdentifier(p.name) && p.name.text === "this");
    return declaresThis ? undefined : owner;
  }
  return undefined;
}

function isStatic(member: ts.Node): boolean {
  return ts.canHaveModifiers(member) && (ts.getModifiers(member)?.some((m) => m.kind === Kind.StaticKeyword) ?? false);
}

/** An interface of the class's name in the block that declares the class (declaration merging). */
function mergesWithInterface(cls: ts.ClassLikeDeclaration): boolean {
  const name = cls.name?.text;
  if (name === undefined) return false;
  const block = cls.parent as { statements?: readonly ts.Statement[] };
  return block.statements?.some((s) => isInterfaceDeclaration(s) && s.name.text === name) ?? false;
}
