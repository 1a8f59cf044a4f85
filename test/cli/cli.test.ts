import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, tempProject } from "../support/run-cli.js";
import { REPO_ROOT } from "../support/paths.js";

// End-to-end: the built CLI in a child process, as CI runs it. Each case is one spawn (~0.3 s).

const CLEAN_PROJECT = {
  "flowgate.config.yaml": "extends: recommended\n",
  "src/greet.ts": "export function greet(name: string): string {\n  return `hello ${name}`;\n}\n",
};

describe.concurrent("flowgate scan: exit 0 and output", async () => {
  it("exits 0 on a project without findings and prints the text report to stdout", async () => {
    const run = await runCli(["scan", tempProject(CLEAN_PROJECT)]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout.length).toBeGreaterThan(0);
  });

  it("scans the current directory when no dir is given", async () => {
    const run = await runCli(["scan"], { cwd: tempProject(CLEAN_PROJECT) });
    expect(run.status).toBe(0);
  });

  it("writes the report to --output instead of stdout", async () => {
    const dir = tempProject(CLEAN_PROJECT);
    const out = path.join(dir, "report.sarif");
    const run = await runCli(["scan", dir, "--format", "sarif", "--output", out]);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe("");
    const log = JSON.parse(readFileSync(out, "utf8")) as { version: string; runs: unknown[] };
    expect(log.version).toBe("2.1.0");
    expect(log.runs).toHaveLength(1);
  });

  it("prints SARIF JSON with --format sarif", async () => {
    const run = await runCli(["scan", tempProject(CLEAN_PROJECT), "--format", "sarif"]);
    expect(run.status).toBe(0);
    expect((JSON.parse(run.stdout) as { version: string }).version).toBe("2.1.0");
  });

  it("accepts --format markdown and --format inventory", async () => {
    const dir = tempProject(CLEAN_PROJECT);
    expect((await runCli(["scan", dir, "--format", "markdown"])).status).toBe(0);
    expect((await runCli(["scan", dir, "--format", "inventory"])).status).toBe(0);
  });

  it("scans with the recommended defaults when there is no policy file", async () => {
    const run = await runCli(["scan", tempProject({ "index.js": "module.exports = 1;\n" })]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
  });
});

describe.concurrent("flowgate scan: exit 2 on usage and policy errors", async () => {
  it("rejects a scan root that does not exist", async () => {
    const run = await runCli(["scan", path.join(tempProject(), "missing")]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/scan root does not exist/);
  });

  it("rejects an unknown option, an unknown command and an invalid choice", async () => {
    expect((await runCli(["scan", "--bogus"])).status).toBe(2);
    const typo = await runCli(["scna"]);
    expect(typo.status).toBe(2);
    expect(typo.stderr).toMatch(/did you mean scan/i);
    const badLevel = await runCli(["scan", "--fail-on", "critical"]);
    expect(badLevel.status).toBe(2);
    expect(badLevel.stderr).toMatch(/Allowed choices are error, warning, note, none/);
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

  it("refuses JavaScript configuration given with --config", async () => {
    const dir = tempProject({ "flowgate.config.js": "process.exit(42);\n" });
    const runs = await Promise.all(
      ["flowgate.config.js", "policy.cjs", "policy.mjs"].map((name) => runCli(["scan", ".", "--config", name], { cwd: dir })),
    );
    for (const run of runs) {
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(/never runs configuration code/);
    }
  });

  it("refuses to fall back to defaults when the root only has a JavaScript config", async () => {
    const run = await runCli(["scan", tempProject({ "flowgate.config.js": "process.exit(42);\n" })]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/found flowgate\.config\.js, which flowgate will not run/);
  });

  it("reads --config relative to the cwd, and reports a missing one", async () => {
    const dir = tempProject({ ...CLEAN_PROJECT, "policies/strict.yaml": "extends: recommended\nexclude: ['**/*.test.ts']\n" });
    expect((await runCli(["scan", ".", "--config", "policies/strict.yaml"], { cwd: dir })).status).toBe(0);
    const missing = await runCli(["scan", ".", "--config", "policies/none.yaml"], { cwd: dir });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/policy file not found: policies\/none\.yaml/);
  });

  it("reports a --config that is a directory", async () => {
    const dir = tempProject({ ...CLEAN_PROJECT, "policies/readme.txt": "" });
    const run = await runCli(["scan", ".", "--config", "policies"], { cwd: dir });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/policy file policies is not a file/);
  });

  it("reports an --output file that cannot be written", async () => {
    const dir = tempProject(CLEAN_PROJECT);
    const run = await runCli(["scan", dir, "--output", path.join(dir, "no/such/dir/out.txt")]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/cannot write .*ENOENT/);
  });
});

describe.concurrent("flowgate: exit 3 on internal errors", async () => {
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

describe.concurrent("flowgate init", async () => {
  it("writes a starter policy that scans cleanly, and refuses to overwrite it without --force", async () => {
    const dir = tempProject({ "src/a.ts": "export const a = 1;\n" });
    const first = await runCli(["init"], { cwd: dir });
    expect(first.status).toBe(0);
    const file = path.join(dir, "flowgate.config.yaml");
    const written = readFileSync(file, "utf8");
    expect(written).toMatch(/^# yaml-language-server: \$schema=\S+flowgate\.config\.schema\.json\n/);
    expect(written).toMatch(/^extends: recommended$/m);
    expect((await runCli(["scan", dir])).status).toBe(0);

    writeFileSync(file, "# mine\n");
    const again = await runCli(["init", dir]);
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/already exists; use --force/);
    expect(readFileSync(file, "utf8")).toBe("# mine\n");
    expect((await runCli(["init", dir, "--force"])).status).toBe(0);
    expect(readFileSync(file, "utf8")).toBe(written);
  });

  it("refuses a directory that does not exist", async () => {
    const dir = path.join(tempProject(), "missing");
    expect((await runCli(["init", dir])).status).toBe(2);
    expect(existsSync(dir)).toBe(false);
  });
});

describe.concurrent("flowgate rules, --help, --version", async () => {
  it("lists rules and exits 0", async () => {
    const run = await runCli(["rules"]);
    expect(run.status).toBe(0);
    expect(run.stdout.length).toBeGreaterThan(0);
  });

  it("prints help and the package version with exit 0", async () => {
    const help = await runCli(["scan", "--help"]);
    expect(help.status).toBe(0);
    for (const option of ["--config", "--format", "--output", "--fail-on", "--quiet", "--no-color", "--debug"]) {
      expect(help.stdout).toContain(option);
    }
    const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { version: string };
    const version = await runCli(["--version"]);
    expect(version.status).toBe(0);
    expect(version.stdout.trim()).toBe(pkg.version);
  });
});
