import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateProject } from "../../bench/generate.js";
import { scan } from "../../src/scan.js";
import type { ScanResult } from "../../src/result.js";
import { createRepo, type TestRepo } from "../diff/support/git-repo.js";

// Random edits to a generated gateway (the benchmark's generator: NestJS and Express modules, DTOs, helpers, shared
// clients, legacy JavaScript) — lines deleted, duplicated or swapped, files deleted, renamed or added — reviewed
// against main twice: starting from the cache main's full scan wrote, and without any cache with the base analysed
// from scratch. The reviews must be the same, finding for finding. A few runs only: each is two update reviews.

const project = generateProject({ lines: 1_200, seed: 11 });
const base = Object.fromEntries(project.files);
const sources = [...project.files.keys()].filter((f) => /^src\/.*\.(ts|js)$/.test(f));

type Edit =
  | { kind: "delete-line" | "duplicate-line"; file: number; line: number }
  | { kind: "swap-lines"; file: number; line: number; other: number }
  | { kind: "delete-file" | "rename-file"; file: number }
  | { kind: "add-file"; file: number };

const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constantFrom("delete-line" as const, "duplicate-line" as const), file: fc.nat(), line: fc.nat() }),
  fc.record({ kind: fc.constant("swap-lines" as const), file: fc.nat(), line: fc.nat(), other: fc.nat() }),
  fc.record({ kind: fc.constantFrom("delete-file" as const, "rename-file" as const, "add-file" as const), file: fc.nat() }),
);

/** The update's files (null deletes), applying the edits in order to main's files. */
function applyEdits(edits: readonly Edit[]): Record<string, string | null> {
  const files = new Map<string, string | null>(Object.entries(base));
  const live = () => [...files].filter(([f, c]) => c !== null && sources.includes(f)).map(([f]) => f);
  edits.forEach((e, n) => {
    const names = live();
    if (names.length === 0) return;
    const file = names[e.file % names.length]!;
    const lines = (files.get(file) as string).split("\n");
    const at = (i: number) => i % lines.length;
    switch (e.kind) {
      case "delete-line":
        lines.splice(at(e.line), 1);
        break;
      case "duplicate-line":
        lines.splice(at(e.line), 0, lines[at(e.line)]!);
        break;
      case "swap-lines": {
        const [i, j] = [at(e.line), at(e.other)];
        [lines[i], lines[j]] = [lines[j]!, lines[i]!];
        break;
      }
      case "delete-file":
        files.set(file, null);
        return;
      case "rename-file":
        files.set(file.replace(/(\.\w+)$/, `-moved$1`), files.get(file)!);
        files.set(file, null);
        return;
      case "add-file": {
        // a new module that takes a caller's contact and sends it out, importing an existing one
        const dir = path.posix.dirname(file);
        const from = `./${path.posix.basename(file).replace(/\.(ts|js)$/, "")}`;
        files.set(
          `${dir}/added-${n}.ts`,
          `import * as neighbour from "${from}";\n\nexport function forward(contact: { email: string; phone: string }): void {\n  console.log("forward", contact.email, Object.keys(neighbour).length);\n}\n`,
        );
        return;
      }
    }
    files.set(file, lines.join("\n"));
  });
  return Object.fromEntries([...files].filter(([f, c]) => c !== base[f]));
}

let repo: TestRepo;
let scratch: string;
let cacheDir: string;

beforeAll(async () => {
  repo = createRepo(base);
  scratch = mkdtempSync(path.join(os.tmpdir(), "flowgate-cache-property-"));
  cacheDir = path.join(scratch, "cache");
  await scan({ root: repo.dir, cache: { dir: cacheDir } }); // the default branch's run
});

afterAll(() => {
  repo.remove();
  rmSync(scratch, { recursive: true, force: true });
});

function summary(result: ScanResult): string[] {
  return result.findings.map(
    (f) => `${f.baselineState ?? "-"} ${f.ruleId} ${f.location.file}:${f.location.startLine}:${f.location.startColumn} ${f.fingerprint} ${(f.flows ?? []).length}`,
  );
}

let runs = 0;

describe("random edits to a generated gateway", () => {
  it("give the same review with main's cache as without any cache", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(edit, { minLength: 1, maxLength: 3 }), async (edits) => {
        const name = `edit-${runs++}`;
        repo.branch(name, applyEdits(edits));
        repo.git("checkout", "-q", name);
        try {
          const cached = await scan({ root: repo.dir, base: "main", newOnly: false, cache: { dir: cacheDir, readOnly: true } });
          const plain = await scan({ root: repo.dir, base: "main", newOnly: false, reuseAnalysis: false });
          expect(summary(cached)).toEqual(summary(plain));
          expect(cached.notifications.map((n) => n.id)).toContain("analysis-cache");
        } finally {
          repo.git("checkout", "-q", "main");
        }
      }),
      { numRuns: 4, seed: 20261203, endOnFailure: true },
    );
  }, 600_000);
});
