import type { DataClassSpec } from "../config/policy.js";
import type { DataClassMatcher } from "./data-classes.js";
import type { FileMemberFacts, MemberFact } from "./member-facts.js";

/** What one syntactic pass over the project's declarations says about member names (see memberIndex). */
export interface MemberIndex {
  /** Names whose declaration could classify a read by type, tag or restricted fields inside it. */
  readonly restricted: ReadonlySet<string>;
  /**
   * Names whose declaration may say they are not their datum: annotated exactly `boolean` (a property, parameter,
   * variable, or a method's return type: whatever the checker could answer with; `phoneVerified: boolean` is a flag),
   * a class field without an annotation initialised with `new` (`readonly emails = new Emails(this)`: a part the
   * object constructs, sources.ts), or a member declared as a function (`Controllers.confirmEmail = async (req, res) =>
   * …`: code, when read as a value). A read of a name outside this set is classified by its name alone, without the
   * checker.
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
  /**
   * Names of members declared inside a group of settings with an object, reference, union or mapped type
   * (member-facts.ts): a read of such a name, or through one, asks for the member's declaration, which may say the
   * read is a sub-group configuring how a datum is handled or a field-name mapping (sources.ts). A read of a name
   * outside this set is not asked.
   */
  readonly settingsParts: ReadonlySet<string>;
}

/**
 * A cheap filter in front of the checker: the member names whose declaration could classify a read by its declared
 * type, a JSDoc tag or restricted fields inside it. Asking the checker for the declaration of every property read
 * (`order.total`) costs a type check of the object expression; a read whose member name is not in this set cannot be
 * classified that way, so it never asks.
 *
 * Built from one syntactic pass over the project's own declarations (member-facts.ts: type aliases, interfaces,
 * classes and type literals, file by file), `files` in program order. A type is *interesting* when it is a data-class
 * type, an alias of an interesting type, or an object type with a member that is restricted (by name, tag or
 * interesting type). Names are compared as written (the last segment of `ns.Type`), so the filter may let through a
 * little more than the checker would confirm, never less.
 *
 * The same pass collects the names declared `boolean`, the parts of groups of settings and every declared member name (each walk over a 50k-line
 * project costs about 0.1 s, so the model's syntactic questions share one).
 */
export function memberIndex(files: readonly FileMemberFacts[], specs: readonly DataClassSpec[], matcher: DataClassMatcher): MemberIndex {
  const interesting = new Set(specs.flatMap((s) => s.types));
  // the files combined as one walk over all of them would: a later alias of a name keeps the first one's place (and
  // says what the last one mentions), object types of one name are one list of members
  const aliases = new Map<string, readonly string[]>(); // alias name → type names its right-hand side mentions
  const objects = new Map<string, MemberFact[]>(); // interface/class/object alias name → members
  const flags = new Set<string>();
  const declaredNames = new Set<string>();
  const settingsParts = new Set<string>();
  let flagsComplete = true;
  for (const file of files) {
    for (const name of file.flags) flags.add(name);
    for (const name of file.declared) declaredNames.add(name);
    for (const name of file.settingsParts) settingsParts.add(name);
    if (!file.flagsComplete) flagsComplete = false;
    for (const type of file.types) {
      if ("alias" in type) aliases.set(type.alias, type.mentions);
      else {
        const existing = objects.get(type.object);
        if (existing) existing.push(...type.members);
        else objects.set(type.object, [...type.members]);
      }
    }
  }

  // The fixpoint asks about the same members every round; what does not depend on the interesting types (the
  // member's name, tags and decorators) is worked out once per member.
  const restrictedOwn = new Map<MemberFact, boolean>();

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
  for (const file of files) {
    for (const member of file.counted) {
      if (member.name !== undefined && (hasInterestingType(member) || member.marked)) names.add(member.name);
    }
  }
  return { restricted: names, flags, flagsComplete, declared: declaredNames, settingsParts };

  function isRestrictedMember(member: MemberFact): boolean {
    if (member.name === undefined) return false;
    let own = restrictedOwn.get(member);
    if (own === undefined) restrictedOwn.set(member, (own = member.marked || matcher.byName(member.name).length > 0));
    return own || hasInterestingType(member);
  }

  function hasInterestingType(member: MemberFact): boolean {
    if (member.literal !== undefined) return member.literal.some(isRestrictedMember);
    return member.mentions !== undefined && member.mentions.some((n) => interesting.has(n));
  }
}

/** The type names whose becoming interesting can make isRestrictedMember(member) true (a superset is harmless). */
function mentionedBelow(member: MemberFact): readonly string[] {
  return member.literal !== undefined ? member.literal.flatMap(mentionedBelow) : (member.mentions ?? []);
}

/** An alias or object type of the fixpoint: whether it is interesting, and whether that may have changed since asked. */
interface TypeQuestion {
  readonly name: string;
  readonly answer: () => boolean;
  stale: boolean;
}

