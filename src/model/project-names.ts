import { ts } from "ts-morph";
import { propertyNameText } from "./provenance.js";

/**
 * Every member name the project itself declares: class members, interface members, object literal properties,
 * parameter properties, `exports.x =` / `this.x =` assignments. A member read whose name is not among them cannot
 * resolve to a project declaration, so the resolver skips the checker for it (`name.trim()`, `items.map(…)`), which
 * is most member calls in a gateway. One syntactic pass, computed on first use.
 */
export function declaredMemberNames(files: readonly ts.SourceFile[]): ReadonlySet<string> {
  const names = new Set<string>();
  for (const file of files) {
    const pending: ts.Node[] = [file];
    while (pending.length > 0) {
      const node = pending.pop()!;
      const name = memberNameOf(node);
      if (name !== undefined) names.add(name);
      ts.forEachChild(node, (child) => {
        pending.push(child);
      });
    }
  }
  return names;
}

function memberNameOf(node: ts.Node): string | undefined {
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
