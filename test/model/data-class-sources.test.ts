import { ts } from "ts-morph";
import { describe, expect, it } from "vitest";
import type { DataClassSpec } from "../../src/config/policy.js";
import { compileDataClasses } from "../../src/model/data-classes.js";
import { memberIndex } from "../../src/model/restricted-members.js";
import { fileMemberFacts, memberMarks } from "../../src/model/member-facts.js";
import { ModelProject } from "./support/model-project.js";

const CLASSES: DataClassSpec[] = [
  { id: "phone-number", names: ["phone", "msisdn"], types: ["PhoneNumber"], tags: [] },
  { id: "email-address", names: ["email"], types: [], tags: ["restricted"] },
];

/** The files' parts of the member index, as the model's pass works them out. */
const factsOf = (files: ts.SourceFile[]) => files.map((f) => fileMemberFacts(f, memberMarks({ dataClasses: CLASSES, classTags: [], validators: [] })));

describe("sourcesAt: data classes", () => {
  const p = new ModelProject(
    {
      "/src/types.ts": `
        export type PhoneNumber = string & { readonly brand: "phone" };
        export type Contact = PhoneNumber;
        export interface Customer {
          id: string;
          displayName: string;
          reachAt: Contact;
          /** @restricted */
          login: string;
          address: { city: string; msisdn: string };
          phoneVerified: boolean;
        }
      `,
      "/src/uses.ts": `
        import type { Customer, Contact } from "./types";
        export function handle(customer: Customer, primary: Contact, phoneVerified: boolean, msisdn: string) {
          return [customer.reachAt, customer.login, customer.displayName, primary, phoneVerified, msisdn, customer.address.city];
        }
      `,
    },
    { models: [], dataClasses: CLASSES },
  );

  it("classifies a read by its name token, and a boolean-typed name not at all", () => {
    expect(p.sources("/src/uses.ts", "msisdn: string")).toEqual([
      "phone-number: named like a phone number",
    ]);
    expect(p.sources("/src/uses.ts", "phoneVerified: boolean")).toEqual([]);
  });

  it("falls back to the declared type (aliases followed) and JSDoc tags of the member read", () => {
    expect(p.sources("/src/uses.ts", "customer.reachAt").map((s) => s.split(":")[0])).toEqual(["phone-number"]);
    expect(p.sources("/src/uses.ts", "customer.login").map((s) => s.split(":")[0])).toEqual(["email-address"]);
    expect(p.sources("/src/uses.ts", "customer.displayName")).toEqual([]);
    expect(p.sources("/src/uses.ts", "customer.address.city")).toEqual([]);
    expect(p.sources("/src/uses.ts", "primary: Contact").map((s) => s.split(":")[0])).toEqual(["phone-number"]);
  });

  it("gives a parameter of an object type the restricted fields inside it, with their paths", () => {
    const hits = p.question.sourcesAt(p.read("/src/uses.ts", "customer: Customer"));
    expect(hits.map((h) => `${h.dataClass} ${(h.path ?? []).join(".")}`).sort()).toEqual([
      "email-address login",
      "phone-number address.msisdn",
      "phone-number reachAt",
    ]);
  });

  it("asks which declaration a read resolves to only where some declaration of that name is a boolean", () => {
    const q = new ModelProject(
      {
        "/src/prefs.ts": `
          export interface Consent { phone: boolean; email?: string }
          export interface Card { phone: string }
        `,
        "/src/uses.ts": `
          import type { Card, Consent } from "./prefs";
          export function handle(consent: Consent, card: Card, anything: any) {
            return [consent.phone, card.phone, consent.email, anything.phone, anything.msisdn];
          }
        `,
      },
      { models: [], dataClasses: CLASSES },
    );
    // \`phone\` is declared boolean somewhere: each read goes to its own declaration
    expect(q.sources("/src/uses.ts", "consent.phone")).toEqual([]);
    expect(q.sources("/src/uses.ts", "card.phone").map((s) => s.split(":")[0])).toEqual(["phone-number"]);
    // no declaration to be had (an \`any\` receiver): the name decides
    expect(q.sources("/src/uses.ts", "anything.phone").map((s) => s.split(":")[0])).toEqual(["phone-number"]);
    expect(q.sources("/src/uses.ts", "anything.msisdn").map((s) => s.split(":")[0])).toEqual(["phone-number"]);
    expect(q.sources("/src/uses.ts", "consent.email").map((s) => s.split(":")[0])).toEqual(["email-address"]);
  });

  it("indexes the names declared boolean, and says when a mapped type or a computed name leaves that open", () => {
    const file = (text: string) => ts.createSourceFile("/x.ts", text, ts.ScriptTarget.ESNext, true);
    const plain = memberIndex(factsOf([file("interface A { phone: boolean; email: string; isOn(): boolean }")]), CLASSES, compileDataClasses(CLASSES));
    expect([...plain.flags].sort()).toEqual(["isOn", "phone"]);
    expect(plain.flagsComplete).toBe(true);
    const declared = memberIndex(
      factsOf([file("class C { constructor(private client: X, plain: Y) {} send() {} } const o = { host, port: 1 }; exports.go = 1;")]),
      CLASSES,
      compileDataClasses(CLASSES),
    ).declared;
    expect([...declared].sort()).toEqual(["C", "client", "go", "host", "o", "port", "send"]);
    // a function's locals and an ES module's unexported declarations are members of nothing; a namespace's members,
    // a module's exports (by the name `export { … }` gives), a script's globals and a declaration file's are members
    const named = (name: string, text: string) => ts.createSourceFile(name, text, ts.ScriptTarget.ESNext, true);
    const scoped = memberIndex(
      factsOf([
        named(
          "/module.ts",
          `import { x } from "./x";
           const local = 1; function helper() { const inner = 2; function nested() {} class Kept {} return inner; }
           export const shared = 1; export function run() {} export class Job { static { const fromBlock = 1; } }
           class Hidden {} interface Shape { kind: string } namespace Space { const member = 1; export namespace Deep.Er {} }
           export { helper as relay, local };`,
        ),
        named("/script.ts", "const global = 1; function globalFn() { var notGlobal = 1; }"),
        named("/types.d.ts", "declare const ambient: string; export {}; declare module 'pkg' { const fromPkg: string; }"),
      ]),
      CLASSES,
      compileDataClasses(CLASSES),
    ).declared;
    expect([...scoped].sort()).toEqual(
      ["Deep", "Er", "Job", "ambient", "fromPkg", "global", "globalFn", "kind", "local", "member", "pkg", "relay", "run", "shared"].sort(),
    );
    const renamed = memberIndex(factsOf([file("type F<T> = { [K in keyof T as `has${string & K}`]: boolean };")]), CLASSES, compileDataClasses(CLASSES));
    expect(renamed.flagsComplete).toBe(false);
    const computed = memberIndex(factsOf([file("const KEY = 'phone'; interface A { [KEY]: boolean }")]), CLASSES, compileDataClasses(CLASSES));
    expect(computed.flagsComplete).toBe(false);
  });

  it("grows the interesting types round by round, each seeing what earlier ones of its round added, for eight rounds", () => {
    const file = (text: string) => ts.createSourceFile("/x.ts", text, ts.ScriptTarget.ESNext, true);
    // T1 holds a T2, … T9 a T10, T10 a phone. The pass meets declarations last to first, so with T1 written last each
    // round finds one more, from T10 up: after eight rounds T3 is interesting and T2 is not, so f2 (a T3) is a
    // restricted member name and f1 (a T2) is not. Written the other way round, one round finds them all.
    const chain = Array.from({ length: 9 }, (_, i) => `interface T${i + 1} { f${i + 1}: T${i + 2} }`);
    const classes = compileDataClasses(CLASSES);
    const slow = memberIndex(factsOf([file(["interface T10 { phone: string }", ...[...chain].reverse()].join("\n"))]), CLASSES, classes);
    expect([...slow.restricted].sort()).toEqual(["f2", "f3", "f4", "f5", "f6", "f7", "f8", "f9"]);
    const fast = memberIndex(factsOf([file([...chain, "interface T10 { phone: string }"].join("\n"))]), CLASSES, classes);
    expect([...fast.restricted].sort()).toEqual(["f1", "f2", "f3", "f4", "f5", "f6", "f7", "f8", "f9"]);
    // aliases (asked before the object types of a round) and nested type literals pass it on, over four rounds here
    const mixed = memberIndex(
      factsOf([
        file(`interface Leaf { contact: { phone: string } }
              type Alias = Leaf | undefined;
              interface Mid { leaf: Alias }
              interface Top { mid: Mid[] }
              interface Other { note: string }
              type Late = Top;
              interface Holder { late: Late; other: Other }`),
      ]),
      CLASSES,
      classes,
    );
    expect([...mixed.restricted].sort()).toEqual(["contact", "late", "leaf", "mid"]);
  });
});
