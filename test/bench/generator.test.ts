import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ts } from "ts-morph";
import typescript from "typescript";
import { afterAll, describe, expect, it } from "vitest";
import { GATEWAY_DEPENDENCIES, generateProject, writeProject } from "../../bench/generate.js";
import { CHANGE_POINT } from "../../bench/gateway-files.js";
import { commitWithOneFileChange } from "../../bench/update-change.js";
import { scan } from "../../src/index.js";
import { REPO_ROOT } from "../support/paths.js";

// The benchmark's generator: same seed, same bytes; the size it is asked for; source that parses. Timing is never
// asserted here (the harness measures it, `npm run bench`).
const small = generateProject({ lines: 4_000, seed: 7 });
const scratch = mkdtempSync(path.join(os.tmpdir(), "flowgate-bench-test-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("bench generator", () => {
  it("is deterministic for a seed and varies with it", () => {
    const again = generateProject({ lines: 4_000, seed: 7 });
    expect([...again.files]).toEqual([...small.files]);
    const other = generateProject({ lines: 4_000, seed: 8 });
    expect([...other.files.values()].join("")).not.toEqual([...small.files.values()].join(""));
  });

  it("reaches the requested size, overshooting by less than one module", () => {
    expect(small.stats.lines).toBeGreaterThanOrEqual(4_000);
    expect(small.stats.lines).toBeLessThan(4_000 + 600);
    const bigger = generateProject({ lines: 12_000, seed: 7 });
    expect(bigger.stats.modules).toBeGreaterThan(2 * small.stats.modules);
  });

  it("plants leaks next to near misses, in TypeScript and CommonJS", () => {
    expect(small.stats.outcomes.leak).toBeGreaterThan(0);
    expect(small.stats.outcomes.clean).toBeGreaterThan(small.stats.outcomes.leak ?? 0);
    expect(small.stats.outcomes.vetted).toBeGreaterThan(0);
    expect(small.stats.outcomes.sanitized).toBeGreaterThan(0);
    const names = [...small.files.keys()];
    expect(names.filter((f) => f.startsWith("src/legacy/") && f.endsWith(".js")).length).toBe(small.stats.legacyFiles);
    expect(names).toContain("tsconfig.json");
    expect(names).toContain("flowgate.config.yaml");
    expect(JSON.parse(small.files.get("tsconfig.json") ?? "{}").compilerOptions.paths).toEqual({ "@app/*": ["./src/*"] });
  });

  it("writes source without syntax errors", () => {
    const problems: string[] = [];
    for (const [file, text] of small.files) {
      if (!/\.(ts|js)$/.test(file)) continue;
      const out = ts.transpileModule(text, {
        fileName: file,
        reportDiagnostics: true,
        compilerOptions: { experimentalDecorators: true, allowJs: true, target: ts.ScriptTarget.ES2022 },
      });
      for (const d of out.diagnostics ?? []) problems.push(`${file}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
    }
    expect(problems).toEqual([]);
  });

  it("prepares an update: two commits, the second changing one service file", () => {
    const dir = path.join(scratch, "update");
    writeProject(dir, small);
    commitWithOneFileChange(dir, small.changeTarget);
    const changed = execFileSync("git", ["diff", "--name-only", "HEAD~1", "HEAD"], { cwd: dir, encoding: "utf8" });
    expect(changed.trim().split("\n")).toEqual([small.changeTarget]);
    const text = readFileSync(path.join(dir, small.changeTarget), "utf8");
    expect(text).toContain("benchChangeAudit(v: AccountDto)");
    expect(text).toContain(CHANGE_POINT);
  });
});

// The owner-links option (bench/owner-links.ts): the construct Usertour's SDK showed, kept in the benchmark.
describe("bench generator with owner links", () => {
  const linked = generateProject({ lines: 1_500, seed: 7, ownerLinks: true });
  const plain = generateProject({ lines: 1_500, seed: 7 });

  it("is the standard gateway plus a workflow per module, held by its service and started by its entry point", () => {
    expect(linked.stats.modules).toBe(plain.stats.modules);
    expect(linked.stats.outcomes).toEqual(plain.stats.outcomes);
    expect(linked.stats.ownerLinks?.workflows).toBe(plain.stats.modules);
    expect(linked.stats.ownerLinks?.plantedLeaks).toHaveLength(2 * plain.stats.modules);
    expect(plain.stats.ownerLinks).toBeUndefined();
    const added = [...linked.files.keys()].filter((f) => !plain.files.has(f));
    expect(added.length).toBe(plain.stats.modules);
    expect(added.every((f) => f.endsWith(".workflow.ts"))).toBe(true);
    for (const [file, text] of plain.files) {
      const other = linked.files.get(file);
      if (/\.(service|controller|router)\.ts$/.test(file)) expect(other, file).toContain("startWorkflow");
      else expect(other, file).toBe(text);
    }
    const workflow = linked.files.get(added[0] as string) ?? "";
    expect(workflow).toMatch(/this\.notice = new \w+NotifyStep\(this, /);
    expect(workflow).toMatch(/const review = new \w+ReviewStep\(this, /);
    expect(workflow).toMatch(/this\.checklists\.push\(checklist\)/);
  });

  it("type-checks under the generated tsconfig (the gateway's packages aside, which the suite does not install)", () => {
    const dir = path.join(scratch, "owner-links-tsc");
    writeProject(dir, linked);
    const config = typescript.getParsedCommandLineOfConfigFile(
      path.join(dir, "tsconfig.json"),
      { noEmit: true, typeRoots: [path.join(REPO_ROOT, "node_modules/@types")] },
      { ...typescript.sys, onUnRecoverableConfigFileDiagnostic: () => {} },
    );
    if (!config) throw new Error("no tsconfig");
    const program = typescript.createProgram(config.fileNames, config.options);
    const packages = new Set(Object.keys(GATEWAY_DEPENDENCIES));
    const problems: string[] = [];
    for (const d of typescript.getPreEmitDiagnostics(program)) {
      const text = typescript.flattenDiagnosticMessageText(d.messageText, " ");
      const missing = /module (?:or type declarations for side-effect import of )?'([^']+)'/.exec(text)?.[1];
      if ((d.code === 2307 || d.code === 2882) && missing && packages.has(missing)) continue;
      problems.push(`${d.file ? path.relative(dir, d.file.fileName) : "-"}: TS${d.code} ${text}`);
    }
    expect(config.fileNames.filter((f) => f.endsWith(".workflow.ts"))).toHaveLength(linked.stats.modules);
    expect(problems).toEqual([]);
  });

  it("is scanned to the end with every planted leak found at its line, with its data class", async () => {
    const dir = path.join(scratch, "owner-links-scan");
    writeProject(dir, linked);
    const result = await scan({ root: dir });
    const planted = linked.stats.ownerLinks?.plantedLeaks ?? [];
    expect(planted.length).toBeGreaterThan(0);
    const missed = planted.filter(
      (leak) =>
        !result.findings.some(
          (f) =>
            f.ruleId.startsWith("leak-to-") &&
            f.location.file === leak.file &&
            f.location.startLine === leak.line &&
            (f.flows ?? []).some((flow) => flow.dataClass === leak.dataClass),
        ),
    );
    expect(missed).toEqual([]);
    expect(result.notifications.filter((n) => n.id === "internal-error" || n.id === "model-error")).toEqual([]);
  });
});
