import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runMain, tempProject } from "../support/run-cli.js";
import { REPO_ROOT } from "../support/paths.js";
import { loadRuleCatalog } from "../../src/findings/rule-catalog.js";

// The CLI in-process: main() with captured streams (cli.test.ts spawns the binary for the exit paths themselves).

const CLEAN_PROJECT = {
  "flowgate.config.yaml": "extends: recommended\n",
  "src/greet.ts": "export function greet(name: string): string {\n  return `hello ${name}`;\n}\n",
};

describe("flowgate scan", () => {
  const dir = tempProject(CLEAN_PROJECT);

  it("renders every format to stdout", async () => {
    const sarif = await runMain(["scan", dir, "--format", "sarif"]);
    expect(sarif.status).toBe(0);
    expect((JSON.parse(sarif.stdout) as { version: string }).version).toBe("2.1.0");
    for (const format of ["text", "markdown", "inventory"]) {
      const run = await runMain(["scan", dir, "--format", format]);
      expect(run.status, format).toBe(0);
      expect(run.stdout.length, format).toBeGreaterThan(0);
      expect(run.stderr, format).toBe("");
    }
  });

  it("scans with the recommended defaults when there is no policy file", async () => {
    const run = await runMain(["scan", tempProject({ "index.js": "module.exports = 1;\n" })]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
  });

  it("rejects an unknown command with a suggestion, and an invalid choice", async () => {
    const typo = await runMain(["scna"]);
    expect(typo.status).toBe(2);
    expect(typo.stderr).toMatch(/did you mean scan/i);
    const badLevel = await runMain(["scan", dir, "--fail-on", "critical"]);
    expect(badLevel.status).toBe(2);
    expect(badLevel.stderr).toMatch(/Allowed choices are error, warning, note, none/);
    const badFormat = await runMain(["scan", dir, "--format", "html"]);
    expect(badFormat.status).toBe(2);
  });

  it("refuses JavaScript configuration given with --config or found at the root", async () => {
    for (const name of ["flowgate.config.js", "policy.mjs", "policy.ts"]) {
      const run = await runMain(["scan", dir, "--config", name]);
      expect(run.status, name).toBe(2);
      expect(run.stderr, name).toMatch(/never runs configuration code/);
    }
    const found = await runMain(["scan", tempProject({ "flowgate.config.js": "process.exit(42);\n" })]);
    expect(found.status).toBe(2);
    expect(found.stderr).toMatch(/found flowgate\.config\.js, which flowgate will not run/);
  });

  it("reports a --config that is missing or is a directory", async () => {
    const missing = await runMain(["scan", dir, "--config", path.join(dir, "none.yaml")]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/policy file not found: .*none\.yaml/);
    const directory = await runMain(["scan", dir, "--config", path.join(dir, "src")]);
    expect(directory.status).toBe(2);
    expect(directory.stderr).toMatch(/policy file src is not a file/);
  });

  it("reports a scan root that is a file, and an --output file that cannot be written", async () => {
    const notDir = await runMain(["scan", path.join(dir, "src/greet.ts")]);
    expect(notDir.status).toBe(2);
    expect(notDir.stderr).toMatch(/scan root is not a directory/);
    const unwritable = await runMain(["scan", dir, "--output", path.join(dir, "no/such/dir/out.txt")]);
    expect(unwritable.status).toBe(2);
    expect(unwritable.stderr).toMatch(/cannot write .*ENOENT/);
  });
});

describe("flowgate init", () => {
  it("writes a starter policy that scans cleanly, and refuses to overwrite it without --force", async () => {
    const dir = tempProject({ "src/a.ts": "export const a = 1;\n" });
    expect((await runMain(["init", dir])).status).toBe(0);
    const file = path.join(dir, "flowgate.config.yaml");
    const written = readFileSync(file, "utf8");
    expect(written).toMatch(/^# yaml-language-server: \$schema=\S+flowgate\.config\.schema\.json\n/);
    expect(written).toMatch(/^extends: recommended$/m);
    expect((await runMain(["scan", dir])).status).toBe(0);

    writeFileSync(file, "# mine\n");
    const again = await runMain(["init", dir]);
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/already exists; use --force/);
    expect(readFileSync(file, "utf8")).toBe("# mine\n");
    expect((await runMain(["init", dir, "--force", "--quiet"])).stderr).toBe("");
    expect(readFileSync(file, "utf8")).toBe(written);
  });

  it("writes a starter whose commented-out keys are a valid policy once uncommented", async () => {
    const dir = tempProject({ "src/app.ts": "export const port = 8080;\n" });
    await runMain(["init", dir]);
    const file = path.join(dir, "flowgate.config.yaml");
    const uncommented = readFileSync(file, "utf8")
      .split("\n")
      .map((line) => line.replace(/^# (?!yaml-language-server)( *[A-Za-z-]+:|  +- )/, "$1"))
      .join("\n");
    for (const key of ["dataClasses", "sinks", "sanitizers", "vetted", "include", "exclude"]) {
      expect(uncommented).toMatch(new RegExp(`^${key}:`, "m"));
    }
    writeFileSync(file, uncommented);
    const run = await runMain(["scan", dir]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
  });

  it("refuses a directory that does not exist", async () => {
    const dir = path.join(tempProject(), "missing");
    expect((await runMain(["init", dir])).status).toBe(2);
    expect(existsSync(dir)).toBe(false);
  });
});

describe("flowgate rules, --help, --version", () => {
  it("lists every rule of the catalog with its level", async () => {
    const run = await runMain(["rules"]);
    expect(run.status).toBe(0);
    const catalog = loadRuleCatalog();
    expect(run.stdout.trimEnd().split("\n")).toHaveLength(Math.max(1, catalog.length));
    for (const rule of catalog) expect(run.stdout).toMatch(new RegExp(`^${rule.id} +${rule.level} +\\S`, "m"));
  });

  it("prints help and the package version with exit 0", async () => {
    const help = await runMain(["scan", "--help"]);
    expect(help.status).toBe(0);
    for (const option of ["--config", "--format", "--output", "--fail-on", "--quiet", "--no-color", "--debug"]) {
      expect(help.stdout).toContain(option);
    }
    const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { version: string };
    const version = await runMain(["--version"]);
    expect(version.status).toBe(0);
    expect(version.stdout.trim()).toBe(pkg.version);
  });
});
