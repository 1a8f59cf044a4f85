import { ts } from "ts-morph";

/** How far aliases and constraints are followed: a declared function type is never deeper in real code. */
const MAX_STEPS = 6;

/**
 * What a named type a signature does not define stands for: the type node it aliases (followed further), `true` when
 * it is callable but has no syntax to read parameters from (a library's `NextFunction`), `false` when it is not a
 * function. The model and the engine answer it differently (a project alias's syntax; the checker's call signatures).
 */
export type ResolveTypeReference = (reference: ts.TypeReferenceNode) => ts.TypeNode | boolean;

/**
 * The function type a parameter's declared type stands for (`callback: F` with `F extends (span: Span) => unknown`,
 * `cb?: () => void`, a project alias): the function type node itself when the syntax shows one, `true` for a callable
 * named type whose parameters cannot be read, undefined when it is not declared as a function. Read off the syntax: a
 * type parameter by its constraint, parentheses and unions through; only other named types go to `resolve`.
 */
export function declaredFunctionType(
  type: ts.TypeNode,
  signature: ts.SignatureDeclaration,
  resolve: ResolveTypeReference,
  depth = 0,
): ts.FunctionTypeNode | true | undefined {
  if (depth > MAX_STEPS) return undefined;
  if (ts.isFunctionTypeNode(type)) return type;
  if (ts.isParenthesizedTypeNode(type)) return declaredFunctionType(type.type, signature, resolve, depth + 1);
  if (ts.isUnionTypeNode(type)) {
    // a member whose parameters can be read wins over one that is only known to be callable
    let callable: true | undefined;
    for (const member of type.types) {
      const fn = declaredFunctionType(member, signature, resolve, depth + 1);
      if (fn === true) callable = true;
      else if (fn !== undefined) return fn;
    }
    return callable;
  }
  if (!ts.isTypeReferenceNode(type)) return undefined;
  const name = type.typeName;
  const typeParameter = ts.isIdentifier(name) ? signature.typeParameters?.find((t) => t.name.text === name.text) : undefined;
  if (typeParameter !== undefined) {
    return typeParameter.constraint ? declaredFunctionType(typeParameter.constraint, signature, resolve, depth + 1) : undefined;
  }
  const resolved = resolve(type);
  if (resolved === true) return true;
  if (resolved === false) return undefined;
  return declaredFunctionType(resolved, signature, resolve, depth + 1);
}
