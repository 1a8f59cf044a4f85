import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ts } from "ts-morph";
import { afterAll, describe, expect, it } from "vitest";
import { generateProject, writeProject } from "../../bench/generate.js";
import { CHANGE_POINT } from "../../bench/gateway-files.js";
import { commitWithOneFileChange } from "../../bench/update-change.js";

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
