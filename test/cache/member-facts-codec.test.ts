import { ts } from "ts-morph";
import { describe, expect, it } from "vitest";
import { decodeMemberFacts, encodeMemberFacts, type EncodedMemberFacts } from "../../src/cache/member-facts-codec.js";
import { CacheFormatError } from "../../src/cache/graph-codec.js";
import { fileMemberFacts, memberMarks } from "../../src/model/member-facts.js";
import { memberIndex } from "../../src/model/restricted-members.js";
import { compileDataClasses } from "../../src/model/data-classes.js";
import type { DataClassSpec } from "../../src/config/policy.js";

// A file's part of the member index, kept in a cache entry, must give the index the walk of the file gives: the same
// facts back from JSON, members shared between an object type and the index's list kept shared.
const CLASSES: DataClassSpec[] = [{ id: "phone-number", names: ["phone"], types: ["PhoneNumber"], tags: [] }];
const MARKS = memberMarks({ dataClasses: CLASSES, classTags: ["restricted"], validators: [{ package: "class-validator", classes: { "phone-number": ["IsPhoneNumber"] } }] } as never);
const TEXT = `
  type Alias = Holder | undefined;
  type Shape = { contact: { phone: string; [key: string]: unknown }; when(): Date };
  interface Holder {
    /** @restricted phone-number */
    line: string;
    alias?: Alias;
  }
  class Sender { @IsPhoneNumber() to!: string; constructor(private readonly holder: Holder, plain: string) {} flag: boolean = false }
  export const o = { inner: class Named { at: PhoneNumber } };
  type AuthOptions = { advanced?: { ipAddress?: { headers: string[] } }; user?: { fields?: Record<"name" | "line", string>; name: string } };
`;

describe("a file's member facts as the cache keeps them", () => {
  it("come back from JSON as the walk gave them, and give the same index", () => {
    const file = ts.createSourceFile("/x.ts", TEXT, ts.ScriptTarget.ESNext, true);
    const walked = fileMemberFacts(file, MARKS);
    const decoded = decodeMemberFacts(JSON.parse(JSON.stringify(encodeMemberFacts(walked))) as EncodedMemberFacts);
    expect(decoded).toEqual(walked);
    // a member an object type lists and the index counts is one fact
    const holder = decoded.types.find((t) => "object" in t && t.object === "Holder");
    expect(holder !== undefined && "members" in holder && decoded.counted.includes(holder.members[0]!)).toBe(true);
    const matcher = compileDataClasses(CLASSES);
    const index = memberIndex([decoded], CLASSES, matcher);
    expect(index).toEqual(memberIndex([walked], CLASSES, matcher));
    expect([...index.restricted].sort()).toEqual(["alias", "at", "contact", "holder", "line", "to"]);
    expect([...index.settingsParts].sort()).toEqual(["advanced", "fields", "ipAddress", "user"]);
  });

  it("refuse a member that refers to a later one, or parts out of their form", () => {
    const encoded = encodeMemberFacts(fileMemberFacts(ts.createSourceFile("/x.ts", TEXT, ts.ScriptTarget.ESNext, true), MARKS));
    const forward = structuredClone(encoded);
    forward[4][0] = ["phone", false, null, [forward[4].length]];
    expect(() => decodeMemberFacts(forward)).toThrow(CacheFormatError);
    expect(() => decodeMemberFacts([[], true, [], [], []] as unknown as EncodedMemberFacts)).toThrow(CacheFormatError);
    expect(() => decodeMemberFacts([[], "yes", [], [], [], [], []] as unknown as EncodedMemberFacts)).toThrow(CacheFormatError);
    expect(() => decodeMemberFacts([[], true, [], [1], [], [], []] as unknown as EncodedMemberFacts)).toThrow(CacheFormatError);
  });
});
