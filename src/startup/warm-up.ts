import ignore from "ignore";
import { ts } from "ts-morph";
import { loadPolicy } from "../config/load-policy.js";
import { knownModels, knownPacks, loadShippedModel, loadShippedPack } from "../config/packs.js";
import { shippedSchemas } from "../config/schema-validation.js";
import { engineIdentity } from "../cache/cache-key.js";
import { loadRuleCatalog } from "../findings/rule-catalog.js";
import { effectiveOptions } from "../workspace/compiler-options.js";
import { DEFAULT_EXCLUDES } from "../workspace/find-files.js";
import { nestingDepth } from "../workspace/nesting.js";
import { pathGlobs } from "../workspace/path-globs.js";
import { lazyProgram, parseSource } from "../workspace/program.js";

/**
 * What every scan computes first, computed once into the startup snapshot (bundle.ts) so a process started from it
 * begins past it: the shipped schemas compiled, every built-in pack and library model and the rule catalogue loaded
 * (each through its per-process memo, config/shipped.ts), and ECMAScript's lib files parsed and bound (lib-files.ts) by
 * the checker of a program over one empty file, and the hash of flowgate's own code and rules that names a cache
 * entry's environment (cache-key.ts). Only flowgate's own files are read; nothing of a scanned project. Then the code
 * every scan runs on its way in is run once on flowgate's own samples (runEntryPaths).
 */
export function warmUp(): void {
  const schemas = shippedSchemas();
  void [schemas["flowgate.config"], schemas.pack, schemas.model];
  for (const name of knownPacks()) loadShippedPack(name);
  for (const name of knownModels()) loadShippedModel(name);
  loadRuleCatalog();
  engineIdentity();
  bindLibFiles();
  runEntryPaths();
}

function bindLibFiles(): void {
  const root = "/__flowgate__/warm-up";
  const empty = ts.createSourceFile(`${root}/empty.ts`, "export {};\n", ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const access = lazyProgram({
    root,
    files: [{ fileName: empty.fileName, sourceFile: empty }],
    options: effectiveOptions(undefined),
    resolve: (specifiers) => specifiers.map(() => undefined),
  });
  // Creating the checker binds every file of the program, the lib files among them, and merges their globals.
  access.checker();
}

const WARM_ROOT = "/__flowgate__/warm-up";

/**
 * The code every scan runs before its analysis, run here on samples so V8 has compiled it when the snapshot is taken:
 * a function first called in a process started from the snapshot is compiled then (its source parsed, its bytecode
 * made), and the snapshot keeps the code of what ran while it was made. A run's policy (the YAML parser, the schema's
 * validator, the packs merged), the listing's globs and `.gitignore` rules, the bracket count, the parse of code with
 * bodies (the lib files have none) and a tsconfig's options were compiled by every scan before (the YAML parser alone
 * 40–50 ms at first use, 2–15 ms once the warm-up ran it: docs/performance.md, session 40). Nothing is read from disk
 * and nothing is kept but the compiled code: the results are dropped.
 */
function runEntryPaths(): void {
  loadPolicy({ root: WARM_ROOT, source: { description: "warm-up", read: (file) => (file === "flowgate.config.yaml" ? SAMPLE_POLICY : undefined) } });
  const excluded = pathGlobs([...DEFAULT_EXCLUDES, "**/*.test.ts", "**/__tests__/**", "src/**", "src/**/*.gen.ts"]);
  const ignored = ignore().add(SAMPLE_IGNORE);
  for (const path of ["src", "src/app.ts", "src/app.test.ts", "node_modules", "build/", "src/generated/a.gen.ts", ".env"]) {
    excluded(path);
    ignored.test(path);
  }
  nestingDepth(SAMPLE_SOURCE);
  parseSource(`${WARM_ROOT}/sample.ts`, SAMPLE_SOURCE);
  const base = `${WARM_ROOT}/tsconfig.base.json`;
  const host: ts.ParseConfigHost = {
    useCaseSensitiveFileNames: true,
    readDirectory: () => [],
    fileExists: (file) => file === base,
    readFile: (file) => (file === base ? SAMPLE_TSCONFIG_TEXT : undefined),
  };
  ts.parseJsonConfigFileContent(SAMPLE_TSCONFIG, host, WARM_ROOT, undefined, `${WARM_ROOT}/tsconfig.json`);
  // a config in strict JSON is read with JSON.parse (workspace/tsconfigs.ts): TypeScript's JSON reader, which reads one
  // with comments or trailing commas and every base a config extends, is run here on such a text
  const read = ts.parseConfigFileTextToJson(`${WARM_ROOT}/packages/api/tsconfig.json`, SAMPLE_EXTENDING_TSCONFIG);
  ts.parseJsonConfigFileContent(read.config, host, `${WARM_ROOT}/packages/api`, undefined, `${WARM_ROOT}/packages/api/tsconfig.json`, undefined, undefined, new Map());
}

const SAMPLE_POLICY = `extends: recommended
dataClasses:
  - id: subscriber-id
    description: Subscriber ids
    names: [msisdn, subscriberId]
    types: [Subscriber]
    tags: [restricted]
sinks:
  - { id: audit-export, kind: network, call: "src/audit.ts#exportRecord", argument: 0 }
sanitizers: ["src/privacy.ts#redact"]
vetted:
  hosts:
    - "*.enclave.eu.internal"
    - { host: api.example.com, classes: [email-address] }
  calls: ["src/enclave.ts#EnclaveClient.send"]
packages:
  local: [in-house-formatter]
include: ["src/**"]
exclude: ["**/*.test.ts"]
`;

const SAMPLE_IGNORE = "node_modules\n/build/\n*.log\n.env*\n!.env.example\nsrc/**/generated/\n# a comment\n";

const SAMPLE_TSCONFIG = {
  compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, baseUrl: ".", paths: { "@/*": ["src/*"] }, outDir: "build" },
  include: ["src"],
};

/** A base config as monorepos write them: comments and trailing commas. */
const SAMPLE_TSCONFIG_TEXT = `{
  // shared by every package
  "compilerOptions": { "target": "ES2022", "strict": true, "paths": { "@/*": ["src/*"], }, },
  "exclude": ["node_modules", "dist"],
}
`;

const SAMPLE_EXTENDING_TSCONFIG = `{ /* the package's own */ "extends": "../../tsconfig.base.json", "compilerOptions": { "outDir": "dist" }, }\n`;

/** A gateway-like module: the statements, expressions and declarations the parser meets in real code. */
const SAMPLE_SOURCE = `import axios, { type AxiosInstance } from "axios";
import * as crypto from "node:crypto";
import { Injectable } from "@nestjs/common";
export { redact } from "./privacy";
export * from "./types";
const client: AxiosInstance = axios.create({ baseURL: \`https://\${process.env.HOST ?? "api.example.com"}/v1\` });
export interface User { id: string; phone?: string; profile: { email: string }; [key: string]: unknown }
export type Handler<T = unknown> = (input: T, ...rest: readonly string[]) => Promise<void> | void;
enum Level { Low = 1, High }
declare global { interface Window { flag: boolean } }
/** @restricted phone-number */
@Injectable()
export class Notifier<T extends User> extends Base implements Sender {
  static readonly retries = 3;
  #secret = "";
  private cache = new Map<string, T>();
  constructor(private readonly http: HttpService, public name?: string) { super(); }
  get size(): number { return this.cache.size; }
  async notify(user: T, { force = false, ...options }: Options = {}): Promise<string | undefined> {
    const { phone, ...rest } = user;
    for (const [key, value] of Object.entries(rest)) if (value === undefined) delete (rest as Record<string, unknown>)[key];
    for (let i = 0; i < Notifier.retries; i++) {
      try {
        const response = await client.post<{ id: string }>("/notify", { to: phone, body: JSON.stringify(rest), force, ...options });
        return response.data?.id ?? undefined;
      } catch (error: unknown) {
        if (!(error instanceof Error) || i === Notifier.retries - 1) throw error;
        continue;
      } finally {
        this.cache.set(user.id, user as T);
      }
    }
    switch (typeof user.profile.email) {
      case "string": return user.profile.email.replace(/@.*$/u, "@redacted");
      default: break;
    }
    const hashed = [phone].filter(Boolean).map((value) => crypto.createHash("sha256").update(value!).digest("hex"));
    label: while (hashed.length > 0) { if (hashed.pop()) break label; }
    return hashed.length > 1 ? hashed[0] : void 0;
  }
}
export default function handler(request: { ip: string; headers: Record<string, string> }): void {
  const log = (message: string) => console.log(\`[\${new Date().toISOString()}] \${message}\`);
  log(request.ip as string satisfies string);
  do { log(request.headers["x-forwarded-for"] || "none"); } while (false);
  const id = <const T,>(value: T) => value;
  void id?.(1n + BigInt(2) ** 3n);
  module.exports = { handler, Level };
}
`;
