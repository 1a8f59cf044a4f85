import { ts } from "ts-morph";
import { Kind, isArrayLiteralExpression, isAwaitExpression, isBinaryExpression, isCallExpression, isComputedPropertyName, isConditionalExpression, isElementAccessExpression, isIdentifier, isNewExpression, isNumericLiteral, isObjectLiteralExpression, isPrefixUnaryExpression, isPropertyAccessExpression, isPropertyAssignment, isPropertyDeclaration, isShorthandPropertyAssignment, isStringLiteralLike, isTemplateExpression, isVariableDeclaration } from "../compiler-direct.js";
import type { SyntheticRow } from "../config/policy.js";
import { skipOuterExpressions } from "../workspace/symbols.js";
import { normalizeCallKey } from "./call-path.js";
import type { ProvenanceResolver } from "./provenance.js";
import { packageOfModule } from "./packages.js";

/**
 * Synthetic-data generators (`@faker-js/faker`, `chance`, `casual`): what they produce is never a real person's, so
 * `faker.phone.number()` in a seeding script is no phone number to protect, whatever it is called. Configuration
 * (`process.env`, `ConfigService`) is answered the same way: an operator's setting (`process.env.SMTP_FROM_EMAIL`) is
 * nobody's personal data. A row names a package (or a path inside one); everything below it counts.
 *
 * Two questions: whether a library value is generated (its provenance is under a row: the call's result is clean),
 * and whether a read that a data-class name would make a source holds a generated value — a member read off the
 * generator (`faker.phone`), or a variable or property whose initializer is generated (`const phone =
 * faker.phone.number()`, `{ email: faker.internet.email() }`).
 */
export interface SyntheticValues {
  /** Whether a canonical key (`@faker-js/faker#faker.phone.number()`) is a generator's. */
  coversKey(key: string): boolean;
  /** Whether the value this read yields (a property or element access, an identifier, a declaration) is generated. */
  generatedRead(node: ts.Node): boolean;
}

const FALLBACK_OPERATORS = new Set([Kind.QuestionQuestionToken, Kind.BarBarToken]);

/** How many initializers and calls to follow from a read to the generator (`phone` → `{ phone }` → `faker…()`). */
const MAX_HOPS = 6;

export function createSyntheticValues(
  rows: readonly SyntheticRow[],
  resolver: ProvenanceResolver,
  /** The project's files, their texts searched once (lazily) for an import of a generator package. */
  sourceFiles: () => readonly { readonly text: string }[],
): SyntheticValues {
  const keys = new Set(rows.map((row) => normalizeCallKey(row.path)));
  // what a file must mention to hold such a value: the module, or for a global (`global#process.env`) its first name;
  // a named export's name too, which a file that reaches it through a global alias names (Nitro's auto-imported
  // `useRuntimeConfig()` is `nitropack/runtime#useRuntimeConfig()`)
  const mentions = [...new Set([...keys].flatMap((key) => {
    const [module, members] = [key.slice(0, key.indexOf("#")), key.slice(key.indexOf("#") + 1)];
    const first = members.split(/[.(]/)[0] ?? "";
    if (module === "global") return [first || module];
    return first !== "" && first !== "default" ? [module, first] : [module];
  }))];
  let used: boolean | undefined;
  const readCache = new Map<ts.Node, boolean>();

  function coversKey(key: string): boolean {
    if (keys.size === 0) return false;
    const hash = key.indexOf("#");
    if (hash < 0) return false;
    if (coversPath(key, hash)) return true;
    // a generator's subpath entry is the same generator: `faker/locale/en_GB` is faker with British data
    const module = key.slice(0, hash);
    const root = packageOfModule(module);
    return root !== undefined && root !== module && coversKey(`${root}${key.slice(hash)}`);
  }

  /** Whether a row covers the key as written: its whole module, or a path the key is or lies below. */
  function coversPath(key: string, hash: number): boolean {
    if (keys.has(key.slice(0, hash + 1))) return true; // a whole package
    // a path and every member or call below it: `pkg#a.b` covers `pkg#a.b.c()` and `pkg#a.b()`
    for (let end = key.length; end > hash + 1; ) {
      if (keys.has(key.slice(0, end))) return true;
      const dot = key.lastIndexOf(".", end - 1);
      const call = key.lastIndexOf("(", end - 1);
      end = Math.max(dot, call);
      if (end <= hash) break;
    }
    return false;
  }

  /** A cheap gate: no file mentions a generator package, so no read can be generated. */
  function anyGenerator(): boolean {
    return (used ??= mentions.length > 0 && sourceFiles().some((file) => mentions.some((m) => file.text.includes(m))));
  }

  function generatedExpression(expression: ts.Expression, hops: number): boolean {
    const node = skipOuterExpressions(expression);
    if (isAwaitExpression(node)) return generatedExpression(node.expression, hops);
    if (isConditionalExpression(node)) return generatedOrConstant(node.whenTrue, hops) && generatedOrConstant(node.whenFalse, hops);
    if (isBinaryExpression(node) && FALLBACK_OPERATORS.has(node.operatorToken.kind)) {
      // `process.env.SMTP_FROM ?? "noreply@example.com"`: a setting with a default
      const sides = [node.left, node.right];
      return sides.some((side) => generatedExpression(side, hops)) && sides.every((side) => generatedOrConstant(side, hops));
    }
    if (isTemplateExpression(node)) {
      // `${faker.internet.userName()}@example.com`: generated if some part is, and every part is generated or constant
      return node.templateSpans.some((s) => generatedExpression(s.expression, hops)) && node.templateSpans.every((s) => generatedOrConstant(s.expression, hops));
    }
    if (isIdentifier(node) || isPropertyAccessExpression(node) || isElementAccessExpression(node)) {
      if (hops < MAX_HOPS && generatedRead(node, hops + 1)) return true;
    }
    if (isCallExpression(node) && hops < MAX_HOPS && madeFromGenerated(node, hops + 1)) return true;
    if (isObjectLiteralExpression(node) || isArrayLiteralExpression(node)) return builtOfGenerated(node, hops);
    if (!isCallExpression(node) && !isPropertyAccessExpression(node) && !isElementAccessExpression(node) && !isNewExpression(node)) {
      return false;
    }
    const value = resolver.ofExpression(node);
    return value?.kind === "external" && coversKey(value.key);
  }

  /**
   * A setting parsed or decoded: `JSON.parse(process.env.SERVICE_ACCOUNT_JSON)`, or a project function that answers
   * text given settings (and constants) only — `readSecret(process.env.KEY)`, which returns the value, a file it names
   * or its base64 decoding. A call with no argument, or with any argument that is neither, is not.
   */
  function madeFromGenerated(call: ts.CallExpression, hops: number): boolean {
    if (call.arguments.length === 0) return false;
    const callee = resolver.ofExpression(call.expression);
    const parses = callee?.kind === "external" && callee.key === "global#JSON.parse";
    // a project function's answer counts only as text: a row it looks up by a configured id is a user's, not a setting
    if (!parses && (callee?.kind !== "project" || !answersText(call))) return false;
    const [first, ...rest] = call.arguments;
    if (parses) return generatedExpression(first!, hops);
    return call.arguments.some((a) => generatedExpression(a, hops)) && [first!, ...rest].every((a) => generatedOrConstant(a, hops));
  }

  /** Whether the checker types the call's result as text (`string`, maybe `null` or `undefined`, awaited or not). */
  function answersText(call: ts.CallExpression): boolean {
    const checker = resolver.checker();
    let type = checker.getTypeAtLocation(call);
    type = checker.getAwaitedType(type) ?? type;
    const parts = type.isUnion() ? type.types : [type];
    const present = parts.filter((t) => (t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null)) === 0);
    return present.length > 0 && present.every((t) => (t.flags & ts.TypeFlags.StringLike) !== 0);
  }

  function generatedOrConstant(expression: ts.Expression, hops: number): boolean {
    return isConstantLiteral(expression) || generatedExpression(expression, hops);
  }

  /**
   * A group of settings written as a literal: tianji's `auth: { email: { server: process.env.EMAIL_SERVER, from:
   * process.env.EMAIL_FROM } }`, `admins: [process.env.ADMIN_EMAIL]`. Read whole (`env.auth.email`, spread into a mail
   * provider's options), it holds the operator's settings and constants, nobody's address: generated if some part is
   * and every part is generated or constant. A spread, a shorthand member or a computed key is not followed: such a
   * literal is not known to be settings.
   */
  function builtOfGenerated(literal: ts.ObjectLiteralExpression | ts.ArrayLiteralExpression, hops: number): boolean {
    const parts = literalParts(literal);
    if (parts === undefined) return false;
    // one pass: asking "some generated" and then "every generated or constant" walked nested literals twice per level
    let generated = false;
    for (const part of parts) {
      if (isConstantLiteral(part)) continue;
      if (!generatedExpression(part, hops)) return false;
      generated = true;
    }
    return generated;
  }

  function generatedRead(node: ts.Node, hops = 0): boolean {
    if (!anyGenerator()) return false;
    let known = readCache.get(node);
    if (known === undefined) {
      readCache.set(node, false); // a cycle through initializers is not generated
      known = computeRead(node, hops);
      readCache.set(node, known);
    }
    return known;
  }

  function computeRead(node: ts.Node, hops: number): boolean {
    if (isPropertyAccessExpression(node) || isElementAccessExpression(node)) {
      // `faker.phone`: a member of the generator itself
      const object = resolver.ofExpression(node.expression);
      if (object?.kind === "external" && coversKey(object.key)) return true;
      // `credentials.client_email` with `const credentials = JSON.parse(readSecret(process.env.KEY))`: a setting's member
      const holder = skipOuterExpressions(node.expression);
      if (isIdentifier(holder) && hops < MAX_HOPS && initializedGenerated(resolver.checker().getSymbolAtLocation(holder), hops + 1)) return true;
      const name = isPropertyAccessExpression(node) ? node.name : node.argumentExpression;
      return initializedGenerated(resolver.checker().getSymbolAtLocation(name), hops);
    }
    if (isIdentifier(node)) return initializedGenerated(resolver.checker().getSymbolAtLocation(node), hops);
    if (isVariableDeclaration(node) || isPropertyDeclaration(node)) {
      return node.initializer !== undefined && generatedExpression(node.initializer, hops);
    }
    return false;
  }

  /** A variable, property or object-literal member whose (only) initializer is generated. */
  function initializedGenerated(symbol: ts.Symbol | undefined, hops: number): boolean {
    const declarations = symbol?.declarations;
    if (declarations === undefined || declarations.length !== 1) return false;
    const declaration = declarations[0]!;
    if (isShorthandPropertyAssignment(declaration)) {
      const value = resolver.checker().getShorthandAssignmentValueSymbol(declaration);
      return hops < MAX_HOPS && initializedGenerated(value, hops + 1);
    }
    if (isVariableDeclaration(declaration) || isPropertyDeclaration(declaration) || isPropertyAssignment(declaration)) {
      // a `let` written elsewhere may hold anything later: only a const's or a property's initializer decides
      if (isVariableDeclaration(declaration) && !(ts.getCombinedNodeFlags(declaration) & ts.NodeFlags.Const)) return false;
      return declaration.initializer !== undefined && generatedExpression(declaration.initializer, hops);
    }
    return false;
  }

  return { coversKey, generatedRead: (node) => generatedRead(node) };
}

/** The values an object or array literal is written with, or undefined when one is not written there (a spread, …). */
function literalParts(literal: ts.ObjectLiteralExpression | ts.ArrayLiteralExpression): readonly ts.Expression[] | undefined {
  if (isArrayLiteralExpression(literal)) {
    return literal.elements.some((element) => element.kind === Kind.SpreadElement || element.kind === Kind.OmittedExpression) ? undefined : literal.elements;
  }
  const parts: ts.Expression[] = [];
  for (const property of literal.properties) {
    if (!isPropertyAssignment(property) || isComputedPropertyName(property.name)) return undefined;
    parts.push(property.initializer);
  }
  return parts;
}

/** A value written in the code: a string, number, boolean or `null`, or an object or array literal of such only. */
function isConstantLiteral(expression: ts.Expression): boolean {
  const node = skipOuterExpressions(expression);
  if (isStringLiteralLike(node) || isNumericLiteral(node)) return true;
  if (node.kind === Kind.TrueKeyword || node.kind === Kind.FalseKeyword || node.kind === Kind.NullKeyword) return true;
  if (isPrefixUnaryExpression(node) && node.operator === Kind.MinusToken) return isNumericLiteral(node.operand);
  if (isObjectLiteralExpression(node) || isArrayLiteralExpression(node)) return literalParts(node)?.every(isConstantLiteral) === true;
  return false;
}
