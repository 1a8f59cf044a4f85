import { readFileSync } from "node:fs";
import path from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import fc from "fast-check";
import type { Log } from "sarif";
import { describe, expect, it } from "vitest";
import { validateSarif } from "../support/sarif-validator.js";
import { REPO_ROOT } from "../support/paths.js";
import { scanTree } from "./scan-tree.js";

/**
 * Random programs and random policies: whatever they contain, a scan ends with exit 0, 1 or 2 — never 3 (internal
 * error) — and every SARIF it writes passes the SARIF JSON schema and the SARIF Multitool validator (Gh;Sarif).
 * Programs are built from fragments real gateways contain (sources, wrappers, sinks, destinations), sometimes cut or
 * salted with stray characters so the parser has to recover.
 */
const source = fc.constantFrom("msisdn", "user.email", "req.ip", "user.name", "deviceId", "String(lat)", "hash(msisdn)");
const destination = fc.constantFrom(
  `"https://api.vendor.example/v1"`,
  `"https://a.enclave.eu.internal/x"`,
  "process.env.TARGET_URL",
  `\`https://\${region}.vendor.example/\``,
  `new URL("/x", BASE)`,
  `"https://enclave.eu.internal@evil.example/"`,
  "BASE + path",
);
const statement = fc.oneof(
  fc.tuple(source).map(([s]) => `console.log("value", ${s});`),
  fc.tuple(source, destination).map(([s, d]) => `await axios.post(${d}, { data: ${s} });`),
  fc.tuple(source, destination).map(([s, d]) => `await fetch(${d}, { method: "POST", body: JSON.stringify({ v: ${s} }) });`),
  fc.tuple(source).map(([s]) => `const copy = \`x \${${s}}\`; logger.info(copy);`),
  fc.tuple(source).map(([s]) => `wrap(${s});`),
  fc.tuple(source).map(([s]) => `if (${s}) { return ${s}; }`),
  fc.tuple(source).map(([s]) => `for (const k of [${s}]) { console.error(k); }`),
  fc.tuple(source).map(([s]) => `// flowgate-ignore-next-line leak-to-log -- test\nconsole.log(${s});`),
  fc.constantFrom("}", "{", "(", "`", '"', "/*", "@", "#!", "\u0000", "\u202e", ";;", "=>", "export default class {"),
);
const file = fc.array(statement, { minLength: 1, maxLength: 8 }).map(
  (body) =>
    `import axios from "axios";\nimport pino from "pino";\nconst logger = pino();\nconst BASE = "https://api.vendor.example";\n` +
    `declare const region: string, path: string, deviceId: string, lat: number;\n` +
    `function hash(v: unknown): string { return String(v).length.toString(); }\n` +
    `function wrap(v: unknown) { console.log(v); }\n` +
    `export async function handler(req: any, user: { email: string; name: string }, msisdn: string) {\n  ${body.join("\n  ")}\n}\n`,
);
/** A valid policy most of the time; one run in four carries one policy error of some kind (exit 2). */
const policyError = fc.constantFrom(
  "extends: nonexistent-pack\n",
  "vetted:\n  hosts: ['https://bad.example/']\n",
  "vetted:\n  hosts: ['a..b']\n",
  "sanitizers: ['not-a-reference']\n",
  "unknownKey: 1\n",
  "vetted: [\n",
);
const policy = fc
  .record({
    extends: fc.constantFrom(undefined, "recommended", "[]"),
    hosts: fc.array(fc.constantFrom("*.enclave.eu.internal", "api.vendor.example", "[fd00::1]:443", "10.0.0.7"), { maxLength: 3 }),
    sanitizers: fc.array(fc.constantFrom("src/a.ts#hash", "src/a.ts#wrap"), { maxLength: 2 }),
    extra: fc.constantFrom("", "include: ['src/**']\n", "exclude: ['src/b.ts']\n"),
    error: fc.oneof({ arbitrary: fc.constant(""), weight: 3 }, { arbitrary: policyError, weight: 1 }),
  })
  .map(({ extends: base, hosts, sanitizers, extra, error }) => {
    const lines: string[] = [];
    if (base !== undefined) lines.push(`extends: ${base}`);
    if (hosts.length > 0) lines.push(`vetted:\n  hosts: ${JSON.stringify(hosts)}`);
    if (sanitizers.length > 0) lines.push(`sanitizers: ${JSON.stringify(sanitizers)}`);
    return `${lines.join("\n")}\n${extra}${error}`;
  });

describe("random programs and policies", () => {
  it("always end with exit 0, 1 or 2 and write schema-valid, validator-clean SARIF", async () => {
    const sarifs: Log[] = [];
    const statuses = new Set<number | null>();
    await fc.assert(
      fc.asyncProperty(file, file, policy, async (a, b, config) => {
        const scan = await scanTree({ "flowgate.config.yaml": config, "src/a.ts": a, "src/b.ts": b });
        statuses.add(scan.status);
        expect(scan.stderr).not.toMatch(/internal error/);
        expect([0, 1, 2]).toContain(scan.status);
        if (scan.status === 2) expect(scan.sarifText).toBe("");
        else sarifs.push(scan.sarif);
      }),
      { numRuns: 16, seed: 20261129, endOnFailure: true },
    );
    expect([...statuses]).toContain(1); // the generator reaches findings…
    expect(statuses.has(2)).toBe(true); // …and policy errors
    expect(sarifs.length).toBeGreaterThan(0);

    const schema = JSON.parse(
      readFileSync(path.join(REPO_ROOT, "node_modules/@microsoft/sarif-multitool-linux/sarif-2.1.0.json"), "utf8"),
    ) as object;
    const validate = new Ajv2020({ strict: false, allErrors: true, validateFormats: false }).compile(schema);
    for (const sarif of sarifs) expect(validate(sarif) ? [] : validate.errors).toEqual([]);

    // one validator run over every run at once (its start-up dominates)
    const combined: Log = { ...(sarifs[0] as Log), runs: sarifs.flatMap((s) => s.runs) };
    const report = await validateSarif({ text: JSON.stringify(combined, null, 2) });
    expect(report.errors).toEqual([]);
    expect(report.warnings).toEqual([]);
  }, 240_000);
});
