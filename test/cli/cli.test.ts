import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, tempProject } from "../support/run-cli.js";

// End-to-end: the built CLI (`node bin/flowgate.js`) in a child process, as CI runs it — one case per exit path.
// Each spawn pays a Node start-up (and a compiler load when it scans), so finer cases run in-process in main.test.ts.

const CLEAN_PROJECT = {
  "flowgate.config.yaml": "extends: recommended\n",
  "src/greet.ts": "export function greet(name: string): string {\n  return `hello ${name}`;\n}\n",
};

describe.concurrent("flowgate scan: exit 0 and output", () => {
  it("exits 0 on a project without findings and prints the text report to stdout", async () => {
    const run = await runCli(["scan", tempProject(CLEAN_PROJECT)]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout.length).toBeGreaterThan(0);
  });

  it("scans the current directory when no dir is given, reading --config relative to the cwd", async () => {
    const dir = tempProject({ ...CLEAN_PROJECT, "policies/strict.yaml": "extends: recommended\nexclude: ['**/*.test.ts']\n" });
    const run = await runCli(["scan", "--config", "policies/strict.yaml"], { cwd: dir });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
  });

  it("writes SARIF to --output instead of stdout", async () => {
    const dir = tempProject(CLEAN_PROJECT);
    const out = path.join(dir, "report.sarif");
    const run = await runCli(["scan", dir, "--format", "sarif", "--output", out]);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe("");
    const log = JSON.parse(readFileSync(out, "utf8")) as { version: string; runs: unknown[] };
    expect(log.version).toBe("2.1.0");
    expect(log.runs).toHaveLength(1);
  });
});

describe.concurrent("flowgate scan: exit 2 on usage and policy errors", () => {
  it("rejects a scan root that does not exist", async () => {
    const run = await runCli(["scan", path.join(tempProject(), "missing")]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^flowgate: scan root does not exist: \S+missing\n$/);
  });

  it("rejects an unknown option", async () => {
    const run = await runCli(["scan", "--bogus"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/unknown option '--bogus'/);
  });

  it("names file:line:column for a YAML syntax error", async () => {
    const dir = tempProject({ "flowgate.config.yaml": "extends: recommended\nvetted:\n  hosts: [a.example\n" });
    const run = await runCli(["scan", "."], { cwd: dir });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^flowgate: flowgate\.config\.yaml:\d+:\d+: YAML syntax error/);
  });

  it("suggests the nearest valid key for a typo, at the key's position", async () => {
    const dir = tempProject({ "flowgate.config.yaml": "extends: recommended\nvetted:\n  host: [api.partner.example]\n" });
    const run = await runCli(["scan", "."], { cwd: dir });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("flowgate.config.yaml:3:3: unknown key `vetted.host` — did you mean `hosts`?");
  });

  it("lists the known packs for an unknown pack", async () => {
    const dir = tempProject({ "flowgate.config.yaml": "extends: recomended\n" });
    const run = await runCli(["scan", "."], { cwd: dir });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("flowgate.config.yaml:1:10: unknown pack `recomended` — did you mean `recommended`?");
    expect(run.stderr).toMatch(/known packs: .*recommended/);
  });

  it("rejects a call reference that is not module#path", async () => {
    const dir = tempProject({ "flowgate.config.yaml": "vetted:\n  calls:\n    - src/enclave.ts#EnclaveClient..send\n" });
    const run = await runCli(["scan", "."], { cwd: dir });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("flowgate.config.yaml:3:7: `vetted.calls[0]`");
  });

  it("refuses JavaScript configuration, without running it", async () => {
    const dir = tempProject({ "flowgate.config.cjs": "require('fs').writeFileSync('ran', ''); process.exit(42);\n" });
    const run = await runCli(["scan", ".", "--config", "flowgate.config.cjs"], { cwd: dir });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/never runs configuration code/);
    expect(readFileSync(path.join(dir, "flowgate.config.cjs"), "utf8")).toContain("process.exit");
    expect(() => readFileSync(path.join(dir, "ran"))).toThrow();
  });
});

describe.concurrent("flowgate: exit 3 on internal errors", () => {
  // Simulates a broken installation (an unreadable schema file): an error no user input explains.
  const breakSchemas = [
    "--import",
    "data:text/javascript," +
      encodeURIComponent(
        'import fs from "node:fs"; import { syncBuiltinESMExports } from "node:module";' +
          "const read = fs.readFileSync;" +
          'fs.readFileSync = (file, ...rest) => { if (String(file).endsWith(".schema.json")) throw new Error("simulated failure"); return read(file, ...rest); };' +
          "syncBuiltinESMExports();",
      ),
  ];

  it("prints the message and a hint to report it, without a stack", async () => {
    const run = await runCli(["scan", tempProject(CLEAN_PROJECT)], { nodeArgs: breakSchemas });
    expect(run.status).toBe(3);
    expect(run.stderr).toContain("flowgate: internal error: simulated failure");
    expect(run.stderr).toMatch(/please report it/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it("prints the stack with --debug", async () => {
    const run = await runCli(["scan", tempProject(CLEAN_PROJECT), "--debug"], { nodeArgs: breakSchemas });
    expect(run.status).toBe(3);
    expect(run.stderr).toMatch(/\n\s+at /);
  });
});
