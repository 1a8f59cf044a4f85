import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadPolicy, type PolicySource } from "../../src/config/load-policy.js";
import { knownPacks } from "../../src/config/packs.js";
import { PolicyError, UsageError } from "../../src/errors.js";

// The loader reads user files only through a PolicySource; these tests give it one in memory.
const ROOT = path.resolve("/virtual/gateway");

function source(files: Record<string, string>, description = "working tree"): PolicySource {
  return { description, read: (relative) => files[relative] };
}

function load(yaml: string, files: Record<string, string> = {}) {
  return loadPolicy({ root: ROOT, source: source({ "flowgate.config.yaml": yaml, ...files }) });
}

function policyError(yaml: string): PolicyError {
  try {
    load(yaml);
  } catch (err) {
    if (err instanceof PolicyError) return err;
    throw err;
  }
  throw new Error("expected a PolicyError");
}

describe("loadPolicy: packages known to stay in the process", () => {
  it("takes recommended's list from the local-packages pack it includes, and adds the policy's own", () => {
    const policy = load("packages:\n  local: [in-house-formatter, \"@acme/strings\"]\n");
    expect(policy.files).toContain("flowgate:rules/packs/local-packages.yaml");
    expect(policy.packages.local).toEqual(expect.arrayContaining(["lodash", "zod", "@prisma/client", "in-house-formatter", "@acme/strings"]));
    expect(load("extends: []\n").packages.local).toEqual([]);
  });

  it("rejects what is no npm package name, at its line", () => {
    const error = policyError("packages:\n  local: [lodash, \"../vendor/x\"]\n");
    expect(error.line).toBe(2);
    expect(error.message).toMatch(/packages\/local\/1|packages\.local\[1\]/);
  });
});

describe("loadPolicy: defaults and sources", () => {
  it("uses extends: recommended when there is no policy file", () => {
    const policy = loadPolicy({ root: ROOT, source: source({}) });
    expect(policy.files).toEqual([
      "flowgate:rules/packs/local-packages.yaml", // recommended includes it, so it comes first
      "flowgate:rules/packs/recommended.yaml",
      ...policy.models.map((m) => m.file),
    ]);
    expect(policy.origins.size).toBe(0);
    expect(policy.vetted).toEqual({ hosts: [], calls: [] });
  });

  it("uses recommended when the file has no extends, and no pack for extends: []", () => {
    expect(load("vetted: { hosts: [a.example] }\n").files).toContain("flowgate:rules/packs/recommended.yaml");
    const bare = load("extends: []\n");
    expect(bare.files).toEqual(["flowgate.config.yaml"]);
    expect(bare.dataClasses).toEqual([]);
    expect(bare.models).toEqual([]);
  });

  it("reads flowgate.config.yml when there is no .yaml", () => {
    const policy = loadPolicy({ root: ROOT, source: source({ "flowgate.config.yml": "include: [src/**]\n" }) });
    expect(policy.files[0]).toBe("flowgate.config.yml");
    expect(policy.include).toEqual(["src/**"]);
  });

  it("reads --config through the source, relative to the root", () => {
    const policy = loadPolicy({
      root: ROOT,
      configPath: path.join(ROOT, "policies/strict.yaml"),
      source: source({ "policies/strict.yaml": "exclude: ['**/*.test.ts']\n" }),
    });
    expect(policy.files[0]).toBe("policies/strict.yaml");
    expect(policy.exclude).toEqual(["**/*.test.ts"]);
  });

  it("names the source in messages when it is not the working tree", () => {
    const files = { "flowgate.config.yaml": "extends: nope\n" };
    expect(() => loadPolicy({ root: ROOT, source: source(files, "base revision abc123") })).toThrow(/\(base revision abc123\):1:10:/);
  });

  it("refuses JavaScript config, given or found", () => {
    expect(() => loadPolicy({ root: ROOT, configPath: "flowgate.config.mjs", source: source({}) })).toThrow(UsageError);
    expect(() => loadPolicy({ root: ROOT, source: source({ "flowgate.config.cjs": "" }) })).toThrow(/will not run/);
  });

  it("treats an empty file as an empty policy", () => {
    expect(load("").files).toContain("flowgate:rules/packs/recommended.yaml");
  });

  it("shares the shipped packs and models between loads in one process, frozen, so one policy never leaks into the next", () => {
    const withSink = load("sinks: [{ id: audit, kind: log, call: 'src/audit.ts#write', arguments: all }]\n");
    const plain = load("vetted: { hosts: [a.example] }\n");
    expect(withSink.models.map((m) => m.id)).toContain("policy");
    expect(plain.models.map((m) => m.id)).not.toContain("policy");
    const shared = plain.models.filter((m) => withSink.models.includes(m));
    expect(shared.length).toBe(plain.models.length); // the same model objects: read once
    for (const model of shared) expect(Object.isFrozen(model) && Object.isFrozen(model.sinks)).toBe(true);
    expect(() => (shared[0]?.sinks as unknown[]).push({})).toThrow(TypeError);
    expect(plain.vetted.hosts).toEqual([{ host: "a.example" }]);
    expect(withSink.vetted.hosts).toEqual([]);
  });
});

describe("loadPolicy: errors name file:line:column", () => {
  it("points at a YAML syntax error", () => {
    const err = policyError("vetted:\n  hosts: [a.example\n");
    expect(err.file).toBe(path.join(ROOT, "flowgate.config.yaml")); // outside the cwd: absolute
    expect(err.message).toMatch(/YAML syntax error/);
    expect(err.line).toBeGreaterThanOrEqual(2);
  });

  it("rejects a repeated key rather than letting the second win", () => {
    const err = policyError("include: [a]\ninclude: [b]\n");
    expect([err.line, err.column]).toEqual([2, 1]);
  });

  it("points at an unknown key and suggests the nearest valid one", () => {
    const err = policyError("extends: recommended\ndataClass:\n  - id: phone-number\n");
    expect([err.line, err.column]).toEqual([2, 1]);
    expect(err.message).toMatch(/:2:1: unknown key `dataClass` — did you mean `dataClasses`\?/);
  });

  it("suggests nested keys from their own level", () => {
    const err = policyError("dataClasses:\n  - id: phone-number\n    nmes: [msisdn]\n");
    expect([err.line, err.column]).toEqual([3, 5]);
    expect(err.message).toMatch(/unknown key `dataClasses\[0\]\.nmes` — did you mean `names`\?/);
  });

  it("does not suggest anything for a key that resembles nothing", () => {
    expect(policyError("telemetryEndpointOverride: 1\n").message).not.toMatch(/did you mean/);
  });

  it("points at a value of the wrong type and at a bad enum value", () => {
    const wrongType = policyError("vetted:\n  hosts: api.partner.example\n");
    expect([wrongType.line, wrongType.column]).toEqual([2, 10]);
    expect(wrongType.message).toMatch(/`vetted\.hosts` must be a list/);
    const badKind = policyError("sinks:\n  - { id: x, kind: netwrk, call: 'src/a.ts#f' }\n");
    expect(badKind.message).toMatch(/`sinks\[0\]\.kind` must be one of network, .* — did you mean `network`\?/);
  });

  it("reports a missing required key at its parent", () => {
    const err = policyError("sinks:\n  - kind: log\n    call: src/a.ts#f\n");
    expect(err.message).toMatch(/`sinks\[0\]` is missing the required key `id`/);
    expect(err.line).toBe(2);
  });

  it("reports every problem of a file at once, in order", () => {
    const err = policyError("vetted:\n  host: []\nincludes: []\n");
    expect(err.message.split("\n")).toHaveLength(2);
    expect(err.message).toMatch(/did you mean `hosts`\?[\s\S]*:3:1: unknown key `includes` — did you mean `include`\?/);
  });

  it("points at an unknown pack and lists the known ones", () => {
    const err = policyError("extends: [recommended, strictest]\n");
    expect([err.line, err.column]).toEqual([1, 24]);
    expect(err.message).toContain(`known packs: ${knownPacks().join(", ")}`);
  });

  it("reports an unknown pack together with the file's other problems, of shape and of reference", () => {
    const err = policyError("extends: [recomended]\nvetted:\n  hots: []\nsanitizers: ['http#get']\n");
    const lines = err.message.split("\n");
    expect(lines).toHaveLength(3);
    expect([err.line, err.column]).toEqual([1, 11]);
    expect(lines[0]).toMatch(/:1:11: unknown pack `recomended` — did you mean `recommended`\?/);
    expect(lines[1]).toMatch(/:3:3: unknown key `vetted\.hots`/);
    expect(lines[2]).toMatch(/:4:14: `sanitizers\[0\]`: .*node:http#get/);
  });

  it("checks the references it can while the schema fails elsewhere, and skips values of the wrong type", () => {
    const err = policyError("vetted:\n  hosts: ['https://x.example/', 7]\n  calls: [8]\n");
    expect(err.message).toMatch(/:2:11: `vetted\.hosts\[0\]`: .*write only the host/);
    expect(err.message).toMatch(/`vetted\.hosts\[1\]` must be a string or a mapping \(key: value\), not number 7/);
    expect(err.message).toMatch(/`vetted\.calls\[0\]` must be a string or a mapping \(key: value\), not number 8$/);
    expect(err.message.split("\n")).toHaveLength(3);
  });

  it("checks call references in sinks, sanitizers and vetted calls", () => {
    const err = policyError(
      [
        "sinks:",
        "  - { id: a, kind: log, call: 'fs#writeFileSync' }",
        "sanitizers: ['src/privacy.ts#a..b']",
        "vetted:",
        "  calls: ['../outside.ts#send', 'global#fetch']",
      ].join("\n"),
    );
    expect(err.message).toMatch(/:2:31: `sinks\[0\]\.call`: .*node:fs#writeFileSync/);
    expect([err.line, err.column]).toEqual([2, 31]);
    expect(err.message).toMatch(/:3:14: `sanitizers\[0\]`/);
    expect(err.message).toMatch(/:5:11: `vetted\.calls\[0\]`: .*inside the scan root/);
    expect(err.message).not.toMatch(/vetted\.calls\[1\]/);
  });

  it("keeps include and exclude globs inside the scan root", () => {
    const err = policyError("include: ['src/**', '/etc/**']\nexclude: ['!src/keep.ts', '../other/**']\n");
    expect(err.message).toMatch(/:1:21: `include\[1\]`: `\/etc\/\*\*` must be relative/);
    expect(err.message).toMatch(/:2:27: `exclude\[1\]`/);
    expect(err.message.split("\n")).toHaveLength(2);
  });

  it("rejects both argument and arguments on one sink", () => {
    expect(policyError("sinks:\n  - { id: a, kind: log, call: 'src/a.ts#f', argument: 0, arguments: [1] }\n").message).toMatch(
      /both `argument` and `arguments`/,
    );
  });
});

describe("loadPolicy: the merged policy", () => {
  it("turns the user's sinks into a library model with id `policy`", () => {
    const policy = load(
      [
        "extends: []",
        "sinks:",
        "  - { id: audit-export, kind: network, call: './src/audit.ts#exportRecord', argument: 0 }",
        "  - { id: trace, kind: log, call: 'src/trace.ts#trace' }",
        "  - id: upload",
        "    kind: third-party",
        "    call: '@acme/sdk#Client().upload'",
        "    arguments: [1, 2]",
        "    destination: { host: api.acme.example }",
      ].join("\n"),
    );
    expect(policy.models).toEqual([
      {
        id: "policy",
        file: "flowgate.config.yaml",
        sinks: [
          { id: "audit-export", kind: "network", call: "src/audit.ts#exportRecord", arguments: [0] },
          { id: "trace", kind: "log", call: "src/trace.ts#trace", arguments: "all" },
          { id: "upload", kind: "third-party", call: "@acme/sdk#Client().upload", arguments: [1, 2], destination: { host: "api.acme.example" } },
        ],
        sources: [],
        sanitizers: [],
        instances: [],
        propagators: [],
      },
    ]);
  });

  it("keeps user data classes, sanitizers, vetted entries and scope", () => {
    const policy = load(
      [
        "extends: []",
        "dataClasses:",
        "  - { id: tax-id, names: [tin, taxId], tags: [restricted] }",
        "sanitizers: ['src/privacy.ts#redact']",
        "vetted:",
        "  hosts: ['*.enclave.eu.internal']",
        "  calls: ['./src/enclave.ts#EnclaveClient.send']",
        "include: ['src/**']",
        "exclude: ['**/*.test.ts']",
      ].join("\n"),
    );
    expect(policy.dataClasses).toEqual([{ id: "tax-id", names: ["tin", "taxId"], types: [], tags: ["restricted"] }]);
    expect(policy.sanitizers).toEqual(["src/privacy.ts#redact"]);
    expect(policy.vetted).toEqual({ hosts: [{ host: "*.enclave.eu.internal" }], calls: [{ call: "src/enclave.ts#EnclaveClient.send" }] });
    expect(policy.include).toEqual(["src/**"]);
    expect(policy.exclude).toEqual(["**/*.test.ts"]);
  });

  it("reads vetted entries for some data classes only, next to plain ones", () => {
    const policy = load(
      [
        "vetted:",
        "  hosts:",
        "    - '*.enclave.eu.internal'",
        "    - { host: api.stripe.com, classes: [email-address, payment-card] }",
        "  calls:",
        "    - { call: './src/audit.ts#Audit.record', classes: [device-id] }",
      ].join("\n"),
    );
    expect(policy.vetted.hosts).toEqual([{ host: "*.enclave.eu.internal" }, { host: "api.stripe.com", classes: ["email-address", "payment-card"] }]);
    expect(policy.vetted.calls).toEqual([{ call: "src/audit.ts#Audit.record", classes: ["device-id"] }]);
    expect(policy.origins.get("vetted.hosts[1].classes[1]")).toEqual({ file: "flowgate.config.yaml", line: 4, column: 56 });
  });

  it("knows the classes of the file's own dataClasses and of the packs it extends", () => {
    const policy = load("extends: []\ndataClasses: [{ id: tax-id, names: [tin] }]\nvetted:\n  hosts: [{ host: a.example, classes: [tax-id] }]\n");
    expect(policy.vetted.hosts).toEqual([{ host: "a.example", classes: ["tax-id"] }]);
    const err = policyError("extends: []\nvetted:\n  hosts: [{ host: a.example, classes: [email-address] }]\n");
    expect(err.message).toMatch(/:3:40: `vetted\.hosts\[0\]\.classes\[0\]`: unknown data class `email-address` \(defined: none\)/);
  });

  it("reports an unknown class, a bad host and a bad call in class-restricted entries at their places, all at once", () => {
    const err = policyError(
      [
        "vetted:",
        "  hosts:",
        "    - { host: 'https://api.stripe.com/v1', classes: [email-adress] }",
        "  calls:",
        "    - { call: 'http#request', classes: [device-id, phone] }",
        "    - { call: 'src/a.ts#f', classes: [] }",
        "    - { call: 'src/a.ts#g', clases: [device-id] }",
      ].join("\n"),
    );
    const lines = err.message.split("\n");
    expect(lines[0]).toMatch(/:3:15: `vetted\.hosts\[0\]\.host`: .*write only the host/);
    expect(lines[1]).toMatch(/:3:54: `vetted\.hosts\[0\]\.classes\[0\]`: unknown data class `email-adress` — did you mean `email-address`\?/);
    expect(lines[2]).toMatch(/:5:15: `vetted\.calls\[0\]\.call`: .*node:http#request/);
    expect(lines[3]).toMatch(/:5:52: `vetted\.calls\[0\]\.classes\[1\]`: unknown data class `phone` — did you mean `phone-number`\?/);
    expect(lines[4]).toMatch(/:6:38: `vetted\.calls\[1\]\.classes` must not be empty$/);
    expect(lines[5]).toMatch(/:7:7: `vetted\.calls\[2\]` is missing the required key `classes`$/);
    expect(lines[6]).toMatch(/:7:29: unknown key `vetted\.calls\[2\]\.clases` — did you mean `classes`\?/);
    expect(lines).toHaveLength(7); // a mapping where a string or a mapping may stand: no "must be a string" besides
  });

  it("records where every user entry stands", () => {
    const policy = load("extends: recommended\nvetted:\n  hosts:\n    - a.example\n    - '*.b.example'\n");
    expect(policy.origins.get("vetted.hosts[1]")).toEqual({ file: "flowgate.config.yaml", line: 5, column: 7 });
    expect(policy.origins.get("vetted.hosts")).toEqual({ file: "flowgate.config.yaml", line: 4, column: 5 });
    expect(policy.origins.get("extends")).toEqual({ file: "flowgate.config.yaml", line: 1, column: 10 });
    expect([...policy.origins.keys()]).toEqual(["extends", "vetted", "vetted.hosts", "vetted.hosts[0]", "vetted.hosts[1]"]);
  });

  it("extends a data class of the recommended pack rather than replacing it", () => {
    const pack = load("extends: recommended\n").dataClasses;
    const merged = load("extends: recommended\ndataClasses:\n  - { id: phone-number, names: [subscriberNo], types: [Msisdn] }\n");
    const before = pack.find((d) => d.id === "phone-number")!;
    const after = merged.dataClasses.find((d) => d.id === "phone-number")!;
    expect(after.names).toEqual([...before.names, ...(before.names.includes("subscriberNo") ? [] : ["subscriberNo"])]);
    expect(after.types).toEqual(before.types.includes("Msisdn") ? before.types : [...before.types, "Msisdn"]);
    expect(merged.dataClasses.map((d) => d.id)).toEqual(pack.map((d) => d.id));
  });

  it("ranks every recommended class's sensitivity, and lets a policy change one or rank its own", () => {
    const pack = load("extends: recommended\n").dataClasses;
    expect(pack.map((d) => [d.id, d.sensitivity])).toEqual(expect.arrayContaining([["payment-card", "very-high"], ["ip-address", "low"]]));
    expect(pack.filter((d) => d.sensitivity === undefined)).toEqual([]);
    const policy = load("dataClasses:\n  - { id: ip-address, sensitivity: moderate }\n  - { id: health-record, names: [diagnosis], sensitivity: very-high }\n");
    expect(policy.dataClasses.find((d) => d.id === "ip-address")).toMatchObject({ sensitivity: "moderate", names: expect.arrayContaining(["ip"]) });
    expect(policy.dataClasses.find((d) => d.id === "health-record")?.sensitivity).toBe("very-high");
    expect(policyError("dataClasses:\n  - { id: ip-address, sensitivity: severe }\n").line).toBe(2);
  });

  it("loads every built-in pack with the models it names", () => {
    for (const pack of knownPacks()) {
      const policy = load(`extends: ${pack}\n`);
      expect(policy.files).toContain(`flowgate:rules/packs/${pack}.yaml`);
      for (const model of policy.models) expect(policy.files).toContain(model.file);
    }
  });
});
