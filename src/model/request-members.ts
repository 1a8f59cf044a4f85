import { ts } from "ts-morph";
import { Kind, isClassLike, isIdentifier, isInterfaceDeclaration, isPropertyAccessExpression, isPropertyDeclaration, isPropertySignature } from "../compiler-direct.js";
import type { LibraryModel } from "../config/policy.js";
import type { RequestMember } from "../vocabulary/question.js";
import { isProjectSourceFile, skipOuterExpressions } from "../workspace/symbols.js";
import { defaultLabel, normalizeCallKey } from "./call-path.js";
import type { LibraryIndex } from "./library-index.js";
import type { ProjectType } from "./class-hierarchy.js";
import { propertyNameText, type ProvenanceResolver } from "./provenance.js";

/** How many `extends` levels lead from a project request type to the framework's (a cycle is a type error). */
const MAX_BASES = 8;

/**
 * Members the project adds to a framework's request object: a middleware stores something on the request
 * (`req.audit = extractAuditInfo(req)`) and the handlers that run after it read it off their own `req`. The type says
 * the member is there — an interface that extends the framework's request (`interface IAuthRequest extends Request {
 * audit: IAuditUser }`), or the request type augmented by declaration merging — but nothing in a handler's body says
 * what was put there. requestMemberAt names the member by the framework's request type and the member's name
 * (`express#Request.audit`), the same wherever the request is declared, so the engine can keep what every write
 * stored there for every read (a flow-insensitive store, like a module binding's).
 *
 * A request type is a value a model's `callbacks` rows hand to a callback and whose members its `sources` rows
 * classify: the per-request objects of express, koa, fastify and node:http. Only members the project declares count:
 * the framework's own (`req.ip`, `req.headers`) are the model's sources, and a member the project never declares is
 * nothing this names.
 */
export function createRequestMembers(
  models: readonly LibraryModel[],
  index: LibraryIndex,
  resolver: ProvenanceResolver,
  declaredMemberNames: () => ReadonlySet<string>,
): (receiver: ts.Expression, member: string) => RequestMember | undefined {
  const requestTypes = new Set<string>();
  for (const model of models) {
    for (const row of model.callbacks ?? []) {
      for (const parameter of row.parameters) {
        const key = index.alias(normalizeCallKey(parameter)) ?? normalizeCallKey(parameter);
        if (index.sourcesBelow(key).length > 0) requestTypes.add(key);
      }
    }
  }
  const cache = new Map<ts.Node, Map<string, RequestMember | null>>();
  const bases = new Map<ProjectType, (string | ProjectType)[]>();

  return (receiver, member) => {
    if (requestTypes.size === 0 || !declaredMemberNames().has(member)) return undefined;
    let byMember = cache.get(receiver);
    if (byMember === undefined) cache.set(receiver, (byMember = new Map()));
    let found = byMember.get(member);
    if (found === undefined) byMember.set(member, (found = compute(receiver, member) ?? null));
    return found ?? undefined;
  };

  function compute(receiver: ts.Expression, member: string): RequestMember | undefined {
    const node = skipOuterExpressions(receiver);
    if (!isIdentifier(node) && !isPropertyAccessExpression(node)) return undefined;
    const value = resolver.ofExpression(node);
    if (value === undefined) return undefined;
    if (value.kind === "external") {
      // `req: Request` with the member added by declaration merging: the checker finds the project's declaration
      if (!requestTypes.has(value.key) || !declaredByProject(node, member)) return undefined;
      return { key: `${value.key}.${member}`, label: defaultLabel(value.key) };
    }
    const declaration = value.declaration;
    if (!isInterfaceDeclaration(declaration) && !isClassLike(declaration)) return undefined;
    const framework = frameworkBelow(declaration, member);
    return framework !== undefined ? { key: `${framework}.${member}`, label: defaultLabel(framework) } : undefined;
  }

  /**
   * The framework request type a project interface or class extends, directly or through project types, when one of
   * the project types on the way declares `member`; else undefined.
   */
  function frameworkBelow(start: ProjectType, member: string): string | undefined {
    let framework: string | undefined;
    let declares = false;
    const seen = new Set<ProjectType>();
    let pending: ProjectType[] = [start];
    for (let level = 0; level < MAX_BASES && pending.length > 0; level++) {
      const next: ProjectType[] = [];
      for (const type of pending) {
        if (seen.has(type)) continue;
        seen.add(type);
        declares ||= declaresMember(type, member);
        for (const base of basesOf(type)) {
          if (typeof base !== "string") next.push(base);
          else framework ??= base;
        }
      }
      pending = next;
    }
    return declares ? framework : undefined;
  }

  /** The `extends` types of a project interface or class: framework request keys, or project declarations. */
  function basesOf(type: ProjectType): readonly (string | ProjectType)[] {
    let out = bases.get(type);
    if (out !== undefined) return out;
    out = [];
    for (const clause of type.heritageClauses ?? []) {
      if (clause.token !== Kind.ExtendsKeyword) continue;
      for (const heritage of clause.types) {
        const base = resolver.ofExpression(heritage.expression);
        if (base?.kind === "external" && requestTypes.has(base.key)) out.push(base.key);
        else if (base?.kind === "project" && (isInterfaceDeclaration(base.declaration) || isClassLike(base.declaration))) out.push(base.declaration);
      }
    }
    bases.set(type, out);
    return out;
  }

  function declaresMember(type: ProjectType, member: string): boolean {
    const members: readonly (ts.TypeElement | ts.ClassElement)[] = type.members;
    return members.some((m) => m.name !== undefined && propertyNameText(m.name) === member && (isPropertySignature(m) || isPropertyDeclaration(m)));
  }

  function declaredByProject(receiver: ts.Expression, member: string): boolean {
    const parent = receiver.parent;
    const name = isPropertyAccessExpression(parent) && parent.expression === receiver && parent.name.text === member ? parent.name : undefined;
    if (name === undefined) return false;
    const declarations = resolver.checker().getSymbolAtLocation(name)?.declarations ?? [];
    return declarations.some((d) => (isPropertySignature(d) || isPropertyDeclaration(d)) && isProjectSourceFile(d.getSourceFile()));
  }
}
