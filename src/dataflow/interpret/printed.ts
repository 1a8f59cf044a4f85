import { ts } from "ts-morph";
import { isClassDeclaration, isInterfaceDeclaration, isObjectLiteralExpression, isTypeLiteralNode } from "../../compiler-direct.js";

/**
 * Whether a value of this expression's type prints as "[object Object]" when written into a string (`${auditUser}`,
 * `"user " + auditUser`): an object type the project declares (an interface, a type literal, a class), no array, no
 * function, with no `toString` of its own or of a base. Its fields never reach the string. Types from the standard
 * library or from packages are left alone (an Error prints its message, a URL its address, whether or not the
 * declaration says so), and so is whatever the checker cannot type.
 */
export function printsAsPlainObject(expr: ts.Expression, checker: ts.TypeChecker, isProjectFile: (sf: ts.SourceFile) => boolean): boolean {
  let type: ts.Type;
  try {
    type = checker.getTypeAtLocation(expr);
  } catch {
    return false;
  }
  return plainObject(type, checker, isProjectFile, 0);
}

const NOTHING = ts.TypeFlags.Null | ts.TypeFlags.Undefined | ts.TypeFlags.Void;

function plainObject(type: ts.Type, checker: ts.TypeChecker, isProjectFile: (sf: ts.SourceFile) => boolean, depth: number): boolean {
  if (depth > 8) return false;
  if (type.isUnion()) {
    // `user | undefined` prints "[object Object]" or "undefined": neither carries data
    const objects = type.types.filter((t) => !(t.flags & NOTHING));
    return objects.length > 0 && objects.every((t) => plainObject(t, checker, isProjectFile, depth + 1));
  }
  if (!(type.flags & ts.TypeFlags.Object)) return false;
  if (checker.isArrayType(type) || checker.isTupleType(type)) return false;
  if (type.getCallSignatures().length > 0 || type.getConstructSignatures().length > 0) return false;
  if (type.getProperties().some((p) => p.name === "toString" || p.name === "__@toPrimitive" || p.name.startsWith("__@toPrimitive@"))) return false;
  const declarations = type.getSymbol()?.declarations ?? [];
  if (declarations.length === 0) return false;
  for (const d of declarations) {
    if (!isProjectFile(d.getSourceFile())) return false;
    if (!isInterfaceDeclaration(d) && !isTypeLiteralNode(d) && !isClassDeclaration(d) && !isObjectLiteralExpression(d)) return false;
  }
  if (type.isClassOrInterface()) {
    for (const base of checker.getBaseTypes(type)) if (!plainObject(base, checker, isProjectFile, depth + 1)) return false;
  }
  return true;
}
