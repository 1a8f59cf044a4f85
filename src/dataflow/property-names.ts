import type { ts } from "ts-morph";
import { forEachChild, isComputedPropertyName, isStringLiteralLike, Kind } from "../compiler-direct.js";
import { COMPUTED_PROPERTY, REF, TYPE, declaresProperty, mayHoldFunction, propertiesOf } from "./function-list.js";
import type { FileRef } from "./trace.js";

/**
 * The names the scanned files declare as properties that may hold a function (function-list.ts `propertiesOf`): a
 * called member is asked of the checker as a property only when its name is one of them (calls.ts `heldInProperty`),
 * since that answer needs the receiver's type checked. A name computed from something other than a literal (`[Hook.Settings]: …`, an enum's member;
 * `[KEY]: …`, a constant) is the checker's to name: asked once, for the files that have one, when a name is first not
 * found among the others. The checker binds such a member to a name only when the expression's type is a string or
 * number literal (or a unique symbol, which no property access writes); of any other type (`[Op.and]` of a library not
 * installed: `any`) it is no named property, and no property access resolves to it.
 */
export class PropertyNames {
  private readonly names = new Set<string>();
  /** Properties whose declared types name types the scan resolves by name: each declaration's names. */
  private readonly conditional = new Map<string, string[][]>();
  /** The types the scanned files declare, by name: each declaration's names it may hold a function through, or "may". */
  private readonly types = new Map<string, (string[] | "may")[]>();
  private readonly typeMay = new Map<string, boolean>();
  private readonly computedIn: FileRef[] = [];
  private computed: ReadonlySet<string> | undefined;

  /** A scanned file's property names (its function list's, or its tree's; function-list.ts `REF`, `TYPE`). */
  add(file: FileRef, names: readonly string[]): void {
    for (const name of names) {
      if (name === COMPUTED_PROPERTY) this.computedIn.push(file);
      else if (name.startsWith(TYPE)) {
        const [type, ...refs] = name.slice(TYPE.length).split(REF);
        pushTo(this.types, type!, name.includes(REF) ? refs.filter((r) => r !== "") : "may");
      } else if (name.includes(REF)) {
        const [property, ...refs] = name.split(REF);
        pushTo(this.conditional, property!, refs);
      } else this.names.add(name);
    }
  }

  /** Whether some scanned file may declare a property `name` that holds a function. */
  mayDeclare(name: string, checker: () => ts.TypeChecker): boolean {
    if (this.names.has(name)) return true;
    const conditional = this.conditional.get(name);
    if (conditional !== undefined && conditional.some((refs) => refs.some((r) => this.mayHold(r, 0)))) return true;
    if (this.computedIn.length === 0) return false;
    this.computed ??= computedNames(this.computedIn, checker());
    return this.computed.has(name);
  }

  /**
   * Whether a value of the type named `name` may be a function: a type no scanned file declares may, but for the lib's
   * generics no call runs ({@link PLAIN_LIB_TYPES}); one the files declare may if one of its declarations may. A cycle
   * of aliases, or one deeper than a few steps, may.
   */
  private mayHold(name: string, depth: number): boolean {
    const known = this.typeMay.get(name);
    if (known !== undefined) return known;
    if (depth > 8) return true;
    const declarations = this.types.get(name);
    if (declarations === undefined) return !PLAIN_LIB_TYPES.has(name);
    this.typeMay.set(name, true);
    const may = declarations.some((d) => d === "may" || d.some((r) => this.mayHold(r, depth + 1)));
    this.typeMay.set(name, may);
    return may;
  }
}

/**
 * The lib's types no call runs on a value of, whatever their arguments (a mapped type keeps no call signature:
 * `Partial<() => void>` is not callable), when no scanned file declares a type of the name and the file naming it does
 * not import one from a package.
 */
const PLAIN_LIB_TYPES: ReadonlySet<string> = new Set([
  "Array", "ReadonlyArray", "Map", "ReadonlyMap", "Set", "ReadonlySet", "WeakMap", "WeakSet", "Date", "RegExp", "Error", "Promise",
  "Record", "Partial", "Required", "Readonly", "Pick", "Omit",
]);

function pushTo<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list !== undefined) list.push(value);
  else map.set(key, [value]);
}

function computedNames(files: readonly FileRef[], checker: ts.TypeChecker): ReadonlySet<string> {
  const names = new Set<string>();
  const visit = (n: ts.Node): void => {
    if (declaresProperty(n) && isComputedPropertyName(n.name) && mayHoldFunction(n.type)) {
      const expression = n.name.expression;
      if (!isStringLiteralLike(expression) && expression.kind !== Kind.NumericLiteral) {
        const type = checker.getTypeAtLocation(expression);
        if (type.isStringLiteral() || type.isNumberLiteral()) names.add(String(type.value));
      }
    }
    forEachChild(n, visit);
    for (const doc of (n as { jsDoc?: readonly ts.Node[] }).jsDoc ?? []) visit(doc);
  };
  for (const file of files) if (propertiesOf(file.sourceFile).includes(COMPUTED_PROPERTY)) visit(file.sourceFile);
  return names;
}
