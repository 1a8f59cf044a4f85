import type { ts } from "ts-morph";
import { Kind, NodeFlags, forEachChild, isClassDeclaration, isExportDeclaration, isExternalModule, isModuleBlock, isModuleDeclaration, isNamedExports, isSourceFile, isComputedPropertyName, isEnumDeclaration, isIdentifier, isImportDeclaration, isImportEqualsDeclaration, isInterfaceDeclaration, isNamedImports, isParameter, isParameterPropertyDeclaration, isPropertyDeclaration, isPropertySignature, isSetAccessorDeclaration, isStringLiteralLike, isTypeAliasDeclaration } from "../compiler-direct.js";
import { isFunctionLike } from "./context.js";

/**
 * Each parsed file's functions, listed once per parse. The list depends on the syntax tree alone, and an update review
 * analyses both sides over the very same SourceFile objects for every file the update did not change (the base's
 * workspace shares the head's parse, load-workspace.ts): without the memo the base's analysis walked every one of them
 * again — on hoppscotch's cached one-line review that walk was most of the base run's analysis. A WeakMap: a file no
 * longer referenced takes its list with it.
 */
const listed = new WeakMap<ts.SourceFile, Walked>();

/** What one walk of a file finds: its functions, and the names it declares as properties. */
interface Walked {
  readonly functions: readonly ts.Node[];
  readonly properties: readonly string[];
}

function walked(sf: ts.SourceFile): Walked {
  let found = listed.get(sf);
  if (found === undefined) listed.set(sf, (found = walk(sf)));
  return found;
}

/** Every function-like node of a file that has a body, in source order (the order records are made in). */
export function functionsOf(sf: ts.SourceFile): readonly ts.Node[] {
  return walked(sf).functions;
}

/**
 * A file declares a property whose name is computed from something other than a literal (`[KEY]: () => void`), which
 * only the checker can name (property-names.ts).
 */
export const COMPUTED_PROPERTY = "[computed]";

/**
 * The names the file declares as properties that may hold a function ({@link mayHoldFunction}) — a property signature
 * (an interface's, a type literal's), a class's property declaration, a constructor's parameter property — each once, in
 * source order; {@link COMPUTED_PROPERTY} for a computed name that is no literal; a name whose declared type may hold a
 * function only through the plain type names it mentions is listed with them ({@link REF}), and the types the file
 * declares are listed too ({@link TYPE}), for property-names.ts to resolve over all the files. A superset of the names
 * of the file's declarations a call of a member of the project can resolve to as a property (calls.ts
 * `heldInProperty`): a name no file lists is no project type's property that a call runs.
 */
export function propertiesOf(sf: ts.SourceFile): readonly string[] {
  return walked(sf).properties;
}

/**
 * A file's functions as places — position, end and kind of each, in the order of {@link functionsOf}, flattened — and
 * the names of its setters (which change how every assignment to that name is read, context.ts) and of its properties. An analysis cache
 * entry keeps each file's list (src/cache/state-codec.ts), so a later run over the same text knows the file's functions
 * without its tree: when a record is taken over for each of them, nothing in the file needs listing or analysing.
 */
export interface FunctionList {
  readonly places: readonly number[];
  readonly setters: readonly string[];
  /** The names the file declares as properties ({@link propertiesOf}). */
  readonly properties: readonly string[];
}

const asLists = new WeakMap<ts.SourceFile, FunctionList>();

/** The list of a parsed file. */
export function functionListOf(sf: ts.SourceFile): FunctionList {
  let list = asLists.get(sf);
  if (list !== undefined) return list;
  const functions = functionsOf(sf);
  const places: number[] = [];
  for (const fn of functions) places.push(fn.pos, fn.end, fn.kind);
  asLists.set(sf, (list = { places, setters: settersOf(functions), properties: propertiesOf(sf) }));
  return list;
}

/** The names of the setters among `functions` (a computed name is none). */
export function settersOf(functions: readonly ts.Node[]): string[] {
  const names: string[] = [];
  for (const fn of functions) if (isSetAccessorDeclaration(fn) && isIdentifier(fn.name)) names.push(fn.name.text);
  return names;
}

/**
 * The iterative walk (nesting depth is the input's, so no recursion). A JavaScript file's JSDoc is walked for its type
 * literals' property signatures (`@param {{ next: Function }} opts`), which declare properties to the checker too; a
 * JSDoc comment holds no function with a body.
 */
function walk(sf: ts.SourceFile): Walked {
  const functions: ts.Node[] = [];
  const properties = new Set<string>();
  // a property whose declared type may hold a function only if a type it names does, and the types the file declares
  const conditional: [string, string[]][] = [];
  const types: [string, string[] | undefined, boolean][] = [];
  // names the file's references cannot be taken by name for: its type parameters, what it imports from a package
  const opaque = new Set<string>();
  // the type names the file declares itself, and those it imports from a project module (a relative path): a plain
  // name that is neither is a global's (the lib's, a package's ambient declarations, the project's global scripts)
  const declared = new Set<string>();
  const imported = new Set<string>();
  // what the file re-exports of a package (a project module's name that may be the package's type), and the names it
  // exports of its own scope (local name, exported name), an import from a package among them
  const exportedFromPackages: string[] = [];
  const exportedLocally: [string, string][] = [];
  let starFromPackage = false;
  const script = !isExternalModule(sf);
  const stack: ts.Node[] = [sf];
  // one callback for the whole walk, no array per node, the compiler's function from compiler-direct.ts (each `ts.X` is
  // a getter call): every file is walked on every scan, a cached one too
  const push = (c: ts.Node): void => {
    stack.push(c);
  };
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n !== sf && isFunctionLike(n) && (n as ts.FunctionLikeDeclaration).body) functions.push(n);
    else if (declaresProperty(n)) {
      const name = propertyName(n.name);
      const refs: string[] = [];
      if (name === COMPUTED_PROPERTY ? mayHoldFunction(n.type) : functionRefs(n.type, refs)) properties.add(name);
      else if (refs.length > 0) conditional.push([name, refs]);
    } else if (n.kind === Kind.TypeParameter) opaque.add((n as ts.TypeParameterDeclaration).name.text);
    else if (isTypeAliasDeclaration(n)) {
      const refs: string[] = [];
      types.push([n.name.text, functionRefs(n.type, refs) ? undefined : refs, inGlobalScope(n, script)]);
    } else if (isInterfaceDeclaration(n)) {
      // an interface that extends another is left to the checker
      types.push([n.name.text, n.heritageClauses !== undefined || n.members.some((m) => m.kind === Kind.CallSignature) ? undefined : [], inGlobalScope(n, script)]);
    } else if ((isClassDeclaration(n) && n.name !== undefined) || isEnumDeclaration(n)) {
      // an instance of a class, a member of an enum: no call runs either
      types.push([n.name!.text, [], inGlobalScope(n, script)]);
    } else if (isImportDeclaration(n) || isImportEqualsDeclaration(n)) importedNames(n, opaque, imported);
    else if (isExportDeclaration(n)) starFromPackage = exportedNames(n, exportedFromPackages, exportedLocally) || starFromPackage;
    // the children go on the stack last child first, so they are visited in source order
    const from = stack.length;
    forEachChild(n, push);
    const docs = (n as { jsDoc?: readonly ts.Node[] }).jsDoc;
    if (docs !== undefined) for (const doc of docs) stack.push(doc);
    for (let i = from, j = stack.length - 1; i < j; i++, j--) {
      const c = stack[i]!;
      stack[i] = stack[j]!;
      stack[j] = c;
    }
  }
  for (const [name] of types) declared.add(name);
  // a reference as property-names.ts resolves it: a type the file declares itself (over the project's declarations of
  // the name: in a script too, where one inside a namespace is no global), a project module's import (IMPORTED), else
  // the global scope's (GLOBAL)
  const scoped = (r: string): string => (declared.has(r) ? r : imported.has(r) ? `${IMPORTED}${r}` : `${GLOBAL}${r}`);
  for (const [name, refs] of conditional) {
    if (properties.has(name)) continue;
    if (refs.some((r) => opaque.has(r))) properties.add(name);
    else properties.add(`${name}${REF}${refs.map(scoped).join(REF)}`);
  }
  for (const [name, refs, global] of types) {
    const declaredName = `${TYPE}${global ? GLOBAL : ""}${name}`;
    properties.add(refs === undefined || refs.some((r) => opaque.has(r)) ? declaredName : `${declaredName}${REF}${refs.map(scoped).join(REF)}`);
  }
  // a package's type the file re-exports is, to a project module importing it, a type that may hold a function
  for (const name of exportedFromPackages) properties.add(`${TYPE}${name}`);
  for (const [local, exported] of exportedLocally) if (opaque.has(local)) properties.add(`${TYPE}${exported}`);
  if (starFromPackage) properties.add(STAR_FROM_PACKAGE);
  return { functions, properties: [...properties] };
}

/**
 * In a function list's names: a property `name` followed by the type names its declared type may hold a function
 * through (`map: QueryMap`), each after this separator; a type the file declares begins with {@link TYPE} (`QueryMap`
 * alone may hold one, `QueryMap` + separator + `Map` only if `Map` may, `QueryMap` + separator none). property-names.ts
 * resolves them over every scanned file.
 */
export const REF = "\0";
export const TYPE = "\u0001";
/**
 * Before a referenced type name: the global scope's — the file neither declares nor imports it (the lib's `Date`, a
 * package's ambient `Express`, a project script's interface); before a declared type's name: a global declaration (a
 * script's, or inside `declare global`). A project module's type of the same name is not what such a reference names.
 */
export const GLOBAL = "\u0002";
/** Before a referenced type name the file imports from a project module (a relative path). */
export const IMPORTED = "\u0003";
/**
 * The file re-exports all of a package (`export * from "pkg"`): a name imported from a project module may be that
 * package's type, whatever the project declares under the name.
 */
export const STAR_FROM_PACKAGE = "\u0004*";

/**
 * The names a file imports: from a package (not a relative path) into `fromPackages` — a type of one of them is the
 * package's —, from a project module into `fromProject`.
 */
function importedNames(n: ts.ImportDeclaration | ts.ImportEqualsDeclaration, fromPackages: Set<string>, fromProject: Set<string>): void {
  if (isImportEqualsDeclaration(n)) {
    fromPackages.add(n.name.text);
    return;
  }
  const specifier = n.moduleSpecifier;
  const into = isStringLiteralLike(specifier) && specifier.text.startsWith(".") ? fromProject : fromPackages;
  const clause = n.importClause;
  if (clause === undefined) return;
  if (clause.name !== undefined) into.add(clause.name.text);
  const bindings = clause.namedBindings;
  if (bindings !== undefined && isNamedImports(bindings)) for (const element of bindings.elements) into.add(element.name.text);
}

/**
 * The names an export declaration exports: re-exported from a package (`export { Handler } from "pkg"`, under the name
 * it exports them as) into `fromPackages`; of the file's own scope (`export { Handler }`, `export { H as Handler }`) into
 * `local` as local and exported name. True for `export * from "pkg"`, whose names only the package knows.
 */
function exportedNames(n: ts.ExportDeclaration, fromPackages: string[], local: [string, string][]): boolean {
  const specifier = n.moduleSpecifier;
  const clause = n.exportClause;
  if (specifier === undefined) {
    if (clause !== undefined && isNamedExports(clause)) for (const e of clause.elements) local.push([(e.propertyName ?? e.name).text, e.name.text]);
    return false;
  }
  if (!isStringLiteralLike(specifier) || specifier.text.startsWith(".")) return false;
  if (clause === undefined) return true;
  if (isNamedExports(clause)) for (const element of clause.elements) fromPackages.push(element.name.text);
  return false;
}

/**
 * Whether a declaration is the global scope's: at the top of a script (a file with no import or export), or at the top
 * of `declare global { … }` in a module — not a namespace's member, nor an ambient module's (`declare module "pkg"`).
 */
function inGlobalScope(n: ts.Node, script: boolean): boolean {
  const scope = n.parent;
  if (scope === undefined || isSourceFile(scope)) return script;
  return isModuleBlock(scope) && isModuleDeclaration(scope.parent) && (scope.parent.flags & NodeFlags.GlobalAugmentation) !== 0;
}

/**
 * {@link mayHoldFunction} with the syntax's open questions set aside: true when the type may hold a function whatever
 * its names are (a function type, `typeof f`, `any`, a qualified or generic name); else false, with `refs` given the
 * plain type names (`QueryMap`, `Map`) through which it may still hold one — none when it cannot.
 */
function functionRefs(type: ts.TypeNode | undefined, refs: string[]): boolean {
  if (type === undefined) return true;
  switch (type.kind) {
    case Kind.TypeReference: {
      const name = (type as ts.TypeReferenceNode).typeName;
      if (!isIdentifier(name)) return true;
      refs.push(name.text);
      return false;
    }
    case Kind.ParenthesizedType:
      return functionRefs((type as ts.ParenthesizedTypeNode).type, refs);
    case Kind.UnionType:
    case Kind.IntersectionType:
      return (type as ts.UnionOrIntersectionTypeNode).types.some((t) => functionRefs(t, refs));
    default:
      return mayHoldFunction(type);
  }
}

/**
 * A declaration of a property: a property signature (an interface's, a type literal's), a class's property declaration
 * or a constructor's parameter property — not a method.
 */
export function declaresProperty(n: ts.Node): n is ts.PropertySignature | ts.PropertyDeclaration | ts.ParameterPropertyDeclaration {
  return isPropertySignature(n) || isPropertyDeclaration(n) || (isParameter(n) && isParameterPropertyDeclaration(n, n.parent));
}

/**
 * Whether a property declared with this type may hold a function a call of it runs: no type (a class field, a JavaScript
 * property, whose initializer may be one), a function type, and any type the syntax does not settle (a reference, an
 * alias, `typeof f`, `any`, a generic) may; a primitive, a literal, an array or tuple, a template literal, `object` and
 * a type literal without a call signature may not, nor a union or intersection of them. A call of such a property is
 * a type error, so a file that type-checks calls none (growthbook's `optional: boolean`, `min: number`, beside zod's
 * `z.string().optional()`: 6,540 of its 23,206 checker questions on a called member, none of them answered true).
 */
export function mayHoldFunction(type: ts.TypeNode | undefined): boolean {
  if (type === undefined) return true;
  switch (type.kind) {
    case Kind.StringKeyword:
    case Kind.NumberKeyword:
    case Kind.BooleanKeyword:
    case Kind.BigIntKeyword:
    case Kind.SymbolKeyword:
    case Kind.UndefinedKeyword:
    case Kind.NeverKeyword:
    case Kind.VoidKeyword:
    case Kind.ObjectKeyword:
    case Kind.LiteralType:
    case Kind.ArrayType:
    case Kind.TupleType:
    case Kind.TemplateLiteralType:
      return false;
    case Kind.ParenthesizedType:
      return mayHoldFunction((type as ts.ParenthesizedTypeNode).type);
    case Kind.UnionType:
    case Kind.IntersectionType:
      return (type as ts.UnionOrIntersectionTypeNode).types.some(mayHoldFunction);
    case Kind.TypeLiteral:
      return (type as ts.TypeLiteralNode).members.some((m) => m.kind === Kind.CallSignature);
    default:
      return true;
  }
}

/** A declared property's name as a property access writes it; {@link COMPUTED_PROPERTY} for a computed one of no literal. */
function propertyName(name: ts.PropertyName | ts.BindingName): string {
  if (isComputedPropertyName(name)) return isStringLiteralLike(name.expression) || name.expression.kind === Kind.NumericLiteral ? (name.expression as ts.LiteralExpression).text : COMPUTED_PROPERTY;
  // an identifier, a private name (`#pack`), a string or numeric literal; a parameter property's name is an identifier
  return "text" in name ? name.text : COMPUTED_PROPERTY;
}
