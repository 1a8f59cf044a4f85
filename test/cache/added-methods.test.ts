import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scan } from "../../src/scan.js";
import type { ScanOptions } from "../../src/index.js";
import type { ScanResult } from "../../src/result.js";
import { createRepo, type TestRepo } from "../diff/support/git-repo.js";

// A class that only gained a method (declaration-hashes.ts `addedMethods`): the files importing it, and the files
// importing those, see the earlier class but for that method, so where their text never names the method they are not
// affected (affected-files.ts `carry`) — the generated gateways' `main.ts`, which imports every module's service, was
// analysed again for a method appended to one. A file naming the method (here a call the earlier class could not
// answer) is affected, and so is every change that is not a method added.

const SERVICE = [
  'import { post } from "./http";',
  "",
  "export class AccountService {",
  "  constructor(private readonly host: string) {}",
  "  send(body: unknown): void {",
  "    post(this.host, body);",
  "  }",
  "}",
  "",
].join("\n");

const TREE: Record<string, string> = {
  "flowgate.config.yaml": "extends: recommended\n",
  "tsconfig.json": `{ "compilerOptions": { "strict": true, "target": "ES2022", "module": "commonjs" } }\n`,
  "src/http.ts": 'export function post(url: string, body: unknown): void {\n  void fetch(url, { method: "POST", body: JSON.stringify(body) });\n}\n',
  "src/service.ts": SERVICE,
  // an importer of the class, imported in turn: its exported function is typed with the class
  "src/router.ts": [
    'import { AccountService } from "./service";',
    "",
    "export function route(service: AccountService, user: { phone: string; email: string }): void {",
    "  service.send(user.phone);",
    "}",
    "",
  ].join("\n"),
  "src/factory.ts": 'import { AccountService } from "./service";\n\nexport function make(): AccountService {\n  return new AccountService("https://crm.example.com");\n}\n',
  // calls a method the class does not have until a change adds it: names it
  "src/audit.ts": [
    'import type { AccountService } from "./service";',
    "",
    "export function audit(service: AccountService, user: { email: string }): void {",
    "  // @ts-expect-error: no such method until a change adds it",
    "  service.track(user.email);",
    "}",
    "",
  ].join("\n"),
  "src/main.ts": [
    'import { route } from "./router";',
    'import { audit } from "./audit";',
    'import { make } from "./factory";',
    "",
    "export function main(user: { phone: string; email: string }): void {",
    "  const service = make();",
    "  route(service, user);",
    "  audit(service, user);",
    "}",
    "",
  ].join("\n"),
};

const appended = (member: string) => SERVICE.replace(/}\n$/, `${member}\n}\n`);

/** Branches off main, each one change to service.ts. */
const CHANGES: Record<string, string> = {
  // a method nobody names: router.ts and main.ts are taken over
  method: appended("  close(): void {\n    void this.host;\n  }"),
  // a method audit.ts calls by name: a new leak there, so audit.ts (and main.ts, importing it) is redone
  named: appended('  track(v: string): void {\n    void fetch("https://audit.example.com", { method: "POST", body: v });\n  }'),
  // a field: not a method added (a field decides what data a value carries): its importers are redone as before
  field: appended("  readonly region = \"eu\";"),
  // the body of an existing method: every importer redone
  edited: SERVICE.replace("post(this.host, body);", "post(this.host, { body });"),
};

let repo: TestRepo;
let scratch: string;

beforeAll(() => {
  repo = createRepo(TREE);
  for (const [branch, text] of Object.entries(CHANGES)) repo.branch(branch, { "src/service.ts": text });
  scratch = mkdtempSync(path.join(os.tmpdir(), "flowgate-added-methods-"));
});

afterAll(() => {
  repo.remove();
  rmSync(scratch, { recursive: true, force: true });
});

function summary(result: ScanResult): string[] {
  return result.findings.map((f) => `${f.baselineState ?? "-"} ${f.ruleId} ${f.location.file}:${f.location.startLine} ${f.fingerprint} ${JSON.stringify((f.flows ?? []).map((flow) => flow.steps.map((step) => `${step.location.file}:${step.location.startLine}:${step.location.startColumn}`)))}`);
}

async function on(branch: string, options: Omit<ScanOptions, "root"> = {}): Promise<ScanResult> {
  repo.git("checkout", "-q", branch);
  try {
    return await scan({ root: repo.dir, ...options });
  } finally {
    repo.git("checkout", "-q", "main");
  }
}

describe("a class that only gained a method", () => {
  it("leaves its importers that never name the method taken over, with the findings and states of the runs without the cache", async () => {
    const cache = { dir: path.join(scratch, "entry") };
    await on("main", { cache });
    const analysed = new Map<string, number>();
    for (const branch of Object.keys(CHANGES)) {
      const cached = await on(branch, { cache: { ...cache, readOnly: true } });
      const plain = await on(branch);
      expect(summary(plain).length).toBeGreaterThan(0);
      expect(summary(cached), branch).toEqual(summary(plain));
      analysed.set(branch, cached.stats.functionsAnalysed);
      for (const newOnly of [true, false]) {
        const review = await on(branch, { base: "main", newOnly, cache: { ...cache, readOnly: true } });
        const scratchReview = await on(branch, { base: "main", newOnly, reuseAnalysis: false });
        expect(summary(review), `${branch} newOnly=${newOnly}`).toEqual(summary(scratchReview));
      }
    }
    // the method audit.ts calls is a new leak there, found with the cache as without it
    expect(summary(await on("named")).length).toBeGreaterThan(summary(await on("method")).length);
    // router.ts and main.ts taken over for the method nobody names; redone for the others
    expect(analysed.get("method")).toBeLessThan(analysed.get("field")!);
    expect(analysed.get("method")).toBeLessThan(analysed.get("named")!);
    expect(analysed.get("field")).toBe(analysed.get("edited"));
  });
});
