import { ts } from "ts-morph";
import { propertyNameText } from "./provenance.js";

/**
 * The member name a node declares, if it declares one: class members, interface members, object literal properties,
 * parameter properties, `exports.x =` / `this.x =` assignments. A member read whose name no node of the project
 * declares cannot resolve to a project declaration, so the resolver skips the checker for it (`name.trim()`,
 * `items.map(…)`), which is most member calls in a gateway. Collected by the model's one syntactic pass (memberIndex).
 */
export function memberNameOf(node: ts.Node): string | undefined {
  if (
    ts.isPropertyDeclaration(node) ||
    ts.isPropertySignature(node) ||
    ts.isMethodDeclaration(node) ||
    ts.isMethodSignature(node) ||
    ts.isPropertyAssignment(node) ||
    ts.isShorthandPropertyAssignment(node) ||
    ts.isGetAccessorDeclaration(node) ||
    ts.isSetAccessorDeclaration(node) ||
    ts.isEnumMember(node) ||
    ts.isFunctionDeclaration(node) ||
    ts.isClassDeclaration(node) ||
    ts.isVariableDeclaration(node) ||
    ts.isInterfaceDeclaration(node) ||
    ts.isModuleDeclaration(node) ||
    (ts.isParameter(node) && ts.getModifiers(node)?.length)
  ) {
    return node.name !== undefined ? propertyNameText(node.name) : undefined;
  }
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(node.left)) {
    return node.left.name.text; // exports.send = …, this.client = …, Foo.prototype.bar = …
  }
  return undefined;
}
