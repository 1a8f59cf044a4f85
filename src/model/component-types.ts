import { ts } from "ts-morph";
import { Kind, isIdentifier, isParenthesizedTypeNode, isQualifiedName, isTypeReferenceNode, isUnionTypeNode } from "../compiler-direct.js";
import { identifierTokens } from "./identifier-tokens.js";

/**
 * Last words of a declared type's name that say the value is a part of the program that does something — Payload's
 * `email!: InitializedEmailAdapter`, a NestJS service's `private readonly email: EmailService`, `sms: SmsProvider` —
 * not the datum the member is named after.
 */
const COMPONENT_WORDS = new Set(["adapter", "adapters", "client", "service", "provider", "transport", "transporter", "driver", "mailer"]);

/**
 * Whether a member (a property, a property signature, a constructor's parameter property) is declared with the type of
 * a component: a function type (`email?: (to: string) => Promise<void>`), a type whose name ends in one of
 * COMPONENT_WORDS, a promise of one, or a union of those with `null`/`undefined` (Payload's `email?: EmailAdapter |
 * Promise<EmailAdapter>`). Read from the annotation as written: an alias of a function type under another name is not
 * followed.
 */
export function declaresComponent(member: ts.Node): boolean {
  const type = (member as { type?: ts.Node }).type;
  if (type === undefined) return false;
  const isMember = member.kind === Kind.PropertySignature || member.kind === Kind.PropertyDeclaration ||
    (member.kind === Kind.Parameter && (ts.getModifiers(member as ts.ParameterDeclaration)?.length ?? 0) > 0);
  return isMember && isComponentType(type as ts.TypeNode);
}

/** Whether a declared type is a component's (declaresComponent): also asked of a parameter's or a variable's. */
export function isComponentType(type: ts.TypeNode): boolean {
  if (type.kind === Kind.FunctionType || type.kind === Kind.ConstructorType) return true;
  if (isParenthesizedTypeNode(type)) return isComponentType(type.type);
  if (isUnionTypeNode(type)) {
    const values = type.types.filter((t) => !isNothing(t));
    return values.length > 0 && values.every(isComponentType);
  }
  if (!isTypeReferenceNode(type)) return false;
  const name = isQualifiedName(type.typeName) ? type.typeName.right.text : isIdentifier(type.typeName) ? type.typeName.text : undefined;
  if (name === undefined) return false;
  if (name === "Promise" && type.typeArguments?.length === 1) return isComponentType(type.typeArguments[0]!);
  const words = identifierTokens(name);
  return words.length > 0 && COMPONENT_WORDS.has(words[words.length - 1]!);
}

/** `null`, `undefined` or `void` in a union. */
function isNothing(type: ts.TypeNode): boolean {
  if (type.kind === Kind.UndefinedKeyword || type.kind === Kind.VoidKeyword || type.kind === Kind.NullKeyword) return true;
  return type.kind === Kind.LiteralType && (type as ts.LiteralTypeNode).literal.kind === Kind.NullKeyword;
}
