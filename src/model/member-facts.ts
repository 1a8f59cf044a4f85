import { ts } from "ts-morph";
import { Kind, forEachChild, isCallExpression, isConstructorDeclaration, isIdentifier, isPropertyAccessExpression, isPropertyDeclaration, isTypeLiteralNode, isTypeReferenceNode } from "../compiler-direct.js";
import type { Policy } from "../config/policy.js";
import { memberNameOf } from "./project-names.js";
import { propertyNameText } from "./provenance.js";
import { jsDocTags } from "./jsdoc-tags.js";
import { shapeDeclares } from "./shape-siblings.js";
import type { ScannedFile } from "../workspace/scanned-file.js";
import { skipOuterExpressions } from "../workspace/symbols.js";
import { declaredInSettingsGroup, declaresServerSetting } from "./settings-types.js";
import { declaresComponent } from "./component-types.js";

/**
 * One file's part of the member index (restricted-members.ts): what a walk of its nodes says, without the nodes. The
 * index is the fixpoint over every file's facts, combined in program order; a cached analysis keeps each file's facts
 * in its entry (src/cache/member-facts-codec.ts), so a later run walks only the files that changed.
 */
export interface FileMemberFacts {
  /**
   * Names whose declaration in the file may say they are not their datum (MemberIndex.flags): annotated exactly
   * `boolean`, a class field without an annotation initialised with `new` (a part the object constructs), or a member
   * declared as a function (a method, a property a function expression is assigned to).
   */
  readonly flags: readonly string[];
  /** False when a mapped type renames keys or a `boolean` declaration's name is computed (MemberIndex.flagsComplete). */
  readonly flagsComplete: boolean;
  /** Every member name the file declares (project-names.ts). */
  readonly declared: readonly string[];
  /**
   * Names of members declared inside a group of settings with an object, reference, union or mapped type: each may
   * be a sub-group or a field-name mapping (MemberIndex.settingsParts).
   */
  readonly settingsParts: readonly string[];
  /** The type aliases and object types (interfaces, classes, object aliases), in the order the walk met them. */
  readonly types: readonly TypeFact[];
  /** The members whose names the index may list: property declarations and signatures, parameter properties. */
  readonly counted: readonly MemberFact[];
}

/** An alias with the type names its right-hand side mentions, or an object type with its members. */
export type TypeFact = { readonly alias: string; readonly mentions: readonly string[] } | { readonly object: string; readonly members: readonly MemberFact[] };

/** A member (property, method, signature, parameter property) as the index asks about it. */
export interface MemberFact {
  /** As written; undefined for index, call and construct signatures and computed names that are no literal. */
  readonly name: string | undefined;
  /** A JSDoc tag of a data class or a validator decorator is on it (the policy's: an entry's environment holds it). */
  readonly marked: boolean;
  /** The type names its declared type mentions; undefined without a declared type or with a type literal. */
  readonly mentions: readonly string[] | undefined;
  /** The members of its declared type when that is a type literal. */
  readonly literal: readonly MemberFact[] | undefined;
}

/**
 * What of the policy marks a member: class tags (lower case, no `@`), validator decorator names, and sibling names
 * with the siblings their shape must declare (`to` → [[from, subject]]).
 */
export interface MemberMarks {
  readonly tags: ReadonlySet<string>;
  readonly validatorNames: ReadonlySet<string>;
  readonly siblingNames: ReadonlyMap<string, readonly (readonly string[])[]>;
}

export function memberMarks(policy: Pick<Policy, "dataClasses" | "classTags" | "validators">): MemberMarks {
  const siblingNames = new Map<string, (readonly string[])[]>();
  for (const spec of policy.dataClasses) {
    for (const [name, siblings] of Object.entries(spec.siblingNames ?? {})) siblingNames.set(name, [...(siblingNames.get(name) ?? []), siblings]);
  }
  return {
    siblingNames,
    tags: new Set([...policy.dataClasses.flatMap((s) => s.tags), ...policy.classTags].map((t) => t.replace(/^@/, "").toLowerCase())),
    validatorNames: new Set(policy.validators.flatMap((row) => Object.values(row.classes).flat())),
  };
}

/**
 * The file's facts, memoised per loaded file: taken from `known` (a cache entry's, for a file whose text it was
 * computed from) when it has them — the file's tree is then not read —, else worked out by walking the file.
 */
export function memberFactsMemo(marks: MemberMarks, known: (file: ScannedFile) => FileMemberFacts | undefined = () => undefined): (file: ScannedFile) => FileMemberFacts {
  const facts = new Map<ScannedFile, FileMemberFacts>();
  return (file) => {
    let f = facts.get(file);
    if (f === undefined) facts.set(file, (f = known(file) ?? fileMemberFacts(file.sourceFile, marks)));
    return f;
  };
}

/**
 * One walk over every node of the file. The types are listed in the order of the walk, which the fixpoint's rounds
 * depend on (each question sees what the earlier ones of its round added, for at most eight rounds).
 */
export function fileMemberFacts(file: ts.SourceFile, marks: MemberMarks): FileMemberFacts {
  const flags = new Set<string>();
  const declared = new Set<string>();
  const settingsParts = new Set<string>();
  const types: TypeFact[] = [];
  const counted: MemberFact[] = [];
  let flagsComplete = true;
  // a member is one fact, whether an object type lists it, a type literal holds it or the index counts it
  const facts = new Map<ts.Node, MemberFact>();
  const factOf = (member: ts.Node): MemberFact => {
    let fact = facts.get(member);
    if (fact !== undefined) return fact;
    const name = (member as { name?: ts.Node }).name;
    const type = (member as { type?: ts.TypeNode }).type;
    const literal = type !== undefined && isTypeLiteralNode(type);
    // one shape for every fact (no optional parts): the fixpoint reads them in hot loops
    fact = {
      name: name === undefined ? undefined : propertyNameText(name),
      marked: hasTag(member, marks.tags) || hasValidator(member, marks.validatorNames) || hasSiblings(member, marks.siblingNames),
      mentions: type !== undefined && !literal ? referencedNames(type) : undefined,
      literal: literal ? type.members.map(factOf) : undefined,
    };
    facts.set(member, fact);
    return fact;
  };

  const pending: ts.Node[] = [file];
  // one callback for the whole walk, not a closure per node
  const enqueue = (child: ts.Node): void => {
    pending.push(child);
  };
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
        const typed = node as ts.Node & { type?: ts.Node; name?: ts.Node };
        if (typed.type?.kind === ts.SyntaxKind.BooleanKeyword && typed.name !== undefined) {
          const name = propertyNameText(typed.name);
          if (name !== undefined) flags.add(name);
          else flagsComplete = false;
        }
        break;
      }
      case Kind.MappedType:
        if ((node as ts.MappedTypeNode).nameType !== undefined) flagsComplete = false;
        break;
    }
    // `readonly emails = new Emails(this)`: whether the class constructed is the project's own is the checker's to say
    // (sources.ts, constructsProjectObject), so the name is only marked for that question
    if (node.kind === Kind.PropertyDeclaration) {
      const field = node as ts.PropertyDeclaration;
      if (field.type === undefined && field.initializer !== undefined && skipOuterExpressions(field.initializer).kind === Kind.NewExpression) {
        const name = propertyNameText(field.name);
        if (name !== undefined) flags.add(name);
      }
    }
    // `Controllers.confirmEmail = async (req, res) => …`, `{ email() { … } }`: a member declared as a function, whose
    // reads as a value are code, not their name's datum (sources.ts asks the declaration)
    const functionMember = functionMemberName(node);
    if (functionMember !== undefined) flags.add(functionMember);
    // `email!: InitializedEmailAdapter`, `private readonly email: EmailService`: a component, not a datum (sources.ts)
    if (declaresComponent(node)) {
      const name = propertyNameText((node as ts.PropertySignature).name);
      if (name !== undefined) flags.add(name);
    }
    // `ip` beside `port` in `JellyfinSettings`, a settings class's default: the server's own setting (settings-types.ts)
    if ((node.kind === Kind.PropertySignature || node.kind === Kind.PropertyDeclaration) && declaresServerSetting(node)) {
      const name = propertyNameText((node as ts.PropertySignature).name);
      if (name !== undefined) flags.add(name);
    }
    const memberName = memberNameOf(node);
    if (memberName !== undefined) declared.add(memberName);
    switch (node.kind) {
      case Kind.TypeAliasDeclaration: {
        const alias = node as ts.TypeAliasDeclaration;
        if (isTypeLiteralNode(alias.type)) types.push({ object: alias.name.text, members: alias.type.members.map(factOf) });
        else types.push({ alias: alias.name.text, mentions: referencedNames(alias.type) });
        break;
      }
      case Kind.InterfaceDeclaration:
        types.push({ object: (node as ts.InterfaceDeclaration).name.text, members: (node as ts.InterfaceDeclaration).members.map(factOf) });
        break;
      case Kind.ClassDeclaration:
      case Kind.ClassExpression: {
        const cls = node as ts.ClassLikeDeclaration;
        if (cls.name !== undefined) types.push({ object: cls.name.text, members: classMembers(cls).map(factOf) });
        break;
      }
      case Kind.PropertySignature:
      case Kind.PropertyDeclaration: {
        counted.push(factOf(node));
        const part = settingsPartName(node as ts.PropertySignature | ts.PropertyDeclaration);
        if (part !== undefined) settingsParts.add(part);
        break;
      }
      case Kind.Parameter:
        if (ts.getModifiers(node as ts.ParameterDeclaration)?.length) counted.push(factOf(node));
        break;
    }
    forEachChild(node, enqueue);
  }
  return { flags: [...flags], flagsComplete, declared: [...declared], settingsParts: [...settingsParts], types, counted };
}

/**
 * The name of a member declared inside a group of settings whose type may make it a part of the group rather than a
 * datum (sources.ts: a sub-group, `advanced.ipAddress: { ipAddressHeaders, … }`, or a field-name mapping, `user.fields:
 * Record<keyof User, string>`): typed by an object, a type name, a union, an intersection or a mapped type. A string
 * or other keyword type never is; the declaration's own place is checked last, as it walks up the tree.
 */
function settingsPartName(member: ts.PropertySignature | ts.PropertyDeclaration): string | undefined {
  const type = member.type;
  if (type === undefined || !SETTINGS_PART_TYPES.has(type.kind) || !declaredInSettingsGroup(member)) return undefined;
  return propertyNameText(member.name);
}

const SETTINGS_PART_TYPES: ReadonlySet<ts.SyntaxKind> = new Set([Kind.TypeLiteral, Kind.TypeReference, Kind.UnionType, Kind.IntersectionType, Kind.ParenthesizedType, Kind.MappedType]);

function hasTag(member: ts.Node, tags: ReadonlySet<string>): boolean {
  return tags.size > 0 && jsDocTags(member).some((t) => tags.has(t.tagName.text.toLowerCase()));
}

/** A sibling name declared in a shape with every one of its siblings (`to` beside `from` and `subject`). */
function hasSiblings(member: ts.Node, siblingNames: MemberMarks["siblingNames"]): boolean {
  if (siblingNames.size === 0) return false;
  const name = (member as { name?: ts.Node }).name;
  const written = name === undefined ? undefined : propertyNameText(name);
  const lists = written === undefined ? undefined : siblingNames.get(written);
  return lists !== undefined && lists.some((siblings) => siblings.every((sibling) => shapeDeclares(member, sibling)));
}

function hasValidator(member: ts.Node, validatorNames: ReadonlySet<string>): boolean {
  if (validatorNames.size === 0 || !ts.canHaveDecorators(member)) return false;
  return (ts.getDecorators(member) ?? []).some((d) => {
    const call = d.expression;
    if (!isCallExpression(call)) return false;
    const callee = call.expression;
    const name = isIdentifier(callee) ? callee.text : isPropertyAccessExpression(callee) ? callee.name.text : undefined;
    return name !== undefined && validatorNames.has(name);
  });
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
  const enqueue = (child: ts.Node): void => {
    pending.push(child);
  };
  while (pending.length > 0) {
    const node = pending.pop()!;
    if (isTypeReferenceNode(node)) {
      names.push(isIdentifier(node.typeName) ? node.typeName.text : node.typeName.right.text);
    }
    if (isTypeLiteralNode(node)) continue; // members are looked at by the caller
    forEachChild(node, enqueue);
  }
  return names;
}

/** The name of a member this node declares as a function: a method, or a property a function expression is given. */
function functionMemberName(node: ts.Node): string | undefined {
  switch (node.kind) {
    case Kind.MethodDeclaration:
      return propertyNameText((node as ts.MethodDeclaration).name);
    case Kind.PropertyAssignment:
    case Kind.PropertyDeclaration: {
      const member = node as ts.PropertyAssignment | ts.PropertyDeclaration;
      return member.initializer !== undefined && isFunctionExpressionLike(member.initializer) ? propertyNameText(member.name) : undefined;
    }
    case Kind.BinaryExpression: {
      const assignment = node as ts.BinaryExpression;
      if (assignment.operatorToken.kind !== Kind.EqualsToken || !isPropertyAccessExpression(assignment.left)) return undefined;
      return isFunctionExpressionLike(assignment.right) ? assignment.left.name.text : undefined;
    }
    default:
      return undefined;
  }
}

function isFunctionExpressionLike(expression: ts.Expression): boolean {
  const inner = skipOuterExpressions(expression);
  return inner.kind === Kind.ArrowFunction || inner.kind === Kind.FunctionExpression;
}
