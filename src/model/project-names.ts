import { ts } from "ts-morph";
import { propertyNameText } from "./provenance.js";

/**
 * The member name a node declares, if it declares one: class members, interface members, object literal properties,
 * parameter properties, `exports.x =` / `this.x =` assignments. A member read whose name no node of the project
 * declares cannot resolve to a project declaration, so the resolver skips the checker for it (`name.trim()`,
 * `items.map(…)`), which is most member calls in a gateway. Collected by the model's one syntactic pass (memberIndex).
 */
export function memberNameOf(node: ts.Node): string | undefined {
  switch (node.kind) {
    case ts.SyntaxKind.PropertyDeclaration:
    case ts.SyntaxKind.PropertySignature:
    case ts.SyntaxKind.MethodDeclaration:
    case ts.SyntaxKind.MethodSignature:
    case ts.SyntaxKind.PropertyAssignment:
    case ts.SyntaxKind.ShorthandPropertyAssignment:
    case ts.SyntaxKind.GetAccessor:
    case ts.SyntaxKind.SetAccessor:
    case ts.SyntaxKind.EnumMember:
    case ts.SyntaxKind.FunctionDeclaration:
    case ts.SyntaxKind.ClassDeclaration:
    case ts.SyntaxKind.VariableDeclaration:
    case ts.SyntaxKind.InterfaceDeclaration:
    case ts.SyntaxKind.ModuleDeclaration: {
      const name = (node as ts.NamedDeclaration).name;
      return name !== undefined ? propertyNameText(name) : undefined;
    }
    case ts.SyntaxKind.Parameter: {
      const parameter = node as ts.ParameterDeclaration;
      return ts.getModifiers(parameter)?.length ? propertyNameText(parameter.name) : undefined;
    }
    case ts.SyntaxKind.BinaryExpression: {
      // exports.send = …, this.client = …, Foo.prototype.bar = …
      const { left, operatorToken } = node as ts.BinaryExpression;
      return operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(left) ? left.name.text : undefined;
    }
    default:
      return undefined;
  }
}
