import path from "node:path";
import { ts } from "ts-morph";

/**
 * Symbol helpers shared by the model stage (provenance) and the engine (function names for fingerprints).
 * They work on raw compiler nodes and never create ts-morph wrappers, so hot loops can call them.
 */

/** A file of the scanned project: not a declaration file, not a dependency. */
export function isProjectSourceFile(sourceFile: ts.SourceFile): boolean {
  return !sourceFile.isDeclarationFile && !sourceFile.fileName.includes("/node_modules/");
}

/**
 * The symbol a name refers to, an import followed to what it imports: the checker's symbol for an imported name is the
 * import's own, whose declaration is the import specifier, not the class, function, constant or type it names.
 */
export function symbolThroughImports(checker: ts.TypeChecker, name: ts.Node): ts.Symbol | undefined {
  const symbol = checker.getSymbolAtLocation(name);
  return symbol !== undefined && symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
}

/** The file's path relative to the scan root, forward slashes (`src/enclave.ts`). */
export function relativeFilePath(sourceFile: ts.SourceFile, root: string): string {
  return path.relative(root, sourceFile.fileName).split(path.sep).join("/");
}

/** Strips the wrappers that do not change which value an expression is: parentheses, `as`, `!`, `satisfies`, `<T>x`. */
export function skipOuterExpressions(expression: ts.Expression): ts.Expression {
  let current = expression;
  while (isValueWrapper(current)) current = current.expression;
  return current;
}

/** The outermost of the wrappers around `node` that skipOuterExpressions strips (`node` itself when none). */
export function outermostWrapper(node: ts.Node): ts.Node {
  let current = node;
  while (current.parent !== undefined && isValueWrapper(current.parent)) current = current.parent;
  return current;
}

function isValueWrapper(node: ts.Node): node is ts.ParenthesizedExpression | ts.AsExpression | ts.NonNullExpression | ts.SatisfiesExpression | ts.TypeAssertion {
  return (
    ts.isParenthesizedExpression(node) ||
    ts.isAsExpression(node) ||
    ts.isNonNullExpression(node) ||
    ts.isSatisfiesExpression(node) ||
    ts.isTypeAssertionExpression(node)
  );
}

/**
 * `function (this: typeof User, ctx, email)`: TypeScript lists a declared `this` first among a function's parameters,
 * though no argument is passed for it — the receiver is. The first argument of a call is then the second parameter.
 */
export function declaresThis(fn: ts.Node): boolean {
  const first = (fn as { parameters?: ts.NodeArray<ts.ParameterDeclaration> }).parameters?.[0];
  return first !== undefined && ts.isIdentifier(first.name) && first.name.escapedText === "this";
}

/** The name of a declaration as code refers to it, or undefined for anonymous ones (`() => …` passed inline). */
export function declarationName(node: ts.Node): string | undefined {
  if (ts.isConstructorDeclaration(node)) return "constructor";
  if (
    ts.isFunctionDeclaration(node) ||
    ts.isClassDeclaration(node) ||
    ts.isMethodDeclaration(node) ||
    ts.isGetAccessorDeclaration(node) ||
    ts.isSetAccessorDeclaration(node) ||
    ts.isPropertyDeclaration(node) ||
    ts.isPropertyAssignment(node) ||
    ts.isVariableDeclaration(node) ||
    ts.isInterfaceDeclaration(node) ||
    ts.isEnumDeclaration(node) ||
    ts.isModuleDeclaration(node) ||
    ts.isMethodSignature(node) ||
    ts.isPropertySignature(node)
  ) {
    const name = node.name;
    if (name === undefined) return ts.isFunctionDeclaration(node) || ts.isClassDeclaration(node) ? "default" : undefined;
    if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isPrivateIdentifier(name)) {
      return name.text;
    }
    return undefined;
  }
  if ((ts.isFunctionExpression(node) || ts.isArrowFunction(node) || ts.isClassExpression(node)) && node.parent) {
    // const send = () => …, { send: function () {…} }, class X { send = () => … }: the holder names it.
    const parent = node.parent;
    if (ts.isFunctionExpression(node) && node.name) return node.name.text;
    if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) {
      return parent.initializer === node ? declarationName(parent) : undefined;
    }
    if (ts.isExportAssignment(parent)) return "default";
    if (ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken && parent.right === node) {
      return assignedMemberName(parent.left);
    }
  }
  return undefined;
}

/** `exports.send = …` / `module.exports.send = …` / `Foo.prototype.send = …` → `send`. */
function assignedMemberName(target: ts.Expression): string | undefined {
  if (ts.isPropertyAccessExpression(target)) return target.name.text;
  return undefined;
}

/**
 * The project-qualified name of a declaration: `src/enclave.ts#EnclaveClient.send`, `src/notify.ts#post`,
 * `src/app.ts#handler.inner` for nested named functions. Anonymous functions are named after their holder
 * when they have one; otherwise undefined.
 */
export function qualifiedName(declaration: ts.Node, root: string): string | undefined {
  const own = declarationName(declaration);
  if (own === undefined) return undefined;
  const members = [own];
  let current: ts.Node | undefined = declaration.parent;
  while (current !== undefined && !ts.isSourceFile(current)) {
    const isHolder =
      ts.isClassLike(current) ||
      ts.isFunctionLike(current) ||
      ts.isModuleDeclaration(current) ||
      (ts.isObjectLiteralExpression(current) && current.parent !== undefined && !ts.isCallLikeExpression(current.parent));
    if (isHolder) {
      const name = declarationName(ts.isObjectLiteralExpression(current) ? current.parent : current);
      if (name !== undefined) members.unshift(name);
    }
    current = current.parent;
  }
  return `${relativeFilePath(declaration.getSourceFile(), root)}#${members.join(".")}`;
}

/**
 * The classes and interfaces a file declares by statements, in namespaces, or as class expressions assigned at the top
 * level (`export const Sender = class implements EmailSender {}`, `export default class …`); not those declared inside
 * function bodies. A statement walk, no expression is visited: cheap enough for every file.
 */
export function forEachDeclaredType(sf: ts.SourceFile, visit: (declaration: ts.ClassLikeDeclaration | ts.InterfaceDeclaration) => void): void {
  const pending: ts.Statement[] = [...sf.statements];
  while (pending.length > 0) {
    const statement = pending.pop() as ts.Statement;
    if (ts.isClassDeclaration(statement) || ts.isInterfaceDeclaration(statement)) visit(statement);
    else if (ts.isModuleDeclaration(statement) && statement.body !== undefined) {
      if (ts.isModuleBlock(statement.body)) pending.push(...statement.body.statements);
      else if (ts.isModuleDeclaration(statement.body)) pending.push(statement.body);
    } else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        const init = declaration.initializer !== undefined ? skipOuterExpressions(declaration.initializer) : undefined;
        if (init !== undefined && ts.isClassExpression(init)) visit(init);
      }
    } else if (ts.isExportAssignment(statement)) {
      const init = skipOuterExpressions(statement.expression);
      if (ts.isClassExpression(init)) visit(init);
    }
  }
}
