import { ts } from "ts-morph";
import { isIdentifier, isImportSpecifier, isStringLiteralLike } from "../compiler-direct.js";
import { isProjectSourceFile } from "../workspace/symbols.js";

/**
 * Type utilities that reshape the type in their first argument and describe the same value: `Partial<PayloadRequest>`,
 * `MarkRequired<PayloadRequest, "payload">` of ts-essentials, `SetRequired<Request, "user">` of type-fest. A value
 * declared with one is the argument's value — a project type's (its members read as that type's) or a library's (its
 * sources and doors) — not the utility package's export. Only the utilities that keep the argument's members (made
 * optional, required, read-only, some left out or merged with others, or the value a promise of it settles to) are listed: a utility that answers the keys,
 * a member's value, a constructor or a dictionary of the type (`ValueOf<T>`, `Class<T>`, `Dictionary<T>`) describes
 * another value, and so does a library's generic class over a project type (`Queue<SignupJob>` is bullmq's queue).
 */
const LANGUAGE_UTILITIES = new Set(["Partial", "Required", "Readonly", "NonNullable", "Pick", "Omit", "NoInfer", "Awaited"]);

const PACKAGE_UTILITIES = new Map<string, ReadonlySet<string>>([
  ["ts-essentials", new Set([
    "DeepPartial", "DeepRequired", "DeepReadonly", "DeepWritable", "DeepNonNullable", "DeepNullable", "DeepUndefinable",
    "DeepOmit", "DeepPick", "MarkRequired", "MarkOptional", "MarkReadonly", "MarkWritable", "StrictOmit", "Writable",
    "Buildable", "NonNever", "Merge", "Opaque",
  ])],
  ["type-fest", new Set([
    "PartialDeep", "RequiredDeep", "ReadonlyDeep", "WritableDeep", "PartialOnUndefinedDeep", "SetRequired", "SetOptional",
    "SetReadonly", "SetNonNullable", "SetFieldType", "Except", "Merge", "MergeDeep", "Simplify", "Writable",
    "OverrideProperties", "ConditionalPick", "ConditionalExcept", "Opaque", "Tagged",
  ])],
  ["utility-types", new Set([
    "DeepPartial", "DeepRequired", "DeepReadonly", "DeepNonNullable", "Optional", "Mutable", "Writable", "Assign",
    "Overwrite",
  ])],
  ["typeorm", new Set(["DeepPartial"])],
]);

const UTILITY_NAMES = new Set([...LANGUAGE_UTILITIES, ...[...PACKAGE_UTILITIES.values()].flatMap((names) => [...names])]);

/** Whether a type reference may be a type utility by its syntax alone (a name listed above, with type arguments): no checker question for the others. */
export function mayReshape(type: ts.TypeReferenceNode): boolean {
  return type.typeArguments !== undefined && isIdentifier(type.typeName) && UTILITY_NAMES.has(type.typeName.text);
}

/**
 * The type a type utility reshapes (its first argument), when `type` is one: a utility of the language not declared
 * by the project (`Partial<T>`), or one imported by name from a utility package (`import type { MarkRequired } from
 * "ts-essentials"`). Undefined for any other type reference. `symbol` is the checker's symbol of the type's name.
 */
export function reshapedType(type: ts.TypeReferenceNode, symbol: ts.Symbol | undefined): ts.TypeNode | undefined {
  const argument = type.typeArguments?.[0];
  const name = type.typeName;
  if (argument === undefined || !isIdentifier(name)) return undefined;
  const declaration = symbol?.declarations?.[0];
  if (LANGUAGE_UTILITIES.has(name.text)) {
    return declaration === undefined || !isProjectSourceFile(declaration.getSourceFile()) && !isImportSpecifier(declaration) ? argument : undefined;
  }
  if (declaration === undefined || !isImportSpecifier(declaration)) return undefined;
  const specifier = declaration.parent.parent.parent.moduleSpecifier;
  if (!isStringLiteralLike(specifier)) return undefined;
  const imported = (declaration.propertyName ?? declaration.name).text;
  return PACKAGE_UTILITIES.get(specifier.text)?.has(imported) === true ? argument : undefined;
}
