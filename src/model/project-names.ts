import { ts } from "ts-morph";
import { Kind, isClassStaticBlockDeclaration, isExternalModule, isFunctionLike, isModuleBlock, isModuleDeclaration, isPropertyAccessExpression, isSourceFile } from "../compiler-direct.js";
import { propertyNameText } from "./provenance.js";

/**
 * The member name a node declares, if it declares one: class members, interface members, object literal properties,
 * parameter properties, `exports.x =` / `this.x =` assignments, a module's exports and a namespace's members, the
 * names an `export { … }` gives. A member read whose name no node of the project declares cannot resolve to a project
 * declaration, so the resolver skips the checker for it (`name.trim()`, `items.map(…)`), which is most member calls in
 * a gateway. Collected by the model's one syntactic pass (memberIndex).
 *
 * A function's locals and a module's unexported declarations are members of nothing, so their names do not count: a
 * `const map = new Map()` in some function must not send every `items.map(…)` of the project to the checker.
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
      return nameOf(node);
    case Kind.FunctionDeclaration:
    case Kind.ClassDeclaration:
    case Kind.VariableDeclaration:
    case Kind.InterfaceDeclaration:
    case Kind.ModuleDeclaration:
      return isVisibleAsMember(node) ? nameOf(node) : undefined;
    case Kind.ExportSpecifier:
      // export { send as notify }: the module's member is `notify`, whatever the declaration it names is called
      return propertyNameText((node as ts.ExportSpecifier).name);
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

function nameOf(node: ts.Node): string | undefined {
  const name = (node as ts.NamedDeclaration).name;
  return name !== undefined ? propertyNameText(name) : undefined;
}

/**
 * Whether a declaration (a variable, function, class, interface or namespace) may be something's member: a
 * namespace's (`namespace A.B`; anything in a namespace or `declare module`/`declare global` block counts, exported or
 * not, as an ambient block exports its declarations implicitly), a script's (a global, `globalThis.x`), a declaration
 * file's (implicitly exported too), or an ES module's export. A function's or static block's local is no member, nor
 * is an ES module's top-level declaration without `export` (an `export { x }` elsewhere in the file counts by its own
 * node). Everything else counts, so the names stay a superset of what the checker can resolve a member to.
 */
function isVisibleAsMember(node: ts.Node): boolean {
  if (isModuleDeclaration(node.parent)) return true;
  let statement = node;
  for (let current = node.parent; ; current = current.parent) {
    if (isFunctionLike(current) || isClassStaticBlockDeclaration(current)) return false;
    if (isModuleBlock(current)) return true;
    if (isSourceFile(current)) {
      if (!isExternalModule(current) || current.isDeclarationFile) return true;
      return ts.getModifiers(statement as ts.HasModifiers)?.some((m) => m.kind === Kind.ExportKeyword) ?? false;
    }
    statement = current;
  }
}
