import { afterAll, describe, expect, it } from "vitest";
import { loadPolicy } from "../../src/config/load-policy.js";
import { parsePolicyDocument } from "../../src/config/policy-document.js";
import { policyWeakenings } from "../../src/diff/policy-changes.js";
import { removeTree, writeTree } from "../support/temp-tree.js";

const roots: string[] = [];
afterAll(() => roots.forEach(removeTree));

/** Loads a policy file's text the way update review does: merged policy, plus its document for positions. */
function load(text: string | undefined) {
  const root = writeTree(text === undefined ? {} : { "flowgate.config.yaml": text });
  roots.push(root);
  const policy = loadPolicy({ root });
  return { policy, ...(text !== undefined ? { file: "flowgate.config.yaml", document: parsePolicyDocument(text, "flowgate.config.yaml") } : {}) };
}

const BASE = `extends: recommended
sanitizers: ["src/privacy.ts#redact"]
vetted:
  hosts:
    - "*.enclave.eu.internal"
  calls: ["src/enclave.ts#EnclaveClient.send"]
dataClasses:
  - id: phone-number
    names: [msisdn, subscriber]
exclude: ["**/*.test.ts"]
`;

const summary = (text: string | undefined) =>
  policyWeakenings(load(BASE).policy, load(text), "flowgate.config.yaml")
    .sort((a, b) => a.location.startLine - b.location.startLine)
    .map((d) => `${d.location.startLine}:${d.location.startColumn} ${d.message}`);

describe("policyWeakenings", () => {
  it("finds nothing when the policy is unchanged, reformatted, or tightened", () => {
    expect(summary(BASE)).toEqual([]);
    expect(summary(BASE.replace('    - "*.enclave.eu.internal"\n', '    - "*.enclave.eu.internal" # the enclave\n'))).toEqual([]);
    expect(summary(BASE.replace("names: [msisdn, subscriber]", "names: [msisdn, subscriber, cli]"))).toEqual([]);
  });

  it("reports each added vetted host, vetted call, sanitizer and exclude at its own line", () => {
    const head = BASE.replace('    - "*.enclave.eu.internal"\n', '    - "*.enclave.eu.internal"\n    - "api.partner.example"\n')
      .replace('calls: ["src/enclave.ts#EnclaveClient.send"]', 'calls: ["src/enclave.ts#EnclaveClient.send", "axios#default.post"]')
      .replace('sanitizers: ["src/privacy.ts#redact"]', 'sanitizers: ["src/privacy.ts#redact", "src/util.ts#tidy"]')
      .replace('exclude: ["**/*.test.ts"]', 'exclude: ["**/*.test.ts", "src/export/**"]');
    expect(summary(head)).toEqual([
      "2:39 The update declares `src/util.ts#tidy` a sanitizer: data passed through it would count as clean.",
      "6:7 The update vets the host `api.partner.example`: restricted data sent there would no longer be reported.",
      "7:48 The update vets the call `axios#default.post`: egress inside it would no longer be reported.",
      "11:27 The update excludes `src/export/**` from the scan: flows in those files would no longer be reported.",
    ]);
  });

  it("reports a package newly listed as keeping data in the process, at its entry", () => {
    expect(summary(`${BASE}packages:\n  local: [lodash, crm-sdk]\n`)).toEqual([
      "12:19 The update lists the package `crm-sdk` as keeping data in the process: restricted data passed to it would no longer be reported.",
    ]);
  });

  it("reports a vetted entry widened for more data classes: a class added, a class list dropped, a new entry", () => {
    const restricted = BASE.replace(
      '    - "*.enclave.eu.internal"\n',
      '    - "*.enclave.eu.internal"\n    - { host: api.stripe.com, classes: [email-address] }\n',
    ).replace('calls: ["src/enclave.ts#EnclaveClient.send"]', 'calls: [{ call: "src/audit.ts#Audit.record", classes: [device-id] }]');
    const widened = (base: string, head: string) =>
      policyWeakenings(load(base).policy, load(head), "flowgate.config.yaml").map((d) => `${d.location.startLine}:${d.location.startColumn} ${d.message}`);
    // unchanged, narrowed (a class removed), or a plain entry made restricted: nothing is widened
    expect(widened(restricted, restricted)).toEqual([]);
    expect(widened(restricted.replace("classes: [email-address]", "classes: [email-address, payment-card]"), restricted)).toEqual([]);
    expect(widened(BASE, BASE.replace('"*.enclave.eu.internal"', '{ host: "*.enclave.eu.internal", classes: [phone-number] }'))).toEqual([]);

    expect(widened(restricted, restricted.replace("classes: [email-address]", "classes: [email-address, payment-card, precise-location]"))).toEqual([
      "6:56 The update vets the host `api.stripe.com` for `payment-card` and `precise-location` too: such data sent there would no longer be reported.",
    ]);
    expect(widened(restricted, restricted.replace("{ host: api.stripe.com, classes: [email-address] }", "api.stripe.com"))).toEqual([
      "6:7 The update vets the host `api.stripe.com` for every data class (it was vetted for `email-address` only): restricted data of any class sent there would no longer be reported.",
    ]);
    expect(widened(restricted, restricted.replace("classes: [device-id]", "classes: [device-id, phone-number]"))).toEqual([
      "7:69 The update vets the call `src/audit.ts#Audit.record` for `phone-number` too: such data passed to it would no longer be reported.",
    ]);
    expect(widened(BASE, restricted)).toEqual([
      "6:7 The update vets the host `api.stripe.com` for `email-address`: restricted data of `email-address` sent there would no longer be reported.",
      "7:11 The update vets the call `src/audit.ts#Audit.record` for `device-id`: `device-id` data passed to it, and egress inside it, would no longer be reported.",
    ]);
  });

  it("reports a narrowed data class at its entry", () => {
    expect(summary(BASE.replace("names: [msisdn, subscriber]", "names: [msisdn]"))).toEqual([
      "9:12 The update narrows the data class `phone-number`: names `subscriber` would no longer mark phone-number data.",
    ]);
  });

  it("reports a paired name dropped or left with fewer partners, not one made a plain name", () => {
    const paired = BASE.replace("names: [msisdn, subscriber]", "names: [msisdn, subscriber]\n    pairedNames: { cell: [phone, mobile] }");
    const narrowed = (head: string) =>
      policyWeakenings(load(paired).policy, load(head), "flowgate.config.yaml").map((d) => `${d.location.startLine}:${d.location.startColumn} ${d.message}`);
    expect(narrowed(paired)).toEqual([]);
    expect(narrowed(paired.replace("[phone, mobile]", "[phone, mobile, handset]"))).toEqual([]);
    expect(narrowed(paired.replace("names: [msisdn, subscriber]\n    pairedNames: { cell: [phone, mobile] }", "names: [msisdn, subscriber, cell]"))).toEqual([]);
    expect(narrowed(paired.replace("[phone, mobile]", "[phone]"))).toEqual([
      "10:18 The update narrows the data class `phone-number`: the paired name `cell` would no longer match beside `mobile`.",
    ]);
    expect(narrowed(paired.replace("\n    pairedNames: { cell: [phone, mobile] }", ""))).toEqual([
      "8:5 The update narrows the data class `phone-number`: the paired name `cell` would no longer mark phone-number data.",
    ]);
  });

  it("reports a sibling name dropped or given more siblings, not one made a plain name", () => {
    const siblings = BASE.replace("names: [msisdn, subscriber]", "names: [msisdn, subscriber]\n    siblingNames: { to: [from, body] }");
    const narrowed = (head: string) =>
      policyWeakenings(load(siblings).policy, load(head), "flowgate.config.yaml").map((d) => `${d.location.startLine}:${d.location.startColumn} ${d.message}`);
    expect(narrowed(siblings)).toEqual([]);
    expect(narrowed(siblings.replace("[from, body]", "[from]"))).toEqual([]);
    expect(narrowed(siblings.replace("names: [msisdn, subscriber]\n    siblingNames: { to: [from, body] }", "names: [msisdn, subscriber, to]"))).toEqual([]);
    expect(narrowed(siblings.replace("[from, body]", "[from, body, sid]"))).toEqual([
      "10:19 The update narrows the data class `phone-number`: the sibling name `to` would match only beside `sid` too.",
    ]);
    expect(narrowed(siblings.replace("\n    siblingNames: { to: [from, body] }", ""))).toEqual([
      "8:5 The update narrows the data class `phone-number`: the sibling name `to` would no longer mark phone-number data.",
    ]);
  });

  it("reports a scan narrowed by include", () => {
    expect(summary(`${BASE}include: ["src/api/**"]\n`)).toEqual([
      "11:10 The update limits the scan to `src/api/**`: files outside it would no longer be scanned.",
    ]);
  });

  it("reports what deleting the policy file loses, at the file's start", () => {
    const lines = summary(undefined);
    expect(lines).toContain("1:1 The update narrows the data class `phone-number`: names `subscriber` would no longer mark phone-number data.");
    // (`msisdn` is in the recommended pack, so it stays.) Dropping vetted hosts, calls, sanitizers and excludes tightens the policy: not findings.
    expect(lines).toHaveLength(1);
  });
});
