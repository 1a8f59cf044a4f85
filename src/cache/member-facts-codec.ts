import type { FileMemberFacts, MemberFact, TypeFact } from "../model/member-facts.js";
import { CacheFormatError } from "./graph-codec.js";

/**
 * A file's part of the member index (model/member-facts.ts) as JSON, for the analysis cache: a later run takes the
 * unchanged files' facts from the entry instead of walking every node of every file again.
 * `[flags, flagsComplete, declared, settingsParts, members, types, counted]`: members is the file's table of member facts, each
 * `[name, marked, mentions, literal]` (a type literal's members and an object type's as indexes into the table); a
 * type is `[name, mentions]` for an alias and `[name, null, members]` for an object type; counted are indexes.
 */
export type EncodedMemberFacts = [string[], boolean, string[], string[], EncodedMember[], EncodedType[], number[]];
type EncodedMember = [string | null, boolean, string[] | null, number[] | null];
type EncodedType = [string, string[]] | [string, null, number[]];

export function encodeMemberFacts(facts: FileMemberFacts): EncodedMemberFacts {
  const members: EncodedMember[] = [];
  const index = new Map<MemberFact, number>();
  const indexOf = (member: MemberFact): number => {
    let i = index.get(member);
    if (i !== undefined) return i;
    const literal = member.literal?.map(indexOf) ?? null;
    index.set(member, (i = members.length));
    members.push([member.name ?? null, member.marked, member.mentions ? [...member.mentions] : null, literal]);
    return i;
  };
  const types = facts.types.map((t): EncodedType => ("alias" in t ? [t.alias, [...t.mentions]] : [t.object, null, t.members.map(indexOf)]));
  return [[...facts.flags], facts.flagsComplete, [...facts.declared], [...facts.settingsParts], members, types, facts.counted.map(indexOf)];
}

/** The facts again; a CacheFormatError when they are not in this form (the file is then walked instead). */
export function decodeMemberFacts(encoded: EncodedMemberFacts): FileMemberFacts {
  if (!Array.isArray(encoded) || encoded.length !== 7) throw new CacheFormatError("a file's member facts do not have their seven parts");
  const [flags, flagsComplete, declared, settingsParts, members, types, counted] = encoded;
  if (!strings(flags) || typeof flagsComplete !== "boolean" || !strings(declared) || !strings(settingsParts) || !Array.isArray(members) || !Array.isArray(types) || !Array.isArray(counted)) {
    throw new CacheFormatError("a file's member facts are malformed");
  }
  // a member's literal lists members written before it (encodeMemberFacts), so one pass in order builds them all
  const built: MemberFact[] = [];
  const at = (i: unknown): MemberFact => {
    const member = typeof i === "number" ? built[i] : undefined;
    if (member === undefined) throw new CacheFormatError("a member fact refers to no earlier member");
    return member;
  };
  for (const m of members) {
    if (!Array.isArray(m) || m.length !== 4) throw new CacheFormatError("a member fact does not have its four parts");
    const [name, marked, mentions, literal] = m;
    if ((name !== null && typeof name !== "string") || typeof marked !== "boolean" || (mentions !== null && !strings(mentions)) || (literal !== null && !Array.isArray(literal))) {
      throw new CacheFormatError("a member fact is malformed");
    }
    built.push({ name: name ?? undefined, marked, mentions: mentions ?? undefined, literal: literal === null ? undefined : literal.map(at) });
  }
  const decodedTypes = types.map((t): TypeFact => {
    if (!Array.isArray(t) || typeof t[0] !== "string") throw new CacheFormatError("a type fact is malformed");
    if (t.length === 2 && strings(t[1])) return { alias: t[0], mentions: t[1] };
    if (t.length === 3 && t[1] === null && Array.isArray(t[2])) return { object: t[0], members: t[2].map(at) };
    throw new CacheFormatError("a type fact is malformed");
  });
  return { flags, flagsComplete, declared, settingsParts, types: decodedTypes, counted: counted.map(at) };
}

function strings(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === "string");
}
