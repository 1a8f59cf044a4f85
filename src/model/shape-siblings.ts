import type { ts } from "ts-morph";
import { isClassLike, isInterfaceDeclaration, isObjectLiteralExpression, isTypeLiteralNode } from "../compiler-direct.js";
import { propertyNameText } from "./provenance.js";

/**
 * Whether the shape a member is declared in also declares a member of that name: the sibling a `siblingNames` entry
 * asks for (DataClassSpec.siblingNames: a mail envelope's `to` beside `from` and `subject`). A shape is an interface,
 * a type literal or a class — what the type says a value holds — or, for a validation schema's fields
 * (validators.ts), the object literal the schema is built from. An object literal built in code is no shape here: the
 * engine sees what is put in it.
 */
export function shapeDeclares(member: ts.Node, name: string): boolean {
  const shape = member.parent;
  const members: readonly ts.Node[] | undefined =
    isInterfaceDeclaration(shape) || isTypeLiteralNode(shape) || isClassLike(shape) ? shape.members : isObjectLiteralExpression(shape) ? shape.properties : undefined;
  return (
    members !== undefined &&
    members.some((m) => {
      const written = (m as { name?: ts.PropertyName }).name;
      return written !== undefined && propertyNameText(written) === name;
    })
  );
}
