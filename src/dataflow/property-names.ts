import type { ts } from "ts-morph";
import { forEachChild, isComputedPropertyName, isStringLiteralLike, Kind } from "../compiler-direct.js";
import { COMPUTED_PROPERTY, GLOBAL, IMPORTED, REF, STAR_FROM_PACKAGE, TYPE, declaresProperty, mayHoldFunction, propertiesOf } from "./function-list.js";
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
  /**
   * The types the scanned files declare, by name: each declaration's names it may hold a function through, or "may";
   * `globals` only the global scope's (a script's, `declare global`), which a name neither declared nor imported names.
   */
  private readonly types = new Map<string, (string[] | "may")[]>();
  private readonly globals = new Map<string, (string[] | "may")[]>();
  private readonly typeMay = new Map<string, boolean>();
  /** Some file re-exports all of a package: a name imported from a project module may be the package's. */
  private starFromPackage = false;
  private readonly computedIn: FileRef[] = [];
  private computed: ReadonlySet<string> | undefined;

  /** A scanned file's property names (its function list's, or its tree's; function-list.ts `REF`, `TYPE`). */
  add(file: FileRef, names: readonly string[]): void {
    for (const name of names) {
      if (name === COMPUTED_PROPERTY) this.computedIn.push(file);
      else if (name === STAR_FROM_PACKAGE) this.starFromPackage = true;
      else if (name.startsWith(TYPE)) {
        const [declared, ...refs] = name.slice(TYPE.length).split(REF);
        const global = declared!.startsWith(GLOBAL);
        const type = global ? declared!.slice(GLOBAL.length) : declared!;
        const declaration = name.includes(REF) ? refs.filter((r) => r !== "") : "may";
        pushTo(this.types, type, declaration);
        if (global) pushTo(this.globals, type, declaration);
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
   * Whether a value of the type a reference names may be a function (function-list.ts writes each reference with its
   * scope). A global name: one the project declares globally may if one of those declarations may; one it does not may,
   * but for the lib's generics no call runs ({@link PLAIN_LIB_TYPES}) — a project module's type of the name is not the
   * global one. A name the file declares or imports from a project module: may if one of the project's declarations of
   * the name may, or none does (an import of what a project module re-exports from a package), or a name imported from
   * a project module when some file re-exports all of a package. A cycle of aliases, or one deeper than a few steps, may.
   */
  private mayHold(reference: string, depth: number): boolean {
    const known = this.typeMay.get(reference);
    if (known !== undefined) return known;
    if (depth > 8) return true;
    const global = reference.startsWith(GLOBAL);
    const name = global || reference.startsWith(IMPORTED) ? reference.slice(1) : reference;
    if (!global && this.starFromPackage && reference.startsWith(IMPORTED)) return true;
    const declarations = (global ? this.globals : this.types).get(name);
    if (declarations === undefined) return !global || !PLAIN_LIB_TYPES.has(name);
    this.typeMay.set(reference, true);
    const may = declarations.some((d) => d === "may" || d.some((r) => this.mayHold(r, depth + 1)));
    this.typeMay.set(reference, may);
    return may;
  }
}

/**
 * The lib's types no call runs on a value of, whatever their arguments (a mapped type keeps no call signature:
 * `Partial<() => void>` is not callable), when the file naming one neither declares nor imports a type of the name and
 * the project declares none globally.
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
