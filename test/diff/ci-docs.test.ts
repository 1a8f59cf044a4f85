import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { runMain } from "../support/run-cli.js";
import { REPO_ROOT } from "../support/paths.js";

// The action and the CI docs call the CLI: every option they pass must be one `flowgate scan` has.
const read = (file: string) => readFileSync(path.join(REPO_ROOT, file), "utf8");

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, string>;
  if?: string;
}

async function scanOptions(): Promise<Set<string>> {
  const help = await runMain(["scan", "--help"]);
  return new Set([...help.stdout.matchAll(/(--[a-z][a-z-]+)/g)].map((m) => m[1] as string));
}

function flagsIn(text: string): string[] {
  return [...new Set([...text.matchAll(/(?<![\w-])(--[a-z][a-z-]+)/g)].map((m) => m[1] as string))];
}

describe("action.yml", () => {
  const action = parse(read("action.yml")) as { runs: { using: string; steps: Step[] }; inputs: Record<string, unknown> };
  const steps = action.runs.steps;

  it("is a composite action that uploads SARIF under a category and keeps the full SARIF as an artifact", () => {
    expect(action.runs.using).toBe("composite");
    const upload = steps.find((s) => s.uses?.startsWith("github/codeql-action/upload-sarif@"));
    expect(upload?.with).toMatchObject({ category: "${{ inputs.category }}" });
    expect(steps.some((s) => s.uses?.startsWith("actions/upload-artifact@"))).toBe(true);
    expect(Object.keys(action.inputs)).toEqual(expect.arrayContaining(["path", "base", "fail-on", "category", "config"]));
  });

  it("defaults the base to the pull request's base commit, or the push's previous commit", () => {
    const base = steps.find((s) => s.run?.includes("PR_BASE"));
    expect(JSON.stringify(base)).toContain("github.event.pull_request.base.sha");
    expect(JSON.stringify(base)).toContain("github.event.before");
  });

  it("passes flowgate only options it has, with the github SARIF profile", async () => {
    const known = await scanOptions();
    const scanStep = steps.find((s) => s.run?.includes("bin/flowgate.js"));
    const flags = flagsIn(scanStep?.run ?? "");
    expect(flags).toEqual(expect.arrayContaining(["--base", "--sarif-profile", "--sarif-artifact", "--fail-on"]));
    for (const flag of flags) expect(known, flag).toContain(flag);
  });
});

describe("docs/ci.md", () => {
  it("uses only options `flowgate scan` has", async () => {
    const known = await scanOptions();
    const commands = [...read("docs/ci.md").matchAll(/flowgate scan[^\n]*(?:\n\s+--[^\n]*)*/g)].map((m) => m[0]);
    expect(commands.length).toBeGreaterThanOrEqual(4);
    for (const command of commands) for (const flag of flagsIn(command)) expect(known, `${flag} in: ${command}`).toContain(flag);
  });
});
