import { describe, expect, it } from "vitest";
import type { DataClassSpec } from "../../src/config/policy.js";
import { ModelProject } from "./support/model-project.js";

const CLASSES: DataClassSpec[] = [
  { id: "phone-number", names: ["phone", "msisdn"], types: ["PhoneNumber"], tags: [] },
  { id: "email-address", names: ["email"], types: [], tags: ["restricted"] },
];

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
      "phone-number: `msisdn` matched data class phone-number by name token",
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
});
