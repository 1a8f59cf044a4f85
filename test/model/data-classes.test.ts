import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { parse } from "yaml";
import type { DataClassSpec } from "../../src/config/policy.js";
import { compileDataClasses } from "../../src/model/data-classes.js";
import { identifierTokens } from "../../src/model/identifier-tokens.js";
import { REPO_ROOT } from "../support/paths.js";

// The recommended pack's data classes as shipped: these tests are about the tokens we chose, not just the algorithm.
const pack = parse(readFileSync(path.join(REPO_ROOT, "rules/packs/recommended.yaml"), "utf8")) as {
  dataClasses: DataClassSpec[];
};
const recommended = compileDataClasses(pack.dataClasses);
const classesOf = (name: string): string[] => recommended.byName(name).map((hit) => hit.dataClass);

describe("identifierTokens", () => {
  it("splits camelCase, PascalCase, snake_case, kebab-case and SCREAMING_CASE", () => {
    expect(identifierTokens("clientIp")).toEqual(["client", "ip"]);
    expect(identifierTokens("PhoneNumber")).toEqual(["phone", "number"]);
    expect(identifierTokens("ip_address")).toEqual(["ip", "address"]);
    expect(identifierTokens("x-forwarded-for")).toEqual(["x", "forwarded", "for"]);
    expect(identifierTokens("REMOTE_ADDR")).toEqual(["remote", "addr"]);
    expect(identifierTokens("phone number")).toEqual(["phone", "number"]);
  });

  it("keeps acronyms whole, with their plural and version suffix", () => {
    expect(identifierTokens("clientIP")).toEqual(["client", "ip"]);
    expect(identifierTokens("IPAddress")).toEqual(["ip", "address"]);
    expect(identifierTokens("userIPv4")).toEqual(["user", "ipv4"]);
    expect(identifierTokens("clientIPs")).toEqual(["client", "ips"]);
    expect(identifierTokens("IPV6_ADDR")).toEqual(["ipv6", "addr"]);
    expect(identifierTokens("parseURLString")).toEqual(["parse", "url", "string"]);
  });

  it("keeps digits with the letters before them", () => {
    expect(identifierTokens("phoneE164")).toEqual(["phone", "e164"]);
    expect(identifierTokens("cvv2")).toEqual(["cvv2"]);
    expect(identifierTokens("address2")).toEqual(["address2"]);
    expect(identifierTokens("$email")).toEqual(["email"]);
    expect(identifierTokens("")).toEqual([]);
  });

  // A name written in printable ASCII is split by character codes (identifier-tokens.ts); a name with any other
  // character by the general rules. A middle dot (U+00B7, punctuation) is a separator that sends a name to the general
  // rules and adds no word, so both must give the same words.
  it("splits a name in ASCII as the general rules do", () => {
    const ascii = fc.string({ unit: fc.constantFrom(..."aAbBeEiIlLpPsSvVzZ09_-$ .") , maxLength: 16 });
    fc.assert(
      fc.property(ascii, (name) => {
        expect(identifierTokens(name)).toEqual(identifierTokens(`${name}\u00b7`));
      }),
      { numRuns: 3000 },
    );
    expect(identifierTokens("IPs2")).toEqual(identifierTokens("IPs2\u00b7"));
    expect(identifierTokens("aIPv")).toEqual(identifierTokens("aIPv\u00b7"));
  });
});

describe("byName with the recommended pack", () => {
  it("matches the issue's positive examples", () => {
    expect(classesOf("clientIp")).toEqual(["ip-address"]);
    expect(classesOf("ip_address")).toEqual(["ip-address"]);
    expect(classesOf("IP")).toEqual(["ip-address"]);
    expect(classesOf("clientIP")).toEqual(["ip-address"]);
    expect(classesOf("IPAddress")).toEqual(["ip-address"]);
    expect(classesOf("userIPv4")).toEqual(["ip-address"]);
    expect(classesOf("remoteAddr")).toEqual(["ip-address"]);
    expect(classesOf("remoteAddress")).toEqual(["ip-address"]);
    expect(classesOf("x-forwarded-for")).toEqual(["ip-address"]);
    expect(classesOf("msisdn")).toEqual(["phone-number"]);
    expect(classesOf("phoneNumber")).toEqual(["phone-number"]);
    expect(classesOf("PHONE_NUMBER")).toEqual(["phone-number"]);
    expect(classesOf("e_mail")).toEqual(["email-address"]);
    expect(classesOf("emailAddress")).toEqual(["email-address"]);
    expect(classesOf("lat")).toEqual(["precise-location"]);
    expect(classesOf("lng")).toEqual(["precise-location"]); // a paired name, asked without the file's words
    expect(classesOf("latitude")).toEqual(["precise-location"]);
    expect(classesOf("deviceId")).toEqual(["device-id"]);
    expect(classesOf("idfa")).toEqual(["device-id"]);
    expect(classesOf("ssn")).toEqual(["government-id"]);
    expect(classesOf("passportNumber")).toEqual(["government-id"]);
    expect(classesOf("cardNumber")).toEqual(["payment-card"]);
    expect(classesOf("pan")).toEqual(["payment-card"]);
  });

  it("matches the class word as the head of a longer name, plural, numbered, or in another representation", () => {
    expect(classesOf("userPhone")).toEqual(["phone-number"]);
    expect(classesOf("recipientMsisdn")).toEqual(["phone-number"]);
    expect(classesOf("phoneNumbers")).toEqual(["phone-number"]);
    expect(classesOf("phone2")).toEqual(["phone-number"]);
    expect(classesOf("phoneNumberE164")).toEqual(["phone-number"]);
    expect(classesOf("clientIps")).toEqual(["ip-address"]);
    expect(classesOf("ipAddresses")).toEqual(["ip-address"]);
    expect(classesOf("ipV4")).toEqual(["ip-address"]);
    expect(classesOf("contactEmails")).toEqual(["email-address"]);
    expect(classesOf("rawEmailValue")).toEqual(["email-address"]);
    expect(classesOf("userLatLng")).toEqual(["precise-location"]);
  });

  it("does not match near misses that merely contain the letters", () => {
    for (const name of ["shipId", "tip", "description", "zip", "iphoneModel", "ipo", "telemetry", "hotel", "pane", "panel"]) {
      expect(classesOf(name), name).toEqual([]);
    }
  });

  it("does not match flags, counts, timestamps and holders of the data (is/has/num/count/verified/enabled/at/with…)", () => {
    for (const name of [
      "phoneCount",
      "isPhoneVerified",
      "hasPhone",
      "phoneVerifiedAt",
      "phoneVerified",
      "emailEnabled",
      "shouldSendEmail",
      "numEmails",
      "totalIps",
      "maxPhoneLength",
      "numberOfPhones",
      "phone_count",
      "IS_EMAIL_VALID",
      "rulesWithoutColdEmail",
      "profilesWithEmail",
      "withPhone",
    ]) {
      expect(classesOf(name), name).toEqual([]);
    }
  });

  it("does not match names of the data's metadata: type, format, template, regex, label, field, column, key, id", () => {
    for (const name of [
      "phoneType",
      "phoneNumberFormat",
      "emailTemplate",
      "EMAIL_REGEX",
      "phonePattern",
      "emailLabel",
      "phoneField",
      "emailColumn",
      "ipKey",
      "emailId",
      "phoneCountryCode",
      "ipCountry",
      "cardLast4",
      "emailSubject",
    ]) {
      expect(classesOf(name), name).toEqual([]);
    }
  });

  it("does not match values made safe before they were named (hashed, masked, redacted, encrypted)", () => {
    for (const name of ["hashedPhone", "maskedEmail", "redactedIp", "encryptedSsn", "phoneHash", "anonymizedIp"]) {
      expect(classesOf(name), name).toEqual([]);
    }
  });

  it("does not match the operator's own addresses or placeholders (serverIp, supportEmail, examplePhone)", () => {
    for (const name of ["serverIp", "proxyIp", "BIND_IP", "upstreamIp", "supportEmail", "ADMIN_EMAIL", "noReplyEmail", "no_reply_email", "examplePhone", "dummyEmail", "defaultIp", "trustedProxyIps", "allowedIps", "denyIPAddressList", "deniedIps", "blacklistedEmails", "localIp", "localIpv6", "LOCAL_IP_ADDRESS"]) {
      expect(classesOf(name), name).toEqual([]);
    }
    // …while a user's own, named after the user or the request, still match (`local` says whose only of an IP)
    for (const name of ["callerIp", "senderPhone", "customerEmail", "remoteIp", "originIp", "localPhone", "localEmail"]) {
      expect(classesOf(name), name).not.toEqual([]);
    }
  });

  it("does not match the ambiguous words the pack only lists inside sequences", () => {
    for (const name of ["mobile", "isMobile", "mail", "sendMail", "location", "passport", "sin", "device", "deviceType"]) {
      expect(classesOf(name), name).toEqual([]);
    }
  });

  it("never matches a boolean-typed name, but does match a number-typed one (msisdn, lat)", () => {
    expect(recommended.byName("phone", { declaredType: "boolean" })).toEqual([]);
    expect(recommended.byName("msisdn", { declaredType: "number" }).map((h) => h.dataClass)).toEqual(["phone-number"]);
    expect(recommended.byName("lat", { declaredType: "number" }).map((h) => h.dataClass)).toEqual(["precise-location"]);
  });

  it("explains each match in a reviewer's words", () => {
    expect(recommended.byName("msisdn")).toEqual([
      { dataClass: "phone-number", reason: "named like a phone number" },
    ]);
    expect(recommended.byName("clientIp")).toEqual([
      { dataClass: "ip-address", reason: "named like an IP address (`ip`)" },
    ]);
  });
});

describe("byName with user-defined classes", () => {
  const matcher = compileDataClasses([
    { id: "phone-number", names: ["msisdn", "phone"], types: [], tags: [] },
    { id: "customer-ref", names: ["customer reference"], types: [], tags: [] },
    { id: "contact", names: ["phone"], types: [], tags: [] },
  ]);

  it("matches a multi-word entry only as a whole sequence", () => {
    expect(matcher.byName("customerReference").map((h) => h.dataClass)).toEqual(["customer-ref"]);
    expect(matcher.byName("CUSTOMER_REFERENCE_VALUE").map((h) => h.dataClass)).toEqual(["customer-ref"]);
    expect(matcher.byName("reference")).toEqual([]);
    expect(matcher.byName("customer")).toEqual([]);
  });

  it("reports every class a name belongs to, sorted", () => {
    expect(matcher.byName("homePhone").map((h) => h.dataClass)).toEqual(["contact", "phone-number"]);
  });

  it("gives the same answer on repeated questions", () => {
    expect(matcher.byName("msisdn")).toEqual(matcher.byName("msisdn"));
  });
});

describe("byTypeName and byJsDocTag", () => {
  const matcher = compileDataClasses([
    { id: "phone-number", names: [], types: ["PhoneNumber"], tags: ["restricted", "@msisdn"] },
    { id: "email-address", names: [], types: ["EmailAddress"], tags: ["restricted"] },
  ]);

  it("matches declared type names exactly", () => {
    expect(matcher.byTypeName("PhoneNumber")).toEqual([
      { dataClass: "phone-number", reason: "declared as `PhoneNumber`" },
    ]);
    expect(matcher.byTypeName("PhoneNumberFormat")).toEqual([]);
    expect(matcher.byTypeName("phoneNumber")).toEqual([]);
    expect(matcher.byTypeName("IPhoneNumber")).toEqual([]);
  });

  it("matches JSDoc tags with or without the @, in any case", () => {
    expect(matcher.byJsDocTag("msisdn").map((h) => h.dataClass)).toEqual(["phone-number"]);
    expect(matcher.byJsDocTag("@Restricted").map((h) => h.dataClass)).toEqual(["phone-number", "email-address"]);
    expect(matcher.byJsDocTag("restricted")[0]?.reason).toBe("marked `@restricted`");
    expect(matcher.byJsDocTag("param")).toEqual([]);
  });

  it("the recommended pack names the common type names", () => {
    expect(recommended.byTypeName("PhoneNumber").map((h) => h.dataClass)).toEqual(["phone-number"]);
    expect(recommended.byTypeName("IpAddress").map((h) => h.dataClass)).toEqual(["ip-address"]);
    expect(recommended.byTypeName("EmailAddress").map((h) => h.dataClass)).toEqual(["email-address"]);
  });
});

describe("paired names", () => {
  const inFileNaming = (...words: string[]) => ({ fileNames: (partners: readonly string[]) => partners.some((p) => words.includes(p)) });
  const classesIn = (name: string, ...fileWords: string[]): string[] => recommended.byName(name, inFileNaming(...fileWords)).map((h) => h.dataClass);

  it("match `lng` as a longitude only where the file names a latitude (i18next's `lng` is a language)", () => {
    expect(classesIn("lng", "i18n", "change", "language")).toEqual([]);
    expect(classesIn("fallbackLng", "i18n")).toEqual([]);
    expect(classesIn("supportedLngs", "i18n")).toEqual([]);
    expect(classesIn("lng", "position", "lat")).toEqual(["precise-location"]);
    expect(classesIn("storeLng", "latitude")).toEqual(["precise-location"]);
  });

  it("leave the class's plain names alone, and let a plain entry of the same name win", () => {
    expect(classesIn("lat")).toEqual(["precise-location"]);
    expect(classesIn("latLng")).toEqual(["precise-location"]);
    const plain = compileDataClasses([{ id: "precise-location", names: ["lng"], pairedNames: { lng: ["lat"] }, types: [], tags: [] }]);
    expect(plain.byName("lng", inFileNaming()).map((h) => h.dataClass)).toEqual(["precise-location"]);
  });
});

describe("sibling names", () => {
  const declaring = (...members: string[]) => (sibling: string) => members.includes(sibling);
  const classesOf = (name: string, ...members: string[]): string[] => recommended.bySiblings(name, declaring(...members)).map((h) => h.dataClass);

  it("match a mail envelope's `to`, `cc` and `bcc` only beside both `from` and `subject`", () => {
    expect(classesOf("to", "from", "to", "subject", "html")).toEqual(["email-address"]);
    expect(classesOf("bcc", "from", "subject")).toEqual(["email-address"]);
    expect(classesOf("to", "from", "to", "title")).toEqual([]);
    expect(classesOf("to", "subject")).toEqual([]);
  });

  it("are exact: a name ending in `to` is no sibling name, and names do not match as siblings", () => {
    expect(classesOf("replyTo", "from", "subject")).toEqual([]);
    expect(classesOf("sendTo", "from", "subject")).toEqual([]);
    expect(recommended.byName("to")).toEqual([]);
  });
});
