import { ts } from "ts-morph";
import { Kind, isPropertyAccessExpression } from "../compiler-direct.js";
import { propertyNameText } from "./provenance.js";

/**
 * The member name a node declares, if it declares one: class members, interface members, object literal properties,
 * parameter properties, `exports.x =` / `this.x =` assignments. A member read whose name no node of the project
 * declares cannot resolve to a project declaration, so the resolver skips the checker for it (`name.trim()`,
 * `items.map(…)`), which is most member calls in a gateway. Collected by the model's one syntactic pass (memberIndex).
 */
export function memberNameOf(node: ts.Node): string | undefined {
  switch (node.kind) {
    case Kind.PropertyDeclaration:
    case Kind.PropertySignature:
    case Kind.MethodDeclaration:
    case Kind.MethodSignature:
    case Kind.PropertyAssignment:
    case Kind.ShorthandPropertyAssignment:
    case Kind.GetAccessor:
    case Kind.SetAccessor:
    case Kind.EnumMember:
    case Kind.FunctionDeclaration:
    case Kind.ClassDeclaration:
    case Kind.VariableDeclaration:
    case Kind.InterfaceDeclaration:
    case Kind.ModuleDeclaration: {
      const name = (node as ts.NamedDeclaration).name;
      return name !== undefined ? propertyNameText(name) : undefined;
    }
    case Kind.Parameter: {
      const parameter = node as ts.ParameterDeclaration;
      return ts.getModifiers(parameter)?.length ? propertyNameText(parameter.name) : undefined;
    }
    case Kind.BinaryExpression: {
      // exports.send = …, this.client = …, Foo.prototype.bar = …
      const { left, operatorToken } = node as ts.BinaryExpression;
      return operatorToken.kind === ts.SyntaxKind.EqualsToken && isPropertyAccessExpression(left) ? left.name.text : undefined;
    }
    default:
      return undefined;
  }
}
