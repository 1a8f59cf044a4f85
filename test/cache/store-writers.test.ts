import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scan } from "../../src/scan.js";
import type { ScanResult } from "../../src/result.js";
import { createRepo, type TestRepo } from "../diff/support/git-repo.js";

// A flow-insensitive store (a module binding) written by functions in files that do not import each other: what one
// analysis takes over from an earlier one must keep every writer's part of the store, however many runs ago that
// writer was last analysed. The default branch's CI runs chain entries (each run starts from the previous entry and
// writes its own), and a pull request's review starts from the last of them.

const TREE: Record<string, string> = {
  "flowgate.config.yaml": "extends: recommended\n",
  "tsconfig.json": `{ "compilerOptions": { "strict": true, "target": "ES2022", "module": "commonjs" } }\n`,
  "src/registry.ts": `export const registry: { last?: string } = {};\n`,
  "src/audit.ts": `export const audit: { who?: string; contact?: string } = {};\n`,
  // A writes the registry; C reads it and writes the audit record; D writes the audit record too; R logs it
  "src/a.ts": `import { registry } from "./registry";\n\nexport function rememberA(user: { id: string; phone: string }): void {\n  registry.last = user.id;\n}\n`,
  "src/c.ts": `import { registry } from "./registry";\nimport { audit } from "./audit";\n\nexport function copyC(): void {\n  audit.who = registry.last;\n}\n`,
  "src/d.ts": `import { audit } from "./audit";\n\nexport function contactD(user: { email: string }): void {\n  audit.contact = user.email;\n}\n`,
  "src/r.ts": `import { audit } from "./audit";\n\nexport function reportR(): void {\n  console.log("audit", audit.contact);\n}\n`,
};

let repo: TestRepo;
let scratch: string;

beforeAll(() => {
  repo = createRepo(TREE);
  // 1: A writes another field of the user: the registry's value changes, so C (its reader) is analysed again and
  //    writes the audit record, while D, untouched, is taken over
  repo.commit("a", { "src/a.ts": TREE["src/a.ts"]!.replace("user.id", "user.phone") });
  // 2: C edited: the audit record is rebuilt, and D's part of it (the e-mail address R logs) must still be there
  repo.commit("c", { "src/c.ts": TREE["src/c.ts"]!.replace("audit.who = registry.last;", "audit.who = registry.last ?? \"none\";") });
  scratch = mkdtempSync(path.join(os.tmpdir(), "flowgate-store-writers-"));
});

afterAll(() => {
  repo.remove();
  rmSync(scratch, { recursive: true, force: true });
});

function summary(result: ScanResult): string[] {
  return result.findings.map((f) => `${f.baselineState ?? "-"} ${f.ruleId} ${f.location.file}:${f.location.startLine} ${f.fingerprint}`);
}

describe("a store's writers, across chained cache entries", () => {
  it("a full scan from an entry written by a run that started from an earlier entry finds what a scan without the cache finds", async () => {
    const cache = { dir: path.join(scratch, "chain") };
    const [first, second] = repo.git("rev-list", "--reverse", "main").trim().split("\n");
    for (const at of [first!, second!]) {
      repo.git("checkout", "-q", at);
      await scan({ root: repo.dir, cache });
    }
    repo.git("checkout", "-q", "main");
    const plain = await scan({ root: repo.dir });
    expect(summary(plain).some((s) => s.includes("src/r.ts"))).toBe(true);
    const cached = await scan({ root: repo.dir, cache: { ...cache, readOnly: true } });
    expect(summary(cached)).toEqual(summary(plain));
    // and an update review of the last commit from the entry of its base
    const review = await scan({ root: repo.dir, base: "HEAD~1", newOnly: false, cache: { ...cache, readOnly: true } });
    const scratchReview = await scan({ root: repo.dir, base: "HEAD~1", newOnly: false, reuseAnalysis: false });
    expect(summary(review)).toEqual(summary(scratchReview));
  });

  it("an update review whose base takes the head's analysis over gives the states of a review without it", async () => {
    repo.git("checkout", "-q", "main");
    const review = await scan({ root: repo.dir, base: "HEAD~1", newOnly: false });
    const scratchReview = await scan({ root: repo.dir, base: "HEAD~1", newOnly: false, reuseAnalysis: false });
    expect(summary(review)).toEqual(summary(scratchReview));
    expect(summary(review).some((s) => s.startsWith("unchanged") && s.includes("src/r.ts"))).toBe(true);
  });
});

describe("a class's store that its writers write no data into", () => {
  // A class whose instances get only constants (an error's code and label): the engine never sets a store that a write
  // adds nothing to, so neither may an analysis that rebuilds the store from its writers' parts — else its readers,
  // taken over from the entry, see a store that differs from the one they read and are all analysed again (on jackson,
  // an appended constant redid 69 functions instead of 12).
  const READERS = 5;
  const ERRORS: Record<string, string> = {
    "flowgate.config.yaml": "extends: recommended\n",
    "tsconfig.json": `{ "compilerOptions": { "strict": true, "target": "ES2022", "module": "commonjs" } }\n`,
    "src/errors.ts":
      `export class ApiError {\n  code = 500;\n  label = "error";\n  constructor(label: string, code: number) {\n    this.label = label;\n    this.code = code;\n  }\n` +
      Array.from({ length: READERS }, (_, i) => `  reader${i}(user: { phone: string }): void {\n    console.log(this.label, this.code, user.phone);\n  }\n`).join("") +
      `}\n`,
    "src/handler.ts": `import { ApiError } from "./errors";\n\nexport function notFound(): ApiError {\n  return new ApiError("not found", 404);\n}\n`,
  };
  let errorsRepo: TestRepo;
  beforeAll(() => {
    errorsRepo = createRepo(ERRORS);
    errorsRepo.commit("appended", { "src/handler.ts": `${ERRORS["src/handler.ts"]!}export const VERSION = 2;\n` });
  });
  afterAll(() => errorsRepo.remove());

  it("keeps its readers when a writer is analysed again, with the findings of a scan without the cache", async () => {
    const cache = { dir: path.join(scratch, "data-free") };
    errorsRepo.git("checkout", "-q", "HEAD~1");
    await scan({ root: errorsRepo.dir, cache });
    errorsRepo.git("checkout", "-q", "main");
    const cached = await scan({ root: errorsRepo.dir, cache: { ...cache, readOnly: true } });
    const plain = await scan({ root: errorsRepo.dir });
    expect(summary(plain).filter((s) => s.includes("src/errors.ts"))).toHaveLength(READERS);
    expect(summary(cached)).toEqual(summary(plain));
    // the changed file's top level and function, not the readers
    expect(cached.stats.functionsAnalysed).toBeLessThan(READERS);
    const review = await scan({ root: errorsRepo.dir, base: "HEAD~1", newOnly: false, cache: { ...cache, readOnly: true } });
    const scratchReview = await scan({ root: errorsRepo.dir, base: "HEAD~1", newOnly: false, reuseAnalysis: false });
    expect(summary(review)).toEqual(summary(scratchReview));
  });
});
