import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { prepareUpdate } from "../../../bench/corpus/update-scan.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("corpus update scenario", () => {
  it("records the checkout as base and a one-line change as head outside it, and restores the file", () => {
    const checkout = mkdtempSync(path.join(os.tmpdir(), "flowgate-checkout-"));
    const scratch = mkdtempSync(path.join(os.tmpdir(), "flowgate-scratch-"));
    dirs.push(checkout, scratch);
    mkdirSync(path.join(checkout, "src"));
    writeFileSync(path.join(checkout, "src/a.ts"), "export const a = 1;\n");
    writeFileSync(path.join(checkout, "src/b.ts"), "export const b = 2;\n");

    const scenario = prepareUpdate(checkout, ["src/a.ts", "src/b.ts"], "extends: recommended\n", path.join(scratch, "entry.git"));
    const diff = spawnSync("git", ["diff", "--name-only", "HEAD~1", "HEAD"], { cwd: checkout, env: { ...process.env, ...scenario.env }, encoding: "utf8" });
    expect(diff.stdout.trim()).toBe("src/a.ts");
    expect(readFileSync(path.join(checkout, "src/a.ts"), "utf8")).toContain("flowgateBenchChange");
    expect(existsSync(path.join(checkout, ".git"))).toBe(false);
    const policy = spawnSync("git", ["show", `HEAD~1:${path.basename(scenario.policyFile)}`], { cwd: checkout, env: { ...process.env, ...scenario.env }, encoding: "utf8" });
    expect(policy.stdout).toBe("extends: recommended\n");

    scenario.restore();
    expect(readFileSync(path.join(checkout, "src/a.ts"), "utf8")).toBe("export const a = 1;\n");
    expect(existsSync(scenario.policyFile)).toBe(false);
  });
});
