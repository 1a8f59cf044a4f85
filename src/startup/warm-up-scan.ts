import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { scan, type ScanOptions } from "../scan.js";
import type { ScanResult } from "../result.js";
import { renderSarif } from "../report/sarif.js";
import { renderText } from "../report/text.js";

/**
 * The code a scan runs after loading — the model compiled, the engine over functions, calls, callbacks, classes and
 * sinks, the findings and the reports — and the code a cached update review runs besides (the cache entry written, then
 * read, checked and decoded, the affected files, the narrow checker, the base's reuse), run once while the startup
 * snapshot is made, on a sample gateway of flowgate's own, so V8 has compiled it when the snapshot is taken: a function
 * first called in a process started from the snapshot is compiled then (docs/performance.md, session 41). Through the
 * library's `scan()`, as a user's program would: nothing is left open (no child process — the review's base comes from
 * a patch, not git — no timer, no `gc` switch), and nothing outside the temporary folder is read or written. The scan
 * keeps nothing: the per-scan state is dropped with the results, and the per-process memos it fills are the ones every
 * scan of the process shares (the lib files, the shipped packs). A warm-up that finds nothing did not run the engine
 * over the sample: the snapshot's build fails.
 */
export async function warmUpScans(): Promise<{ full: ScanResult; review: ScanResult }> {
  const root = mkdtempSync(path.join(os.tmpdir(), "flowgate-warm-up-"));
  try {
    const tree = path.join(root, "gateway");
    for (const [file, text] of Object.entries(SAMPLE_GATEWAY)) write(path.join(tree, file), text);
    const cache = { dir: path.join(root, "cache") };
    const options: ScanOptions = { root: tree };
    // the CLI's default grouping (a finding per door) for the full scan, the corpus harness's (per flow) for the review
    const full = expectFindings(await scan({ ...options, cache }), "the full scan");
    renderText(full, { color: true });
    // the update: one line appended to a file, as the corpus harness's review makes it
    write(path.join(tree, CHANGED_FILE), `${SAMPLE_GATEWAY[CHANGED_FILE]}${APPENDED_LINE}\n`);
    const patch = path.join(root, "update.patch");
    write(patch, appendedLinePatch());
    const review = expectFindings(
      await scan({ ...options, granularity: "flow", diff: patch, newOnly: false, cache: { ...cache, readOnly: true } }),
      "the cached update review",
    );
    renderSarif(review, { category: "flowgate/" });
    return { full, review };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

function write(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

function expectFindings(result: ScanResult, what: string): ScanResult {
  if (result.findings.length === 0) throw new Error(`the startup snapshot's warm-up: ${what} of the sample gateway found nothing`);
  return result;
}

const CHANGED_FILE = "src/notify/notifier.service.ts";
const APPENDED_LINE = "export const NOTIFIER_VERSION = 2;";

/** The unified diff of the update above (git's form, one hunk after the file's last line). */
function appendedLinePatch(): string {
  const lines = SAMPLE_GATEWAY[CHANGED_FILE]!.split("\n").length - 1;
  return (
    `diff --git a/${CHANGED_FILE} b/${CHANGED_FILE}\n--- a/${CHANGED_FILE}\n+++ b/${CHANGED_FILE}\n` +
    `@@ -${lines},0 +${lines + 1} @@\n+${APPENDED_LINE}\n`
  );
}

/**
 * A gateway in the shape of the servers flowgate reviews: a policy, a tsconfig, a `.gitignore`, an injected HTTP client,
 * a logger, wrappers called with restricted and with clean data, callbacks, a class hierarchy, a store, a sanitizer,
 * a barrel and a CommonJS module. Its policy extends `recommended` and adds no `sinks:`, as most policies do: what a run
 * works out from the models (model/per-models.ts) is then the snapshot's for every such policy.
 */
const SAMPLE_GATEWAY: Readonly<Record<string, string>> = {
  "flowgate.config.yaml": `extends: recommended
dataClasses:
  - id: subscriber-id
    description: Subscriber ids
    names: [msisdn]
sanitizers: ["src/privacy.ts#redact"]
vetted:
  hosts: ["*.enclave.internal"]
exclude: ["**/*.test.ts"]
`,
  ".gitignore": "node_modules\n/build/\n*.log\n",
  "tsconfig.json": `{ "compilerOptions": { "target": "ES2022", "module": "NodeNext", "strict": true, "baseUrl": ".", "paths": { "@/*": ["src/*"] } }, "include": ["src"] }\n`,
  "src/privacy.ts": `import { createHash } from "node:crypto";
export function redact(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}
`,
  "src/users/user.ts": `export interface Profile { email: string; city?: string }
export interface User { id: string; phone: string; msisdn?: string; profile: Profile; ip?: string }
export abstract class Repository<T extends { id: string }> {
  protected readonly rows = new Map<string, T>();
  save(row: T): T { this.rows.set(row.id, row); return row; }
  find(id: string): T | undefined { return this.rows.get(id); }
  all(): T[] { return [...this.rows.values()]; }
}
export class UserRepository extends Repository<User> {
  byPhone(phone: string): User | undefined { return this.all().find((user) => user.phone === phone); }
}
`,
  "src/users/index.ts": `export * from "./user";
export { redact } from "../privacy";
`,
  "src/http/client.ts": `import axios, { type AxiosInstance } from "axios";
export class HttpService {
  private readonly client: AxiosInstance;
  constructor(baseURL = process.env.CRM_URL ?? "https://crm.example.com") { this.client = axios.create({ baseURL }); }
  post<T>(url: string, body: unknown): Promise<T> { return this.client.post<T>(url, body).then((response) => response.data); }
}
export async function postJson(url: string, payload: object): Promise<Response> {
  return fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(payload) });
}
`,
  "src/log.ts": `const prefix = "[gateway]";
export function log(message: string, ...rest: unknown[]): void {
  console.log(\`\${prefix} \${message}\`, ...rest);
}
module.exports.verbose = (line: string) => process.stdout.write(line + "\\n");
`,
  [CHANGED_FILE]: `import { Injectable } from "@nestjs/common";
import { HttpService, postJson } from "../http/client";
import { UserRepository, redact, type User } from "../users";
import { log } from "../log";

@Injectable()
export class NotifierService {
  private readonly sent: string[] = [];
  constructor(private readonly http: HttpService, private readonly users: UserRepository) {}

  async notify(id: string, text: string): Promise<void> {
    const user = this.users.find(id);
    if (!user) return;
    const { phone, ...rest } = user;
    await this.http.post("https://sms.example.com/send", { to: phone, text });
    await postJson("https://relay.enclave.internal/sms", { to: phone });
    await postJson("https://audit.example.org/notified", { user: rest.id, hashed: redact(phone) });
    this.sent.push(user.profile.email);
    log("notified", rest.profile);
  }

  broadcast(users: User[]): Promise<void[]> {
    return Promise.all(users.filter((user) => user.msisdn !== undefined).map((user) => this.notify(user.id, \`hello \${user.msisdn}\`)));
  }

  report(): void {
    for (const email of this.sent) log(email.length > 3 ? "sent" : email);
    this.sent.forEach((email, index) => {
      if (index > 10) return;
      log("recent", { email });
    });
  }
}
`,
  "src/controller.ts": `import type { Request, Response } from "express";
import { NotifierService } from "./notify/notifier.service";
import { log } from "./log";
export class Controller {
  constructor(private readonly notifier: NotifierService) {}
  async handle(req: Request, res: Response): Promise<void> {
    log("request from", req.ip);
    try {
      await this.notifier.notify(String(req.params.id), req.body?.text ?? "");
      res.json({ ok: true });
    } catch (error) {
      log("failed", error instanceof Error ? error.message : String(error));
      res.status(500).end();
    }
  }
}
`,
  "src/controller.test.ts": `import { Controller } from "./controller";
console.log(Controller.name, { phone: "+1555" });
`,
};
