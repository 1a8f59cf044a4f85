import { ts } from "ts-morph";

/**
 * A framework's config file (`nuxt.config.ts`, `nitro.config.ts`) read as syntax only, like a tsconfig: literals at
 * keys of the object it exports; it is never run, and what it computes is not seen.
 */

/** The object literal a config file exports: `export default { … }` or `export default defineNuxtConfig({ … })`. */
export function exportedOptions(sf: ts.SourceFile): ts.ObjectLiteralExpression | undefined {
  for (const statement of sf.statements) {
    if (!ts.isExportAssignment(statement)) continue;
    let value = statement.expression;
    if (ts.isCallExpression(value) && value.arguments.length > 0) value = value.arguments[0]!;
    return ts.isObjectLiteralExpression(value) ? value : undefined;
  }
  return undefined;
}

export function propertyOf(object: ts.ObjectLiteralExpression | undefined, name: string): ts.Expression | undefined {
  for (const property of object?.properties ?? []) {
    if (!ts.isPropertyAssignment(property)) continue;
    const key = property.name;
    if ((ts.isIdentifier(key) || ts.isStringLiteralLike(key)) && key.text === name) return property.initializer;
  }
  return undefined;
}

export function objectAt(object: ts.ObjectLiteralExpression | undefined, name: string): ts.ObjectLiteralExpression | undefined {
  const value = propertyOf(object, name);
  return value !== undefined && ts.isObjectLiteralExpression(value) ? value : undefined;
}

export function stringAt(object: ts.ObjectLiteralExpression | undefined, name: string): string | undefined {
  const value = propertyOf(object, name);
  return value !== undefined && ts.isStringLiteralLike(value) ? value.text : undefined;
}
