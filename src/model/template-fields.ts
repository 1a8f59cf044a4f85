import { ts } from "ts-morph";
import {
  isBinaryExpression, isBindingElement, isComputedPropertyName, isConditionalExpression, isElementAccessExpression, isIdentifier,
  isNoSubstitutionTemplateLiteral, isObjectBindingPattern, isObjectLiteralExpression, isPropertyAccessExpression, isPropertyAssignment,
  isShorthandPropertyAssignment, isStringLiteral, isTemplateExpression, isVariableDeclaration, Kind,
} from "../compiler-direct.js";
import { skipOuterExpressions } from "../workspace/symbols.js";
import { constantText, declarationOf } from "./constant-text.js";
import { propertyNameText } from "./provenance.js";

/*
 * The fields of a view that a template render can put into its text (`Mustache.render(template, view)`): those its
 * template's tags name, when the code spells the template — a string, a `const`, one entry of a `const` table of
 * templates (unleash's `EVENT_MAP[event.type].action`). Read as a whole, the view joined every field it holds into the
 * rendered text, so a message template naming `{{event.preData.name}}` carried the deleted user's e-mail beside it.
 *
 * Tags are read from the text the code spells. A value put into that text at run time (`${this.bold(createdBy)}
 * triggered`, `"Hi " + name`) is the template's data, rendered as text: it flows into the result through the
 * template's own argument, and names no field (a tag the text opens across such a value, `{{${field}}}`, does make the
 * template unknown). A template the code does not spell (a parameter, a configured template, a file) names any field:
 * the whole view reaches the result, as before. Partials and delimiter changes name fields elsewhere: the whole view.
 */

/** How many declarations to follow from a name to the text it holds. */
const MAX_HOPS = 6;
/** Past this many candidate texts, the template counts as unknown. */
const MAX_TEXTS = 512;
/** Stands for a value put into the text at run time: plain text, never part of a tag's name. */
const RUN_TIME_TEXT = "\u0000";

/**
 * The field paths of the view that the template at argument `index` of `call` names (Mustache-style `{{tags}}`, which
 * Handlebars shares): every tag's name, and every section's name whole (what a section renders is looked up in its
 * value first). Undefined when the template is not spelled in the code or names fields a tag cannot show.
 */
export function templateFields(call: ts.CallExpression | ts.NewExpression, index: number, checker: ts.TypeChecker): string[][] | undefined {
  const argument = call.arguments?.[index];
  if (argument === undefined) return undefined;
  const texts = textsOf(argument, checker, 0);
  if (texts === undefined) return undefined;
  const paths = new Map<string, string[]>();
  for (const text of texts) {
    const named = tagPaths(text);
    if (named === undefined) return undefined;
    for (const path of named) paths.set(path.join("."), path);
  }
  return [...paths.values()];
}

/** The texts an expression can hold, as the code spells them; undefined when any of them is not spelled. */
function textsOf(expression: ts.Expression, checker: ts.TypeChecker, hops: number): string[] | undefined {
  if (hops > MAX_HOPS) return undefined;
  const node = skipOuterExpressions(expression);
  if (isStringLiteral(node) || isNoSubstitutionTemplateLiteral(node)) return [node.text];
  if (isTemplateExpression(node)) {
    // each `${…}` holds the texts it spells (a `const` template part), else a value put in at run time
    let texts = [node.head.text];
    for (const span of node.templateSpans) {
      const inner = textsOf(span.expression, checker, hops + 1) ?? [RUN_TIME_TEXT];
      if (texts.length * inner.length > MAX_TEXTS) return undefined;
      texts = texts.flatMap((before) => inner.map((text) => before + text + span.literal.text));
    }
    return texts;
  }
  if (isConditionalExpression(node)) return union([textsOf(node.whenTrue, checker, hops), textsOf(node.whenFalse, checker, hops)]);
  if (isBinaryExpression(node)) {
    const op = node.operatorToken.kind;
    if (op === Kind.BarBarToken || op === Kind.QuestionQuestionToken) return union([textsOf(node.left, checker, hops), textsOf(node.right, checker, hops)]);
    if (op === Kind.PlusToken) return concatenation(node, checker, hops);
    return undefined;
  }
  // a name is followed to its `const` here (one question to the checker); an enum member or a `readonly` property
  // read through an access is constantText's
  if (isIdentifier(node)) return textsOfName(node, checker, hops);
  if (isPropertyAccessExpression(node)) {
    const constant = constantText(node, checker);
    return constant !== undefined ? [constant] : valuesOf(objectsOf(node.expression, checker, hops + 1), node.name.text, checker, hops);
  }
  if (isElementAccessExpression(node)) {
    const key = constantText(node.argumentExpression, checker);
    return valuesOf(objectsOf(node.expression, checker, hops + 1), key, checker, hops);
  }
  return undefined;
}

/** `"Hi " + name + "!"`: the operands' texts one after another; an operand not spelled is a value put in at run time. */
function concatenation(node: ts.BinaryExpression, checker: ts.TypeChecker, hops: number): string[] | undefined {
  const left = textsOf(node.left, checker, hops) ?? [RUN_TIME_TEXT];
  const right = textsOf(node.right, checker, hops) ?? [RUN_TIME_TEXT];
  if (left.length * right.length > MAX_TEXTS) return undefined;
  return left.flatMap((l) => right.map((r) => l + r));
}

/** A name's texts: a `const`'s initializer, or the field of a `const` object a destructuring takes. */
function textsOfName(name: ts.Identifier, checker: ts.TypeChecker, hops: number): string[] | undefined {
  const declaration = declarationOf(name, checker);
  if (declaration === undefined) return undefined;
  if (isVariableDeclaration(declaration)) {
    if (!isConst(declaration) || declaration.initializer === undefined) return undefined;
    return textsOf(declaration.initializer, checker, hops + 1);
  }
  if (isBindingElement(declaration)) {
    // `const { label, action } = EVENT_MAP[type] || { … }`: the field `action` of each object the initializer can be
    const pattern = declaration.parent;
    const holder = pattern.parent;
    if (!isObjectBindingPattern(pattern) || declaration.dotDotDotToken || !isVariableDeclaration(holder) || !isConst(holder) || !holder.initializer) return undefined;
    const key = declaration.propertyName ? propertyNameText(declaration.propertyName) : isIdentifier(declaration.name) ? declaration.name.text : undefined;
    if (key === undefined) return undefined;
    const texts = valuesOf(objectsOf(holder.initializer, checker, hops + 1), key, checker, hops);
    // a default (`{ action = "…" }`) is the text when the object has no such field
    return declaration.initializer ? union([texts, textsOf(declaration.initializer, checker, hops + 1)]) : texts;
  }
  return undefined;
}

/** The object literals an expression can be (`TABLE[key]`, `a || { … }`, a `const` of one); undefined if unknown. */
function objectsOf(expression: ts.Expression, checker: ts.TypeChecker, hops: number): ts.ObjectLiteralExpression[] | undefined {
  if (hops > MAX_HOPS) return undefined;
  const node = skipOuterExpressions(expression);
  if (isObjectLiteralExpression(node)) return [node];
  if (isConditionalExpression(node)) return union([objectsOf(node.whenTrue, checker, hops), objectsOf(node.whenFalse, checker, hops)]);
  if (isBinaryExpression(node)) {
    const op = node.operatorToken.kind;
    if (op !== Kind.BarBarToken && op !== Kind.QuestionQuestionToken) return undefined;
    return union([objectsOf(node.left, checker, hops), objectsOf(node.right, checker, hops)]);
  }
  if (isIdentifier(node)) {
    const declaration = declarationOf(node, checker);
    if (declaration === undefined || !isVariableDeclaration(declaration) || !isConst(declaration) || !declaration.initializer) return undefined;
    return objectsOf(declaration.initializer, checker, hops + 1);
  }
  if (!isPropertyAccessExpression(node) && !isElementAccessExpression(node)) return undefined;
  const key = isPropertyAccessExpression(node) ? node.name.text : constantText(node.argumentExpression, checker);
  const holders = objectsOf(node.expression, checker, hops + 1);
  if (holders === undefined) return undefined;
  const out: ts.ObjectLiteralExpression[][] = [];
  for (const value of fieldValues(holders, key, checker)) {
    if (value === undefined) return undefined;
    const objects = objectsOf(value, checker, hops + 1);
    if (objects === undefined) return undefined;
    out.push(objects);
  }
  return out.flat();
}

/** The texts of field `key` (every field when the key is not a constant) of each object. */
function valuesOf(objects: ts.ObjectLiteralExpression[] | undefined, key: string | undefined, checker: ts.TypeChecker, hops: number): string[] | undefined {
  if (objects === undefined) return undefined;
  const out: (string[] | undefined)[] = [];
  for (const value of fieldValues(objects, key, checker)) out.push(value === undefined ? undefined : textsOf(value, checker, hops + 1));
  return union(out);
}

/**
 * The expressions field `key` of the objects can hold (all fields' when `key` is undefined); an undefined entry for a
 * field whose value cannot be read (a spread, a method, a computed name that is not a constant but could be `key`).
 * An object without the field adds nothing: it holds no text there.
 */
function fieldValues(objects: readonly ts.ObjectLiteralExpression[], key: string | undefined, checker: ts.TypeChecker): (ts.Expression | undefined)[] {
  const out: (ts.Expression | undefined)[] = [];
  for (const object of objects) {
    for (const property of object.properties) {
      const name =
        property.name === undefined
          ? undefined
          : isComputedPropertyName(property.name)
            ? constantText(property.name.expression, checker)
            : propertyNameText(property.name);
      if (key !== undefined && name !== undefined && name !== key) continue;
      if (isPropertyAssignment(property)) out.push(property.initializer);
      else if (isShorthandPropertyAssignment(property)) out.push(property.name);
      else out.push(undefined);
    }
  }
  return out;
}

function isConst(declaration: ts.VariableDeclaration): boolean {
  return (ts.getCombinedNodeFlags(declaration) & ts.NodeFlags.Const) !== 0;
}

function union<T>(parts: readonly (T[] | undefined)[]): T[] | undefined {
  const out: T[] = [];
  for (const part of parts) {
    if (part === undefined) return undefined;
    out.push(...part);
    if (out.length > MAX_TEXTS) return undefined;
  }
  return out;
}

/** Literal words a Handlebars tag can hold that name no field. */
const NOT_A_FIELD = new Set(["true", "false", "null", "undefined", "else", "as"]);

/**
 * The field paths one template text's tags name: `{{a.b}}`, `{{{a}}}`, `{{&a}}`, a section `{{#a}}`/`{{^a}}` whole
 * (and Handlebars' helpers' arguments, `{{#each items}}`, `{{formatDate user.createdAt "short"}}`), each also looked up
 * at the view's root, as Mustache does when a section's value lacks it. Undefined for what names fields a tag does not
 * show: a partial (`{{> name}}`), a delimiter change (`{{=<% %>=}}`), the whole view (`{{.}}` outside a section), a name
 * that holds a value put in at run time, or a tag never closed.
 */
export function tagPaths(text: string): string[][] | undefined {
  const paths: string[][] = [];
  let sections = 0;
  let at = 0;
  for (;;) {
    const open = text.indexOf("{{", at);
    if (open < 0) return paths;
    const triple = text.startsWith("{{{", open);
    const closing = triple ? "}}}" : "}}";
    const start = open + (triple ? 3 : 2);
    const close = text.indexOf(closing, start);
    if (close < 0) return undefined;
    at = close + closing.length;
    let content = text.slice(start, close).trim();
    if (content.includes(RUN_TIME_TEXT)) return undefined;
    // Handlebars' whitespace control: `{{~name~}}`
    content = content.replace(/^~/, "").replace(/~$/, "").trim();
    const sigil = triple ? "" : content.charAt(0);
    if (sigil === "!") continue;
    if (sigil === ">" || sigil === "=" || content.startsWith("#>") || content.startsWith("#*")) return undefined;
    if (sigil === "/") {
      sections = Math.max(0, sections - 1);
      continue;
    }
    const body = sigil === "#" || sigil === "^" || sigil === "&" ? content.slice(1) : content;
    const named = namesIn(body, sections > 0);
    if (named === undefined) return undefined;
    paths.push(...named);
    if (sigil === "#" || sigil === "^") sections++;
  }
}

/** The paths one tag's body names: a name, or a Handlebars helper call's words (quoted strings and numbers dropped). */
function namesIn(body: string, inSection: boolean): string[][] | undefined {
  const words = body
    .replace(/"[^"]*"|'[^']*'/g, " ")
    .replace(/[()|]/g, " ")
    .split(/\s+/)
    .filter((w) => w.length > 0);
  const out: string[][] = [];
  for (let word of words) {
    const eq = word.indexOf("=");
    if (eq >= 0) word = word.slice(eq + 1);
    word = word.replace(/^(\.\.\/)+/, "").replace(/^@root\./, "").replace(/^this[./]/, "").replace(/^\.\//, "");
    if (word === "." || word === "this") {
      // the section's own value, already named whole; outside any section, the whole view
      if (inSection) continue;
      return undefined;
    }
    if (word.length === 0 || word.startsWith("@") || NOT_A_FIELD.has(word) || /^-?\d/.test(word)) continue;
    const path = word
      .split(/[./]/)
      .map((segment) => segment.replace(/^\[(.*)\]$/, "$1"))
      .filter((segment) => segment.length > 0);
    if (path.length > 0) out.push(path);
  }
  return out;
}
