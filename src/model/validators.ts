import { ts } from "ts-morph";
import { isCallExpression, isIdentifier, isObjectLiteralExpression, isParameter, isPropertyAccessExpression, isPropertyAssignment, isPropertyDeclaration, isShorthandPropertyAssignment, isTypeQueryNode, isTypeReferenceNode, isVariableDeclaration } from "../compiler-direct.js";
import type { ValidatorRow } from "../config/policy.js";
import type { SourceHit } from "../vocabulary/question.js";
import { isProjectSourceFile, skipOuterExpressions, symbolThroughImports } from "../workspace/symbols.js";
import { projectTypeAlias } from "./own-declarations.js";
import { namesOperatorsMachineOrPlaceholder, type DataClassMatcher } from "./data-classes.js";
import { answeredPerName } from "./name-answers.js";
import { shapeDeclares } from "./shape-siblings.js";
import { packageOfKey } from "./packages.js";
import { propertyNameText, type ProvenanceResolver } from "./provenance.js";

/**
 * Data classes inferred from validation, whatever a field is called: a property decorated with a validator
 * (class-validator `@IsEmail() contact: string`) and a schema field built with one (zod
 * `z.object({ contact: z.string().email() })`), whose `schema.parse(…)` result holds the class at that field. The
 * table is data (`validators:` in a pack); a validator is recognised by its call's provenance, never by its name alone,
 * so a project's own `IsEmail` or `email()` decides nothing.
 */
export interface ValidatorIndex {
  /** Every validator name: a cheap syntactic filter (restricted-members.ts) before any provenance is resolved. */
  readonly names: ReadonlySet<string>;
  /** The classes a property or parameter's validator decorators prove it holds. */
  decoratorHits(declaration: ts.Node): readonly SourceHit[];
  /**
   * For a schema's parse call (`Schema.parse(body)`, key `zod#z.object().parse`): where its result holds the parsed
   * input (`safeParse`: at `data`) and the validated fields, at their paths.
   */
  parsedHits(call: ts.CallExpression | ts.NewExpression, key: string): { at: readonly string[]; hits: readonly SourceHit[] } | undefined;
  /** A type derived from a schema (`z.infer<typeof Invite>`, `yup.InferType<typeof S>`): the schema's validated fields. */
  derivedTypeHits(type: ts.TypeNode): readonly SourceHit[];
  /**
   * Whether an expression builds a schema of a validation library (`z.string().email()`, `z.object({ … })`): its call
   * chain starts at a validator package and parses nothing. A schema describes data; it holds none.
   */
  isSchema(expression: ts.Expression): boolean;
}

/** How deep nested object schemas are followed (`z.object({ contact: z.object({ email }) })`). */
const MAX_SCHEMA_DEPTH = 3;
/** How many steps one schema's resolution may take (identifiers, chained calls, merged schemas). */
const MAX_SCHEMA_STEPS = 64;

interface Validator {
  dataClass: string;
  package: string;
  name: string;
}

/** A field of a schema that holds a class: validated with one of its validators, or a sibling name (an envelope's `to`). */
interface Field {
  path: string[];
  dataClass: string;
  /** Why, said of the field: `validated with \`.email()\` of zod`. */
  why: string;
}

const NONE: readonly SourceHit[] = [];

export function compileValidators(rows: readonly ValidatorRow[], resolver: ProvenanceResolver, siblings?: Pick<DataClassMatcher, "bySiblings">): ValidatorIndex {
  const byPackage = new Map<string, Map<string, Validator>>();
  const parsedBy = new Map<string, Map<string, string[]>>();
  const names = new Set<string>();
  for (const row of rows) {
    const validators = byPackage.get(row.package) ?? new Map<string, Validator>();
    byPackage.set(row.package, validators);
    for (const [dataClass, list] of Object.entries(row.classes)) {
      for (const name of list) {
        validators.set(name, { dataClass, package: row.package, name });
        names.add(name);
      }
    }
    if (row.parsed) parsedBy.set(row.package, new Map([...(parsedBy.get(row.package) ?? []), ...Object.entries(row.parsed)]));
  }
  const shapeCache = new Map<ts.Node, readonly Field[]>();
  const machineOrPlaceholder = answeredPerName(namesOperatorsMachineOrPlaceholder);

  /** The validator a call is, by its provenance: `zod#z.string().email` → zod's `email`. */
  function validatorOf(call: ts.CallExpression): Validator | undefined {
    const callee = skipOuterExpressions(call.expression);
    const name = isPropertyAccessExpression(callee) ? callee.name.text : isIdentifier(callee) ? callee.text : undefined;
    if (name === undefined || !names.has(name)) return undefined;
    const value = resolver.ofExpression(callee);
    if (value?.kind !== "external") return undefined;
    const pkg = packageOfKey(value.key);
    return pkg === undefined ? undefined : byPackage.get(pkg)?.get(name);
  }

  function isSchema(expression: ts.Expression): boolean {
    if (byPackage.size === 0) return false;
    const members: string[] = [];
    let node = skipOuterExpressions(expression);
    for (let steps = 0; steps < MAX_SCHEMA_STEPS; steps++) {
      if (isCallExpression(node)) node = skipOuterExpressions(node.expression);
      else if (isPropertyAccessExpression(node)) {
        members.push(node.name.text);
        node = skipOuterExpressions(node.expression);
      } else break;
    }
    if (!isIdentifier(node) || members.length === 0) return false;
    const value = resolver.ofExpression(node);
    const pkg = value?.kind === "external" ? packageOfKey(value.key) : undefined;
    if (pkg === undefined || !byPackage.has(pkg)) return false;
    // `z.string().email().parse(input)` is the parsed value, not the schema
    const parse = parsedBy.get(pkg);
    return parse === undefined || !members.some((member) => parse.has(member));
  }

  function decoratorHits(declaration: ts.Node): readonly SourceHit[] {
    if (names.size === 0 || !(isPropertyDeclaration(declaration) || isParameter(declaration))) return NONE;
    const name = propertyNameText(declaration.name);
    if (name !== undefined && machineOrPlaceholder(name)) return NONE;
    const hits: SourceHit[] = [];
    for (const decorator of ts.getDecorators(declaration) ?? []) {
      const expression = skipOuterExpressions(decorator.expression);
      if (!isCallExpression(expression)) continue;
      const validator = validatorOf(expression);
      if (validator !== undefined) hits.push({ dataClass: validator.dataClass, reason: `validated with @${validator.name}()` });
    }
    return hits.length > 0 ? hits : NONE;
  }

  /** The validators a schema expression applies to the value itself: every validator call of its chain. */
  function ownValidators(expression: ts.Expression): Validator[] {
    const found: Validator[] = [];
    let node: ts.Expression | undefined = skipOuterExpressions(expression);
    for (let steps = 0; node !== undefined && steps < MAX_SCHEMA_STEPS; steps++) {
      if (!isCallExpression(node)) break;
      const validator = validatorOf(node);
      if (validator !== undefined) found.push(validator);
      // valibot-style pipes and zod's `z.string().pipe(z.email())` hold validators as call arguments
      for (const argument of node.arguments) {
        const inner = skipOuterExpressions(argument);
        if (isCallExpression(inner)) {
          const v = validatorOf(inner);
          if (v !== undefined) found.push(v);
        }
      }
      const callee: ts.Expression = skipOuterExpressions(node.expression);
      node = isPropertyAccessExpression(callee) ? skipOuterExpressions(callee.expression) : undefined;
    }
    return found;
  }

  /** The validated fields of an object schema: the object literals its chain is built from, merged schemas too. */
  function fieldsOf(expression: ts.Expression, depth: number, budget: { steps: number }): readonly Field[] {
    const node = skipOuterExpressions(expression);
    const cached = shapeCache.get(node);
    if (cached !== undefined) return cached;
    shapeCache.set(node, []); // a schema that refers to itself adds nothing the second time round
    const fields: Field[] = [];
    if (budget.steps++ < MAX_SCHEMA_STEPS) {
      if (isIdentifier(node)) {
        const initializer = constInitializer(node);
        if (initializer !== undefined) fields.push(...fieldsOf(initializer, depth, budget));
      } else if (isCallExpression(node)) {
        for (const argument of node.arguments) {
          const inner = skipOuterExpressions(argument);
          if (isObjectLiteralExpression(inner)) fields.push(...literalFields(inner, depth, budget));
          else if (isIdentifier(inner)) fields.push(...fieldsOf(inner, depth, budget)); // `.merge(Other)`, `.extend(Other)`
        }
        const callee = skipOuterExpressions(node.expression);
        if (isPropertyAccessExpression(callee)) fields.push(...fieldsOf(callee.expression, depth, budget));
      }
    }
    shapeCache.set(node, fields);
    return fields;
  }

  function literalFields(literal: ts.ObjectLiteralExpression, depth: number, budget: { steps: number }): Field[] {
    const fields: Field[] = [];
    for (const property of literal.properties) {
      if (!isPropertyAssignment(property) && !isShorthandPropertyAssignment(property)) continue;
      const name = propertyNameText(property.name);
      // `backendBindIp: z.string().ip()`, `trustedProxies: z.array(z.string().ip())`: the validator says the field
      // holds an address, its name says it is the operator's own
      if (name === undefined || machineOrPlaceholder(name)) continue;
      const value = isPropertyAssignment(property) ? property.initializer : property.name;
      for (const validator of ownValidators(value)) fields.push({ path: [name], dataClass: validator.dataClass, why: `validated with \`.${validator.name}()\` of ${validator.package}` });
      // `z.object({ from: z.string(), to: z.array(z.string()), subject: … })`: a vendor's mail event says who it went to
      for (const hit of siblings?.bySiblings(name, (sibling) => shapeDeclares(property, sibling)) ?? NONE) fields.push({ path: [name], dataClass: hit.dataClass, why: hit.reason });
      if (depth + 1 < MAX_SCHEMA_DEPTH) {
        for (const inner of fieldsOf(value, depth + 1, budget)) fields.push({ ...inner, path: [name, ...inner.path] });
      }
    }
    return fields;
  }

  /** A `const` in the project that holds the schema (`export const Signup = z.object(…)`), through imports. */
  function constInitializer(identifier: ts.Identifier): ts.Expression | undefined {
    const declaration = symbolThroughImports(resolver.checker(), identifier)?.valueDeclaration;
    if (declaration === undefined || !isVariableDeclaration(declaration) || declaration.initializer === undefined) return undefined;
    return isProjectSourceFile(declaration.getSourceFile()) ? declaration.initializer : undefined;
  }

  function parsedHits(call: ts.CallExpression | ts.NewExpression, key: string): { at: readonly string[]; hits: readonly SourceHit[] } | undefined {
    if (!isCallExpression(call)) return undefined;
    const pkg = packageOfKey(key);
    const methods = pkg === undefined ? undefined : parsedBy.get(pkg);
    const callee = skipOuterExpressions(call.expression);
    if (methods === undefined || !isPropertyAccessExpression(callee)) return undefined;
    const at = methods.get(callee.name.text);
    if (at === undefined) return undefined;
    return { at, hits: schemaHits(callee.expression, at) };
  }

  /** The validated fields of the schema `expression` evaluates to, as hits at `at` + the field's path. */
  function schemaHits(expression: ts.Expression, at: readonly string[]): SourceHit[] {
    const hits: SourceHit[] = [];
    const seen = new Set<string>();
    for (const field of fieldsOf(expression, 0, { steps: 0 })) {
      const id = `${field.dataClass}\u0000${field.path.join(".")}`;
      if (seen.has(id)) continue;
      seen.add(id);
      hits.push({ dataClass: field.dataClass, reason: `${field.why} (field \`${field.path.join(".")}\`)`, path: [...at, ...field.path] });
    }
    return hits;
  }

  function derivedTypeHits(type: ts.TypeNode, aliasSteps = 0): readonly SourceHit[] {
    if (parsedBy.size === 0 || !isTypeReferenceNode(type)) return NONE;
    if (type.typeArguments === undefined) {
      // `type InviteInput = z.infer<typeof Invite>`: the alias's right-hand side, in the project
      const aliased = aliasSteps < 4 ? projectTypeAlias(resolver.checker(), type.typeName) : undefined;
      return aliased !== undefined ? derivedTypeHits(aliased, aliasSteps + 1) : NONE;
    }
    const hits: SourceHit[] = [];
    for (const argument of type.typeArguments) {
      if (isTypeQueryNode(argument) && isIdentifier(argument.exprName)) hits.push(...schemaHits(argument.exprName, []));
    }
    return hits.length > 0 ? hits : NONE;
  }

  return { names, decoratorHits, parsedHits, derivedTypeHits, isSchema };
}
