import type { ts } from "ts-morph";
import { forEachChild, isComputedPropertyName, isStringLiteralLike, Kind } from "../compiler-direct.js";
import { COMPUTED_PROPERTY, declaresProperty, mayHoldFunction, propertiesOf } from "./function-list.js";
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
  private readonly computedIn: FileRef[] = [];
  private computed: ReadonlySet<string> | undefined;

  /** A scanned file's property names (its function list's, or its tree's). */
  add(file: FileRef, names: readonly string[]): void {
    for (const name of names) {
      if (name === COMPUTED_PROPERTY) this.computedIn.push(file);
      else this.names.add(name);
    }
  }

  /** Whether some scanned file may declare a property `name`. */
  mayDeclare(name: string, checker: () => ts.TypeChecker): boolean {
    if (this.names.has(name)) return true;
    if (this.computedIn.length === 0) return false;
    this.computed ??= computedNames(this.computedIn, checker());
    return this.computed.has(name);
  }
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
