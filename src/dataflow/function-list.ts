import type { ts } from "ts-morph";
import { Kind, forEachChild, isComputedPropertyName, isIdentifier, isParameter, isParameterPropertyDeclaration, isPropertyDeclaration, isPropertySignature, isSetAccessorDeclaration, isStringLiteralLike } from "../compiler-direct.js";
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
 * source order; {@link COMPUTED_PROPERTY} for a computed name that is no literal. A superset of the names of the file's
 * declarations a call of a member of the project can resolve to as a property (calls.ts `heldInProperty`): a name no
 * file lists is no project type's property that a call runs.
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
  const stack: ts.Node[] = [sf];
  // one callback for the whole walk, no array per node, the compiler's function from compiler-direct.ts (each `ts.X` is
  // a getter call): every file is walked on every scan, a cached one too
  const push = (c: ts.Node): void => {
    stack.push(c);
  };
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n !== sf && isFunctionLike(n) && (n as ts.FunctionLikeDeclaration).body) functions.push(n);
    else if (declaresProperty(n) && mayHoldFunction(n.type)) {
      properties.add(propertyName(n.name));
    }
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
  return { functions, properties: [...properties] };
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
