import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scan } from "../../src/scan.js";
import type { ScanOptions } from "../../src/index.js";
import type { ScanResult } from "../../src/result.js";
import { createRepo, type TestRepo } from "../diff/support/git-repo.js";
import { rewriteEntry } from "../support/cache-entry.js";

// A record that names a node of a changed file — here `controllers`, whose result holds the methods of a class the
// changed file exports — came back from the entry unfinished and was analysed again, whatever the change (jackson's
// one-line review spent half its time there). When the change leaves the statement holding the node as it was, in
// place (same full text, position, line and character; only exports that did not change), the new parse has the node
// at the same span with the same meaning to its importers, so the record is taken over (declaration-hashes.ts
// `keptStatements`, graph-codec.ts `keeps`); the changed file's own records are analysed again all the same.

const ADMIN = [
  'export const kind = "admin";',
  "",
  "export class AdminController {",
  "  constructor(private readonly label: string) {}",
  "  send(body: unknown): void {",
  '    void fetch("https://crm.example.com/collect", { method: "POST", body: JSON.stringify({ body, label: this.label }) });',
  "  }",
  "}",
  "",
].join("\n");

/** The policy and compiler settings both trees below scan with. */
const SETTINGS: Record<string, string> = {
  "flowgate.config.yaml": "extends: recommended\n",
  "tsconfig.json": `{ "compilerOptions": { "strict": true, "target": "ES2022", "module": "commonjs" } }\n`,
};

const TREE: Record<string, string> = {
  ...SETTINGS,
  "src/admin.ts": ADMIN,
  "src/index.ts": `import { AdminController } from "./admin";\n\nexport function controllers() {\n  const adminController = new AdminController("admin");\n  return { adminController };\n}\n`,
  "src/app.ts": `import { controllers } from "./index";\n\nexport function handler(user: { phone: string }): void {\n  controllers().adminController.send(user.phone);\n}\n`,
};

/** Branches off main, each one change to admin.ts. */
const CHANGES: Record<string, string> = {
  // after the class: the class stays where it was
  appended: `${ADMIN}export const version = 1;\n`,
  // before it: the class moves
  prepended: `export const version = 1;\n${ADMIN}`,
  // an export above it rewritten to the same length over two lines: the class at the same position, a line lower
  "same-position": ADMIN.replace('kind = "admin"', 'kind =\n"admin"'),
  // the class itself
  edited: ADMIN.replace("crm.example.com", "crm.example.org"),
  // a private helper after it: any export may have changed
  helper: `${ADMIN}function helper(): number {\n  return 1;\n}\n`,
};

let repo: TestRepo;
let scratch: string;

beforeAll(() => {
  repo = createRepo(TREE);
  for (const [branch, admin] of Object.entries(CHANGES)) repo.branch(branch, { "src/admin.ts": admin });
  scratch = mkdtempSync(path.join(os.tmpdir(), "flowgate-kept-statements-"));
});

afterAll(() => {
  repo.remove();
  rmSync(scratch, { recursive: true, force: true });
});

function summary(result: ScanResult): string[] {
  return result.findings.map((f) => `${f.baselineState ?? "-"} ${f.ruleId} ${f.location.file}:${f.location.startLine} ${f.fingerprint} ${JSON.stringify((f.flows ?? []).map((flow) => flow.steps.map((step) => `${step.location.file}:${step.location.startLine}:${step.location.startColumn}`)))}`);
}

/** A scan of `branch` of the repository (main checked out again after). */
async function onBranchOf(of: TestRepo, branch: string, options: Omit<ScanOptions, "root"> = {}): Promise<ScanResult> {
  of.git("checkout", "-q", branch);
  try {
    return await scan({ root: of.dir, ...options });
  } finally {
    of.git("checkout", "-q", "main");
  }
}

/** A repository of `tree` with a branch per change, each rewriting `file`: made before the block's tests, removed after. */
function branchesOf(tree: Record<string, string>, file: string, changes: Record<string, string>): () => TestRepo {
  let made: TestRepo | undefined;
  beforeAll(() => {
    made = createRepo(tree);
    for (const [branch, text] of Object.entries(changes)) made.branch(branch, { [file]: text });
  });
  afterAll(() => made?.remove());
  return () => made!;
}

/**
 * Each branch of `of` scanned from main's entry (kept in `cacheName`) and without the cache, and reviewed against main
 * both ways: the same findings and states each time. The functions each cached scan analysed, and each plain scan's
 * findings.
 */
async function againstRunsWithoutCache(of: TestRepo, branches: readonly string[], cacheName: string): Promise<{ analysed: Map<string, number>; found: Map<string, string[]> }> {
  const cache = { dir: path.join(scratch, cacheName) };
  await onBranchOf(of, "main", { cache });
  const analysed = new Map<string, number>();
  const found = new Map<string, string[]>();
  for (const branch of branches) {
    const cached = await onBranchOf(of, branch, { cache: { ...cache, readOnly: true } });
    const plain = await onBranchOf(of, branch);
    expect(summary(plain).some((s) => s.includes("src/http.ts"))).toBe(true);
    expect(summary(cached), branch).toEqual(summary(plain));
    analysed.set(branch, cached.stats.functionsAnalysed);
    found.set(branch, summary(plain));
    for (const newOnly of [true, false]) {
      const review = await onBranchOf(of, branch, { base: "main", newOnly, cache: { ...cache, readOnly: true } });
      const scratchReview = await onBranchOf(of, branch, { base: "main", newOnly, reuseAnalysis: false });
      expect(summary(review), `${branch} newOnly=${newOnly}`).toEqual(summary(scratchReview));
    }
  }
  return { analysed, found };
}

async function on(branch: string, options: Omit<ScanOptions, "root"> = {}): Promise<ScanResult> {
  return onBranchOf(repo, branch, options);
}

/** A cache folder holding main's entry. */
async function mainEntry(name: string): Promise<{ dir: string }> {
  const cache = { dir: path.join(scratch, name) };
  await on("main", { cache });
  return cache;
}

describe("a changed file's statements left in place", () => {
  it("keep their nodes: a record elsewhere naming one is taken over, with the findings of a scan without the cache", async () => {
    const cache = await mainEntry("kept");
    const analysed = new Map<string, number>();
    for (const branch of Object.keys(CHANGES)) {
      const cached = await on(branch, { cache: { ...cache, readOnly: true } });
      const plain = await on(branch);
      expect(summary(plain).some((s) => s.includes("src/app.ts") || s.includes("src/admin.ts"))).toBe(true);
      expect(summary(cached), branch).toEqual(summary(plain));
      analysed.set(branch, cached.stats.functionsAnalysed);
    }
    // controllers() is taken over only when the class stayed where it was, as it was
    const moved = analysed.get("prepended")!;
    expect(analysed.get("appended")).toBeLessThan(moved);
    expect(analysed.get("same-position")).toBe(moved);
    expect(analysed.get("edited")).toBeGreaterThanOrEqual(moved);
    expect(analysed.get("helper")).toBeGreaterThanOrEqual(moved);
  });

  it("give an update review the states of a review without the cache", async () => {
    const cache = await mainEntry("review");
    for (const branch of Object.keys(CHANGES)) {
      for (const newOnly of [true, false]) {
        const review = await on(branch, { base: "main", newOnly, cache: { ...cache, readOnly: true } });
        const scratchReview = await on(branch, { base: "main", newOnly, reuseAnalysis: false });
        expect(summary(review), `${branch} newOnly=${newOnly}`).toEqual(summary(scratchReview));
      }
    }
  });

  it("keep nothing when the entry's places are not in their form, and the scan finds what it finds without the cache", async () => {
    const cache = await mainEntry("malformed");
    rewriteEntry<{ declarations: Record<string, { placed: unknown }> }>(cache.dir, (body) => {
      body.declarations["src/admin.ts"]!.placed = "forged";
    });
    const cached = await on("appended", { cache: { ...cache, readOnly: true } });
    expect(summary(cached)).toEqual(summary(await on("appended")));
    const fresh = await mainEntry("fresh");
    const kept = await on("appended", { cache: { ...fresh, readOnly: true } });
    expect(cached.stats.functionsAnalysed).toBeGreaterThan(kept.stats.functionsAnalysed);
  });
});

// The changed file's own records (docs/update-review.md, "Statements a change left in place"): a function in a statement
// the change kept whole — the same text in place, mentioning no name the change reaches through the file's statements
// (a private helper naming a changed export is reached), the file's imports and private code unchanged, and no other
// changed file reaching the file (an import of a file the change affects) — is taken over; the rest is analysed again.
const ACCOUNT = [
  'import { post } from "./http";',
  'import { chosen, loadProfile } from "./greet";',
  "",
  'export const HOST = "https://crm.example.com";',
  "",
  "export type Contact = { phone: string };",
  "",
  "export class Calm {",
  "  send(body: unknown): void {",
  "    void body;",
  "  }",
  "}",
  "",
  "export class Loud {",
  "  send(body: unknown): void {",
  '    post("https://audit.example.com", body);',
  "  }",
  "}",
  "",
  "export type Chosen = Calm;",
  "",
  "export type Other = Calm;",
  "declare const other: Other;",
  "",
  "function target(): string {",
  '  return HOST + "/collect";',
  "}",
  "",
  "export class AccountController {",
  "  send(user: Contact): void {",
  "    post(target(), user.phone);",
  "  }",
  "  forward(user: { phone: string }): void {",
  "    this.send(user);",
  "  }",
  "  alert(): void {",
  "    const profile = loadProfile();",
  "    other.send(profile.phone);",
  "  }",
  "  notify(): void {",
  "    const profile = loadProfile();",
  "    chosen.send(profile.phone);",
  "  }",
  "}",
  "",
].join("\n");

const ACCOUNT_TREE: Record<string, string> = {
  ...SETTINGS,
  "src/account.ts": ACCOUNT,
  "src/http.ts": `export function post(url: string, body: unknown): void {\n  void fetch(url, { method: "POST", body: JSON.stringify(body) });\n}\n`,
  // its one declaration's type is the changed file's export: the changed file imports it back
  "src/greet.ts": `import type { Chosen } from "./account";\n\nexport declare const chosen: Chosen;\nexport declare function loadProfile(): { phone: string };\n`,
  "src/app.ts": `import { AccountController } from "./account";\n\nexport function handler(user: { phone: string }): void {\n  new AccountController().forward(user);\n}\n`,
};

/** Branches off main, each one change to account.ts. */
const ACCOUNT_CHANGES: Record<string, string> = {
  // an export appended: the class kept whole, its records taken over
  appended: `${ACCOUNT}export const version = 1;\n`,
  // an export the class does not name but the private helper it calls does: the helper's type and value follow it
  host: ACCOUNT.replace("crm.example.com", "crm.example.org"),
  // (each change below keeps the statements after it in place: the same length)
  // an export another file's declaration is typed with, and the class calls through that declaration: the change
  // reaches the class through the import of greet.ts alone (in notify, which nothing calls, chosen.send is Loud's now,
  // which sends the phone number out: a record taken over would not have that leak)
  chosen: ACCOUNT.replace("Chosen = Calm", "Chosen = Loud"),
  // an export the class does not name, but a private declaration it names is typed with (alert's other.send is Loud's)
  private: ACCOUNT.replace("Other = Calm", "Other = Loud"),
  // the type the class annotates a parameter with
  annotated: ACCOUNT.replace("Contact = { phone: string }", "Contact = { phone: number }"),
  // the imports edited (two swapped): any declaration may mean something else
  imports: ACCOUNT.replace('import { post } from "./http";\nimport { chosen, loadProfile } from "./greet";', 'import { chosen, loadProfile } from "./greet";\nimport { post } from "./http";'),
  // an export prepended: the class moved
  moved: `export const version = 1;\n${ACCOUNT}`,
};

describe("a changed file's own functions in statements its change kept whole", () => {
  const accounts = branchesOf(ACCOUNT_TREE, "src/account.ts", ACCOUNT_CHANGES);

  it("are taken over only when nothing but the change reaches them, with the findings and states of runs without the cache", async () => {
    const { analysed } = await againstRunsWithoutCache(accounts(), Object.keys(ACCOUNT_CHANGES), "accounts");
    // appended: the file's top level alone (the class's methods taken over, and the private helper `target`, in a
    // statement exporting nothing: format 18); every other change redoes them
    const appended = analysed.get("appended")!;
    expect(appended).toBe(1);
    for (const branch of ["host", "chosen", "private", "annotated", "imports", "moved"]) expect(analysed.get(branch), branch).toBeGreaterThanOrEqual(appended + 2);
  });
});

// A file whose calls dispatch into a changed file's classes (a call through an interface the changed class implements)
// was analysed again whatever the change (jackson's one-line review: typings.ts, declaring the interface
// AdminController implements). When the change only added exports that are no class or interface and that no class
// names (declaration-hashes.ts `typesKept`), the dispatch reaches the same bodies, and the file is not affected by it;
// a class added beside them is dispatched into (deliver's new leak), so that change reaches it.
const LOUD = [
  'import type { Sender } from "./sender";',
  'import { post } from "./http";',
  "",
  "export class LoudSender implements Sender {",
  "  send(body: unknown): void {",
  '    post("https://audit.example.com", body);',
  "  }",
  "}",
  "",
].join("\n");

const SENDER_TREE: Record<string, string> = {
  ...SETTINGS,
  "src/http.ts": `export function post(url: string, body: unknown): void {\n  void fetch(url, { method: "POST", body: JSON.stringify(body) });\n}\n`,
  "src/sender.ts": `export interface Sender {\n  send(body: unknown): void;\n}\n\nexport function deliver(sender: Sender, user: { phone: string }): void {\n  sender.send(user.phone);\n}\n`,
  "src/loud.ts": LOUD,
  "src/app.ts": `import { deliver } from "./sender";\nimport { LoudSender } from "./loud";\n\nexport function handler(user: { phone: string }): void {\n  deliver(new LoudSender(), user);\n}\n`,
};

const SENDER_CHANGES: Record<string, string> = {
  // an export appended beside the class: sender.ts dispatches into the same bodies
  appended: `${LOUD}export const version = 1;\n`,
  // a second implementation appended: deliver's call now runs it too
  implementation: `${LOUD}export class EchoSender implements Sender {\n  send(body: unknown): void {\n    void fetch("https://echo.example.com", { method: "POST", body: JSON.stringify(body) });\n  }\n}\n`,
  // the class's body edited
  edited: LOUD.replace("audit.example.com", "audit.example.org"),
};

describe("the files dispatching into a changed file's classes", () => {
  const senders = branchesOf(SENDER_TREE, "src/loud.ts", SENDER_CHANGES);

  it("are not affected by a change that left its classes as they were, with the findings and states of runs without the cache", async () => {
    const { analysed, found } = await againstRunsWithoutCache(senders(), Object.keys(SENDER_CHANGES), "senders");
    // the added implementation is a new leak through deliver (its own door in loud.ts), which only a redone sender.ts finds
    expect(found.get("implementation")!.filter((s) => s.split(" ")[2]!.startsWith("src/loud.ts:")).length).toBeGreaterThan(0);
    expect(found.get("appended")!.filter((s) => s.split(" ")[2]!.startsWith("src/loud.ts:"))).toHaveLength(0);
    // appended: loud.ts's top level alone (before: sender.ts's top level and deliver too)
    expect(analysed.get("appended")).toBe(1);
    expect(analysed.get("implementation")!).toBeGreaterThanOrEqual(3);
  });
});
