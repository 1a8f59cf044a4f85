import { ts } from "ts-morph";
import { Kind, isBinaryExpression, isCallExpression, isClassDeclaration, isClassExpression, isElementAccessExpression, isIdentifier, isImportClause, isImportSpecifier, isNamespaceImport, isNumericLiteral, isObjectLiteralExpression, isPostfixUnaryExpression, isPrefixUnaryExpression, isPropertyAccessExpression, isPropertyAssignment, isPropertyDeclaration, isSpreadAssignment, isStringLiteralLike, isTemplateExpression, isVariableDeclaration, isVariableDeclarationList } from "../compiler-direct.js";
import { skipOuterExpressions, symbolThroughImports } from "../workspace/symbols.js";
import { constantText } from "./constant-text.js";
import { propertyNameText } from "./provenance.js";

/**
 * Whether a member read named like a datum reads a value written in the code, so no user's: a field of a `const`
 * object literal that the literal sets to a string or number (a test's `EXAMPLE_ACCOUNT.email` set to
 * `"example@example.com"`) or to a template of constants, or a class's own field declared with such a literal and never assigned again
 * (amplication's `private gitAuthorUserEmail = "bot@amplication.com"`, read as `this.gitAuthorUserEmail`). The checker
 * cannot say so by the type: an annotated object (`EXAMPLE_ACCOUNT: Account`) and a mutable field widen the literal
 * to `string`. An imported object is its module's declaration (the import is an alias of it). Asked only once the
 * member's name has matched.
 */
export function readsValueWrittenInCode(receiver: ts.Expression, name: string, checker: () => ts.TypeChecker): boolean {
  const inner = skipOuterExpressions(receiver);
  if (inner.kind === Kind.ThisKeyword) return ownFieldWrittenInCode(inner, name);
  // `deDE.invitations.email` of `import deDE from "../i18n/de-DE.json"`: a JSON file the project ships is text it wrote
  if (readsJsonModule(inner, checker)) return true;
  // `EXAMPLE_ACCOUNT.email`, `SettingName.NAMES.MuteSignInEmails`
  const named = isIdentifier(inner) ? inner : isPropertyAccessExpression(inner) ? inner.name : undefined;
  if (named === undefined) return false;
  // an imported name is an alias of the exporting module's declaration (`import { maxLengthPolicies } from "../common"`)
  const declaration = symbolThroughImports(checker(), named)?.valueDeclaration;
  return declaration !== undefined && constObjectFieldWrittenInCode(declaration, name, checker);
}

/**
 * Whether a member chain's root (`deDE` of `deDE.invitations`) is a JSON module: imported from a `.json` specifier
 * (default, namespace or named import) or `require`d from one into a variable — Kaneo's invitation e-mail copy, one
 * locale file per language.
 */
function readsJsonModule(receiver: ts.Expression, checker: () => ts.TypeChecker): boolean {
  let root: ts.Expression = receiver;
  while (isPropertyAccessExpression(root) || isElementAccessExpression(root)) root = skipOuterExpressions(root.expression);
  if (!isIdentifier(root) || !namesJsonModule(root.getSourceFile())) return false;
  const declaration = checker().getSymbolAtLocation(root)?.declarations?.[0];
  if (declaration === undefined) return false;
  let specifier: ts.Expression | undefined;
  if (isImportClause(declaration)) specifier = declaration.parent.moduleSpecifier;
  else if (isNamespaceImport(declaration)) specifier = declaration.parent.parent.moduleSpecifier;
  else if (isImportSpecifier(declaration)) specifier = declaration.parent.parent.parent.moduleSpecifier;
  else if (isVariableDeclaration(declaration) && declaration.initializer !== undefined) {
    const init = skipOuterExpressions(declaration.initializer);
    if (isCallExpression(init) && isIdentifier(init.expression) && init.expression.text === "require") specifier = init.arguments[0];
  }
  return specifier !== undefined && isStringLiteralLike(specifier) && specifier.text.toLowerCase().endsWith(".json");
}

/** Whether a file's text names a `.json` specifier at all: a file that does not asks the checker nothing (readsJsonModule). */
function namesJsonModule(file: ts.SourceFile): boolean {
  let names = namingJson.get(file);
  if (names === undefined) namingJson.set(file, (names = /\.json["'`]/i.test(file.text)));
  return names;
}
const namingJson = new WeakMap<ts.SourceFile, boolean>();

/**
 * `const X = { …, name: "literal", … }`, or a class's `readonly` property so initialised (standardnotes' `static
 * readonly NAMES = { MuteSignInEmails: "MUTE_SIGN_IN_EMAILS", … }`), with no spread after that field that could set
 * it again.
 */
function constObjectFieldWrittenInCode(declaration: ts.Node, name: string, checker: () => ts.TypeChecker): boolean {
  if (!(isVariableDeclaration(declaration) || isPropertyDeclaration(declaration)) || declaration.initializer === undefined) return false;
  if (isPropertyDeclaration(declaration)) {
    if (!(declaration.modifiers?.some((m) => m.kind === Kind.ReadonlyKeyword) ?? false)) return false;
  } else {
    const list = declaration.parent;
    if (!isVariableDeclarationList(list) || (list.flags & ts.NodeFlags.Const) === 0) return false;
  }
  const literal = skipOuterExpressions(declaration.initializer);
  if (!isObjectLiteralExpression(literal)) return false;
  let written = false;
  for (const property of literal.properties) {
    if (isSpreadAssignment(property)) written = false;
    else if (propertyNameText(property.name) === name) written = isPropertyAssignment(property) && (isWrittenLiteral(property.initializer) || isConstantTemplate(property.initializer, checker));
  }
  return written;
}

/**
 * `this.name` inside a class whose own field `name` is initialised with a literal, is `private` (or `#name`) or
 * `readonly` — nothing outside the class sets it — and is assigned nowhere in the class.
 */
function ownFieldWrittenInCode(self: ts.Node, name: string): boolean {
  const owner = enclosingClass(self);
  if (owner === undefined) return false;
  const field = owner.members.find((m): m is ts.PropertyDeclaration => isPropertyDeclaration(m) && propertyNameText(m.name) === name);
  if (field === undefined || field.initializer === undefined || !isWrittenLiteral(field.initializer)) return false;
  if (field.modifiers?.some((m) => m.kind === Kind.StaticKeyword)) return false;
  const closed = field.name.kind === Kind.PrivateIdentifier || (field.modifiers?.some((m) => m.kind === Kind.PrivateKeyword || m.kind === Kind.ReadonlyKeyword) ?? false);
  return closed && !assignsOwnField(owner, name);
}

/** The class `this` refers to: the nearest enclosing class, through arrow functions but not through a `function`. */
function enclosingClass(node: ts.Node): ts.ClassLikeDeclaration | undefined {
  for (let current = node.parent; current !== undefined; current = current.parent) {
    if (isClassDeclaration(current) || isClassExpression(current)) return current;
    if (current.kind === Kind.FunctionDeclaration || current.kind === Kind.FunctionExpression) return undefined;
  }
  return undefined;
}

/**
 * Whether the class assigns `this.name` (`=`, a compound assignment, `++`/`--`) anywhere: the names it assigns are
 * collected in one walk per class, since each read of a matching field asks.
 */
function assignsOwnField(owner: ts.ClassLikeDeclaration, name: string): boolean {
  let assigned = assignedOwnFields.get(owner);
  if (assigned === undefined) assignedOwnFields.set(owner, (assigned = collectAssignedOwnFields(owner)));
  return assigned.has(name);
}

const assignedOwnFields = new WeakMap<ts.ClassLikeDeclaration, ReadonlySet<string>>();

function collectAssignedOwnFields(owner: ts.ClassLikeDeclaration): ReadonlySet<string> {
  const names = new Set<string>();
  const note = (target: ts.Expression): void => {
    const inner = skipOuterExpressions(target);
    if (!isPropertyAccessExpression(inner) || inner.expression.kind !== Kind.ThisKeyword) return;
    const name = propertyNameText(inner.name);
    if (name !== undefined) names.add(name);
  };
  const visit = (node: ts.Node): void => {
    if (isBinaryExpression(node) && node.operatorToken.kind >= Kind.FirstAssignment && node.operatorToken.kind <= Kind.LastAssignment) note(node.left);
    else if ((isPrefixUnaryExpression(node) || isPostfixUnaryExpression(node)) && (node.operator === Kind.PlusPlusToken || node.operator === Kind.MinusMinusToken)) note(node.operand);
    ts.forEachChild(node, visit);
  };
  for (const member of owner.members) visit(member);
  return names;
}

/**
 * A template whose every substitution is a constant text (`` `Patient/extension/${PATIENT_NO_EMAIL_URL}` ``, a `const`
 * string declared anywhere): Ottehr's table of FHIR paths, `patientFieldPaths.noEmail`.
 */
function isConstantTemplate(expression: ts.Expression, checker: () => ts.TypeChecker): boolean {
  const inner = skipOuterExpressions(expression);
  return isTemplateExpression(inner) && inner.templateSpans.every((span) => constantText(span.expression, checker()) !== undefined);
}

function isWrittenLiteral(expression: ts.Expression): boolean {
  const inner = skipOuterExpressions(expression);
  return isStringLiteralLike(inner) || isNumericLiteral(inner) || writesReservedAddress(inner);
}

/**
 * Whether an expression writes an e-mail address at a domain reserved for documentation and tests (RFC 2606, RFC
 * 6761: `example.com`, `example.org`, `example.net`, and names under `.example`, `.test`, `.invalid`, `.localhost`),
 * spelled out after the `@` in the code: `"admin@example.com"`, a test's `` `testuser+${random}@example.com` ``. No
 * such address is anyone's, whatever comes before the `@`; what the template puts there still carries its own data.
 */
export function writesReservedAddress(expression: ts.Expression): boolean {
  const inner = skipOuterExpressions(expression);
  const tail = isStringLiteralLike(inner) ? inner.text : isTemplateExpression(inner) ? inner.templateSpans.at(-1)?.literal.text : undefined;
  return tail !== undefined && RESERVED_ADDRESS.test(tail);
}

const RESERVED_ADDRESS = /@(?:[a-z0-9-]+\.)*(?:example\.(?:com|org|net)|example|test|invalid|localhost)$/i;
