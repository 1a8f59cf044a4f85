import { ts } from "ts-morph";
import { Kind, forEachChild, isCallExpression, isConstructorDeclaration, isIdentifier, isPropertyAccessExpression, isPropertyDeclaration, isTypeLiteralNode, isTypeReferenceNode } from "../compiler-direct.js";
import type { DataClassSpec } from "../config/policy.js";
import type { DataClassMatcher } from "./data-classes.js";
import { memberNameOf } from "./project-names.js";
import { propertyNameText } from "./provenance.js";

/** What one syntactic pass over the project's declarations says about member names (see memberIndex). */
export interface MemberIndex {
  /** Names whose declaration could classify a read by type, tag or restricted fields inside it. */
  readonly restricted: ReadonlySet<string>;
  /**
   * Names that some declaration annotates as exactly `boolean` (a property, parameter, variable, or a method's return
   * type: whatever the checker could answer with). A name outside this set cannot get the `boolean` hint
   * (`phoneVerified: boolean` is a flag), so a read of it is classified by its name alone, without the checker.
   */
  readonly flags: ReadonlySet<string>;
  /**
   * Whether `flags` settles the hint: not when a mapped type renames keys (`[K in keyof T as \`x${K}\`]`, a member's
   * declaration then carries another name than the member) or a `boolean` declaration's name is computed
   * (`[KEY]: boolean`). Then the checker is asked, as before.
   */
  readonly flagsComplete: boolean;
  /**
   * Every member name the project itself declares (project-names.ts): a member read whose name is not among them
   * cannot resolve to a project declaration, so the resolver skips the checker for it.
   */
  readonly declared: ReadonlySet<string>;
}

/**
 * A cheap filter in front of the checker: the member names whose declaration could classify a read by its declared
 * type, a JSDoc tag or restricted fields inside it. Asking the checker for the declaration of every property read
 * (`order.total`) costs a type check of the object expression; a read whose member name is not in this set cannot be
 * classified that way, so it never asks.
 *
 * One syntactic pass over the project's own declarations: type aliases, interfaces, classes and type literals. A type
 * is *interesting* when it is a data-class type, an alias of an interesting type, or an object type with a member that
 * is restricted (by name, tag or interesting type). Names are compared as written (the last segment of `ns.Type`), so
 * the filter may let through a little more than the checker would confirm, never less.
 *
 * The same pass collects the names declared `boolean` and every declared member name (each walk over a 50k-line
 * project costs about 0.1 s, so the model's syntactic questions share one).
 */
export function memberIndex(
  files: readonly ts.SourceFile[],
  specs: readonly DataClassSpec[],
  matcher: DataClassMatcher,
  /**
   * What else can classify a member: JSDoc tags whose argument names a class (`@restricted device-id`) and validator
   * names (a decorator `@IsEmail()` on it; its provenance is checked only when a read asks).
   */
  hints: { classTags?: readonly string[]; validatorNames?: ReadonlySet<string> } = {},
): MemberIndex {
  const tags = new Set([...specs.flatMap((s) => s.tags), ...(hints.classTags ?? [])].map((t) => t.replace(/^@/, "").toLowerCase()));
  const validatorNames = hints.validatorNames ?? new Set<string>();
  const interesting = new Set(specs.flatMap((s) => s.types));
  const aliases = new Map<string, string[]>(); // alias name → type names its right-hand side mentions
  const objects = new Map<string, ts.Node[]>(); // interface/class/object alias name → members
  const members: ts.Node[] = [];
  const flags = new Set<string>();
  const declaredNames = new Set<string>();
  let flagsComplete = true;

  const pending: ts.Node[] = [];
  // one callback for the whole walk, not a closure per node
  const enqueue = (child: ts.Node): void => {
    pending.push(child);
  };
  for (const file of files) {
    pending.push(file);
    while (pending.length > 0) {
      const node = pending.pop()!;
      // one switch per node: most nodes (expressions, identifiers, keywords) are none of these
      switch (node.kind) {
        case Kind.VariableDeclaration:
        case Kind.Parameter:
        case Kind.PropertySignature:
        case Kind.PropertyDeclaration:
        case Kind.NamedTupleMember:
        case Kind.TypeAliasDeclaration:
        case Kind.FunctionDeclaration:
        case Kind.FunctionExpression:
        case Kind.MethodSignature:
        case Kind.MethodDeclaration:
        case Kind.GetAccessor:
        case Kind.SetAccessor: {
          // the node kinds that have both a name and a declared `type` (TypeScript's own node interfaces)
          const declared = node as ts.Node & { type?: ts.Node; name?: ts.Node };
          if (declared.type?.kind === ts.SyntaxKind.BooleanKeyword && declared.name !== undefined) {
            const name = propertyNameText(declared.name);
            if (name !== undefined) flags.add(name);
            else flagsComplete = false;
          }
          break;
        }
        case Kind.MappedType:
          if ((node as ts.MappedTypeNode).nameType !== undefined) flagsComplete = false;
          break;
      }
      const memberName = memberNameOf(node);
      if (memberName !== undefined) declaredNames.add(memberName);
      switch (node.kind) {
        case Kind.TypeAliasDeclaration: {
          const alias = node as ts.TypeAliasDeclaration;
          if (isTypeLiteralNode(alias.type)) push(objects, alias.name.text, alias.type.members);
          else aliases.set(alias.name.text, referencedNames(alias.type));
          break;
        }
        case Kind.InterfaceDeclaration:
          push(objects, (node as ts.InterfaceDeclaration).name.text, (node as ts.InterfaceDeclaration).members);
          break;
        case Kind.ClassDeclaration:
        case Kind.ClassExpression: {
          const cls = node as ts.ClassLikeDeclaration;
          if (cls.name !== undefined) push(objects, cls.name.text, classMembers(cls));
          break;
        }
        case Kind.PropertySignature:
        case Kind.PropertyDeclaration:
          members.push(node);
          break;
        case Kind.Parameter:
          if (ts.getModifiers(node as ts.ParameterDeclaration)?.length) members.push(node);
          break;
      }
      forEachChild(node, enqueue);
    }
  }

  // The fixpoint asks about the same members every round; what does not depend on the interesting types (the
  // member's name, tags and decorators) and the names its type mentions are worked out once per member.
  const restrictedOwn = new Map<ts.Node, boolean>();
  const mentioned = new Map<ts.TypeNode, string[]>();

  // Grow the interesting types to a fixpoint: aliases of them, and object types with a restricted member. Each round
  // asks the aliases, then the object types, in the order the pass met them, each seeing what the earlier ones of the
  // round added. Whether one answers yes changes only when a type name it mentions (through its members' types, nested type
  // literals included) has become interesting since it was last asked: until then it is not asked again, and would
  // answer no again. The same types are added in the same rounds as asking every one every round (medusa: 1,921
  // object types and 701 aliases over five rounds).
  const questions: TypeQuestion[] = [];
  const askAgain = new Map<string, TypeQuestion[]>(); // type name → the questions whose answer it can change
  const ask = (name: string, answer: () => boolean, mentions: Iterable<string>): void => {
    const question = { name, answer, stale: true };
    questions.push(question);
    for (const mentioned of mentions) {
      const waiting = askAgain.get(mentioned);
      if (waiting === undefined) askAgain.set(mentioned, [question]);
      else if (waiting[waiting.length - 1] !== question) waiting.push(question);
    }
  };
  for (const [name, mentions] of aliases) ask(name, () => mentions.some((m) => interesting.has(m)), mentions);
  for (const [name, list] of objects) ask(name, () => list.some(isRestrictedMember), list.flatMap(mentionedBelow));
  for (let changed = true, rounds = 0; changed && rounds < 8; rounds++) {
    changed = false;
    for (const question of questions) {
      if (!question.stale || interesting.has(question.name)) continue;
      question.stale = false;
      if (!question.answer()) continue;
      interesting.add(question.name);
      for (const waiting of askAgain.get(question.name) ?? []) waiting.stale = true;
      changed = true;
    }
  }

  const names = new Set<string>();
  for (const member of members) {
    const name = memberName(member);
    if (name !== undefined && (hasInterestingType(member) || hasTag(member) || hasValidator(member))) names.add(name);
  }
  return { restricted: names, flags, flagsComplete, declared: declaredNames };

  function isRestrictedMember(member: ts.Node): boolean {
    const name = memberName(member);
    if (name === undefined) return false;
    let own = restrictedOwn.get(member);
    if (own === undefined) restrictedOwn.set(member, (own = hasTag(member) || hasValidator(member) || matcher.byName(name).length > 0));
    return own || hasInterestingType(member);
  }

  function hasValidator(member: ts.Node): boolean {
    if (validatorNames.size === 0 || !ts.canHaveDecorators(member)) return false;
    return (ts.getDecorators(member) ?? []).some((d) => {
      const call = d.expression;
      if (!isCallExpression(call)) return false;
      const callee = call.expression;
      const name = isIdentifier(callee) ? callee.text : isPropertyAccessExpression(callee) ? callee.name.text : undefined;
      return name !== undefined && validatorNames.has(name);
    });
  }

  function hasInterestingType(member: ts.Node): boolean {
    const type = (member as { type?: ts.TypeNode }).type;
    if (type === undefined) return false;
    if (isTypeLiteralNode(type)) return type.members.some(isRestrictedMember);
    return namesIn(type).some((n) => interesting.has(n));
  }

  /** The type names whose becoming interesting can make isRestrictedMember(member) true (a superset is harmless). */
  function mentionedBelow(member: ts.Node): string[] {
    const type = (member as { type?: ts.TypeNode }).type;
    if (type === undefined) return [];
    return isTypeLiteralNode(type) ? type.members.flatMap(mentionedBelow) : namesIn(type);
  }

  function namesIn(type: ts.TypeNode): string[] {
    let names = mentioned.get(type);
    if (names === undefined) mentioned.set(type, (names = referencedNames(type)));
    return names;
  }

  function hasTag(member: ts.Node): boolean {
    return tags.size > 0 && ts.getJSDocTags(member).some((t) => tags.has(t.tagName.text.toLowerCase()));
  }
}

/**
 * A member's name as written, when it has one: index, call and construct signatures (`[key: string]: number`,
 * `(x: string): void`) have none, and a computed name that is not a literal has none we can read.
 */
function memberName(member: ts.Node): string | undefined {
  const name = (member as { name?: ts.Node }).name;
  return name === undefined ? undefined : propertyNameText(name);
}

/** An alias or object type of the fixpoint: whether it is interesting, and whether that may have changed since asked. */
interface TypeQuestion {
  readonly name: string;
  readonly answer: () => boolean;
  stale: boolean;
}

function push(map: Map<string, ts.Node[]>, name: string, list: readonly ts.Node[]): void {
  const existing = map.get(name);
  if (existing) existing.push(...list);
  else map.set(name, [...list]);
}

function classMembers(declaration: ts.ClassLikeDeclaration): ts.Node[] {
  const members: ts.Node[] = [];
  for (const member of declaration.members) {
    if (isPropertyDeclaration(member)) members.push(member);
    if (isConstructorDeclaration(member)) members.push(...member.parameters.filter((p) => ts.getModifiers(p)?.length));
  }
  return members;
}

/** The type names a type node mentions (`PhoneNumber | undefined`, `Contact[]`, `Array<E164>`, `ns.Type`). */
function referencedNames(type: ts.TypeNode): string[] {
  const names: string[] = [];
  const pending: ts.Node[] = [type];
  while (pending.length > 0) {
    const node = pending.pop()!;
    if (isTypeReferenceNode(node)) {
      names.push(isIdentifier(node.typeName) ? node.typeName.text : node.typeName.right.text);
    }
    if (isTypeLiteralNode(node)) continue; // members are looked at by the caller
    forEachChild(node, (child) => {
      pending.push(child);
    });
  }
  return names;
}
