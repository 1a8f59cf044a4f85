import { ts } from "ts-morph";
import { isEnumMember, isIdentifier, isNoSubstitutionTemplateLiteral, isPropertyAccessExpression, isPropertyDeclaration, isStringLiteral, isVariableDeclaration } from "../compiler-direct.js";
import { skipOuterExpressions, symbolThroughImports } from "../workspace/symbols.js";

/** The declaration a name refers to, through import aliases; undefined when the checker cannot say. */
export function declarationOf(name: ts.Node, checker: ts.TypeChecker): ts.Declaration | undefined {
  try {
    const symbol = symbolThroughImports(checker, name);
    return symbol?.valueDeclaration ?? symbol?.declarations?.[0];
  } catch {
    return undefined;
  }
}

/**
 * A name the code spells as a constant — a table, a topic: a string, or a `const` (an enum member, a `readonly`
 * property) initialised with one, wherever it is declared. Anything computed at run time is undefined.
 */
export function constantText(expression: ts.Expression, checker: ts.TypeChecker): string | undefined {
  const node = skipOuterExpressions(expression);
  if (isStringLiteral(node) || isNoSubstitutionTemplateLiteral(node)) return node.text;
  const name = isIdentifier(node) ? node : isPropertyAccessExpression(node) ? node.name : undefined;
  if (name === undefined) return undefined;
  const declaration = declarationOf(name, checker);
  if (declaration === undefined) return undefined;
  const constant =
    (isVariableDeclaration(declaration) && !!(ts.getCombinedNodeFlags(declaration) & ts.NodeFlags.Const)) ||
    isEnumMember(declaration) ||
    (isPropertyDeclaration(declaration) && !!(ts.getCombinedModifierFlags(declaration) & ts.ModifierFlags.Readonly));
  const initializer = constant ? (declaration as ts.VariableDeclaration).initializer : undefined;
  if (initializer === undefined) return undefined;
  const value = skipOuterExpressions(initializer);
  return isStringLiteral(value) || isNoSubstitutionTemplateLiteral(value) ? value.text : undefined;
}
