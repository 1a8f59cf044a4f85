import { ts } from "ts-morph";

/**
 * A message named like a data class: postiz's `addEmail: SendEmail` is `{ to, subject, html, replyTo }`, an e-mail to
 * send, not an address; `sms: { to, body }` is a text message. "email" names both the address and the message, and a
 * name alone cannot tell them apart; the declared type can — an object type with a message's content (a subject, an
 * HTML part, a body, a template) is a message, whatever it is called, as no address, number or place has a subject.
 * What the message holds is classified by its own fields: the recipient slot of the door it is sent through, a field
 * named like a datum, and where each value came from (a user's address put in `to` keeps its provenance).
 *
 * Only the type's own properties decide, through unions with `undefined`/`null` and arrays; a type the checker cannot
 * see (a package that is not installed) has none, and its value keeps its name's class.
 */
export function isMessageType(checker: ts.TypeChecker, type: ts.Type, depth = 0): boolean {
  if (depth > 4) return false;
  if (type.isUnion()) {
    const present = type.types.filter((t) => (t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null)) === 0);
    return present.length > 0 && present.every((t) => isMessageType(checker, t, depth + 1));
  }
  if (checker.isArrayType(type)) {
    const element = checker.getTypeArguments(type as ts.TypeReference)[0];
    return element !== undefined && isMessageType(checker, element, depth + 1);
  }
  // only an object type: a string alias named `EmailMessage` is still a string
  if ((type.flags & ts.TypeFlags.Object) === 0) return false;
  return checker.getPropertiesOfType(type).some((property) => MESSAGE_CONTENT.has(property.getName()));
}

/**
 * A message's content, which no address, number, place or device identifier has. `text` and `content` are left out:
 * a geocoder's place (`{ text, center }`) is a location that has a label.
 */
const MESSAGE_CONTENT = new Set(["subject", "html", "body", "template", "templateId"]);
