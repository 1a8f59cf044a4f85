import type { Random } from "./random.js";
import type { Field, ModuleSpec } from "./gateway-model.js";

/**
 * The service methods of a generated module: each one moves a field value into an egress point by one of the shapes
 * real gateways use (Nest Logger, pino, console, HttpService, axios instances, a fetch wrapper, promise chains,
 * callbacks, URLSearchParams, spreads, rest destructuring, helper chains across modules, a CommonJS module, a vetted
 * door). The outcome decides what the value is: a restricted field to an unvetted place (a leak), an ordinary field
 * (clean), a restricted field to the enclave (vetted) or through a hash (sanitised).
 */
export type Outcome = "leak" | "clean" | "vetted" | "sanitized";

export interface Method {
  lines: string[];
  /** How the controller calls it with its request body `body` (a DTO). */
  call: string;
  outcome: Outcome;
}

interface MethodContext {
  spec: ModuleSpec;
  rng: Random;
  name: string;
  outcome: Outcome;
  field: Field;
  /** The field's value as a string expression on the object named `v`. */
  value: (v: string) => string;
}

type Template = (ctx: MethodContext) => Method;

/** A string expression for `v.field`, whatever the field's type. */
export function stringOf(v: string, field: Field): string {
  const access = `${v}.${field.name}`;
  switch (field.type) {
    case "string":
      return access;
    case "GeoPoint":
      return `\`\${${access}.lat},\${${access}.lng}\``;
    case "Date":
      return `${access}.toISOString()`;
    case "string[]":
      return `${access}.join(",")`;
    default:
      return `String(${access})`;
  }
}

const VERBS = ["Sync", "Publish", "Report", "Track", "Export", "Notify", "Refresh", "Archive", "Mirror", "Forward"];

const nestLog: Template = ({ spec, name, outcome, value }) => ({
  outcome,
  call: `await this.service.${name}(body);`,
  lines: [
    `  async ${name}(v: ${spec.pascal}Dto): Promise<void> {`,
    `    const started = Date.now();`,
    `    this.logger.log(\`${name} \${v.id}: \${${value("v")}}\`);`,
    `    if (v.status === "blocked") {`,
    `      this.logger.warn(\`blocked ${spec.pascal} \${v.id}\`);`,
    `      return;`,
    `    }`,
    `    this.logger.debug(\`${name} took \${Date.now() - started}ms\`);`,
    `  }`,
  ],
});

const pinoLog: Template = ({ spec, name, outcome, value }) => ({
  outcome,
  call: `await this.service.${name}(body.id);`,
  lines: [
    `  async ${name}(id: string): Promise<boolean> {`,
    `    const entity = await this.load(id);`,
    `    if (!entity) {`,
    `      logger.warn({ id }, "${spec.name} not found");`,
    `      return false;`,
    `    }`,
    `    const detail = ${value("entity")};`,
    `    logger.info({ ${spec.name.replace(/-/g, "")}Id: entity.id, detail }, "${name}");`,
    `    return true;`,
    `  }`,
  ],
});

const httpServicePost: Template = ({ spec, name, outcome, value }) => ({
  outcome,
  call: `await this.service.${name}(body);`,
  lines: [
    `  async ${name}(v: ${spec.pascal}Dto): Promise<number> {`,
    `    const payload = { id: v.id, value: ${value("v")}, sentAt: new Date().toISOString() };`,
    `    const response = await firstValueFrom(`,
    `      this.http.post(\`\${${outcome === "vetted" ? "ENCLAVE_API_URL" : "PARTNER_API_URL"}}/v1/${spec.name}/events\`, payload),`,
    `    );`,
    `    return response.status;`,
    `  }`,
  ],
});

const axiosInstancePost: Template = ({ spec, name, outcome, value }) => ({
  outcome,
  call: `await this.service.${name}(body);`,
  lines: [
    `  async ${name}(v: ${spec.pascal}Dto): Promise<string> {`,
    `    const client = ${outcome === "vetted" ? "enclaveClient" : "partnerClient"};`,
    `    const { data } = await client.post<{ ref: string }>("/${spec.name}/sync", {`,
    `      ref: v.id,`,
    `      contact: ${value("v")},`,
    `    });`,
    `    return data.ref;`,
    `  }`,
  ],
});

const fetchWrapper: Template = ({ spec, name, outcome, value }) => ({
  outcome,
  call: `await this.service.${name}(body);`,
  lines: [
    `  async ${name}(v: ${spec.pascal}Dto): Promise<boolean> {`,
    `    const url = ${outcome === "vetted" ? "ENCLAVE_API_URL" : "ANALYTICS_URL"} + "/collect";`,
    `    try {`,
    `      const result = await postJson<{ ok: boolean }>(url, { kind: "${spec.name}.${name}", value: ${value("v")} });`,
    `      return result.ok;`,
    `    } catch (error) {`,
    `      console.error("${name} failed", error instanceof Error ? error.message : error);`,
    `      return false;`,
    `    }`,
    `  }`,
  ],
});

const promiseChain: Template = ({ name, outcome, value }) => ({
  outcome: outcome === "vetted" ? "sanitized" : outcome,
  call: `await this.service.${name}(body.id);`,
  lines: [
    `  ${name}(id: string): Promise<void> {`,
    `    return this.load(id).then((entity) => {`,
    `      if (!entity) return;`,
    `      console.info("${name}", entity.id, ${outcome === "vetted" ? `hashValue(${value("entity")})` : value("entity")});`,
    `    });`,
    `  }`,
  ],
});

const batchExport: Template = ({ spec, name, outcome, value }) => ({
  outcome,
  call: `await this.service.${name}([body]);`,
  lines: [
    `  async ${name}(items: ${spec.pascal}Dto[]): Promise<number> {`,
    `    const rows = items.filter((item) => item.status !== "blocked").map((item) => ({ id: item.id, value: ${value("item")} }));`,
    `    rows.forEach((row) => logger.debug({ row: row.id }, "exporting"));`,
    `    const { data } = await ${outcome === "vetted" ? "enclaveClient" : "partnerClient"}.post<{ accepted: number }>("/${spec.name}/batch", { rows });`,
    `    return data.accepted;`,
    `  }`,
  ],
});

const searchParams: Template = ({ spec, name, outcome, value }) => ({
  outcome,
  call: `await this.service.${name}(body);`,
  lines: [
    `  async ${name}(v: ${spec.pascal}Dto): Promise<string[]> {`,
    `    const params = new URLSearchParams({ ref: v.id, q: ${value("v")} });`,
    `    const client = ${outcome === "vetted" ? "enclaveClient" : "partnerClient"};`,
    `    const response = await client.get<string[]>(\`/${spec.name}/search?\${params.toString()}\`);`,
    `    return response.data ?? [];`,
    `  }`,
  ],
});

/** `const { secret, ...rest } = v`: the rest is clean when every restricted field is taken out. */
const restPayload: Template = ({ spec, name, outcome }) => {
  const keep = outcome === "leak" ? spec.restricted.slice(1) : spec.restricted;
  const omitted = keep.map((f, i) => `${f.name}: _omit${i}`).join(", ");
  return {
    outcome: outcome === "leak" && spec.restricted.length > 1 ? "leak" : "clean",
    call: `await this.service.${name}(body);`,
    lines: [
      `  async ${name}(v: ${spec.pascal}Dto): Promise<void> {`,
      keep.length > 0 ? `    const { ${omitted}, ...rest } = v;` : `    const rest = { ...v };`,
      `    await partnerClient.put(\`/${spec.name}/\${encodeURIComponent(v.id)}\`, rest);`,
      `  }`,
    ],
  };
};

const spreadPayload: Template = ({ spec, name, outcome }) => ({
  outcome: outcome === "leak" ? "leak" : "clean",
  call: `await this.service.${name}(body);`,
  lines: [
    `  async ${name}(v: ${spec.pascal}Dto): Promise<void> {`,
    outcome === "leak"
      ? `    const event = { ...v, source: "gateway", at: Date.now() };`
      : `    const event = { ...to${spec.pascal}Summary(v), source: "gateway", at: Date.now() };`,
    `    await postJson(ANALYTICS_URL + "/events", event);`,
    `  }`,
  ],
});

const helperChain: Template = ({ spec, name, outcome, value }) => ({
  outcome,
  call: `this.service.${name}(body);`,
  lines: [
    `  ${name}(v: ${spec.pascal}Dto): string {`,
    `    const label = format${spec.pascal}(${outcome === "vetted" ? `hashValue(${value("v")})` : value("v")});`,
    `    logger.info({ label }, "${spec.name} ${name}");`,
    `    return label;`,
    `  }`,
  ],
});

const stringified: Template = ({ spec, name, outcome }) => ({
  outcome: outcome === "leak" ? "leak" : "clean",
  call: `this.service.${name}(body);`,
  lines: [
    `  ${name}(v: ${spec.pascal}Dto): void {`,
    `    const snapshot = JSON.stringify(${outcome === "leak" ? "v" : `to${spec.pascal}Summary(v)`});`,
    `    console.log(\`${spec.name} snapshot: \${snapshot}\`);`,
    `  }`,
  ],
});

const vettedDoor: Template = ({ spec, name, outcome }) => ({
  outcome: "vetted",
  call: `await this.service.${name}(body);`,
  lines: [
    `  async ${name}(v: ${spec.pascal}Dto): Promise<void> {`,
    `    // The enclave door is listed in vetted.calls: what goes through it stays inside.`,
    `    await sendToEnclave("/${spec.name}/${outcome}", normalize${spec.pascal}(v));`,
    `  }`,
  ],
});

const TEMPLATES: readonly (readonly [Template, number])[] = [
  [nestLog, 3],
  [pinoLog, 3],
  [httpServicePost, 3],
  [axiosInstancePost, 3],
  [fetchWrapper, 2],
  [promiseChain, 2],
  [batchExport, 2],
  [searchParams, 2],
  [restPayload, 1],
  [spreadPayload, 1],
  [helperChain, 3],
  [stringified, 1],
  [vettedDoor, 1],
];

export function planMethods(spec: ModuleSpec, rng: Random): Method[] {
  const count = rng.int(6, 14);
  const methods: Method[] = [];
  for (let i = 0; i < count; i++) {
    const outcome = rng.weighted<Outcome>([
      ["leak", 2],
      ["clean", 5],
      ["vetted", 2],
      ["sanitized", 2],
    ]);
    const field = outcome === "clean" ? rng.pick(spec.ordinary) : rng.pick(spec.restricted);
    const plain = (v: string) => stringOf(v, field);
    const value = outcome === "sanitized" ? (v: string) => `hashValue(${plain(v)})` : plain;
    const template = rng.weighted(TEMPLATES);
    const name = `${rng.pick(VERBS).toLowerCase()}${rng.pick(VERBS)}${i}`;
    methods.push(template({ spec, rng, name, outcome, field, value }));
  }
  if (spec.legacy) {
    const raw = rng.chance(0.4);
    methods.push({
      outcome: raw ? "leak" : "clean",
      call: `await this.service.auditLegacy(body);`,
      lines: [
        `  async auditLegacy(v: ${spec.pascal}Dto): Promise<void> {`,
        raw
          ? `    await sendRawAudit({ type: "${spec.name}", record: v });`
          : `    await sendAudit({ type: "${spec.name}", actorId: v.id });`,
        `  }`,
      ],
    });
  }
  return methods;
}
