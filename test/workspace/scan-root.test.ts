import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { findFiles } from "../../src/workspace/find-files.js";
import { rebase } from "../../src/workspace/enclosing-ignores.js";
import { runCli } from "../support/run-cli.js";

const LEAK = 'export function f(user: { email: string }) {\n  console.log(user.email);\n}\n';

/** An audit workspace (its own git repository) that keeps the gateway's checkout under vendor/, which it ignores. */
function auditWorkspace(gitignore: string): { workspace: string; gateway: string } {
  const workspace = mkdtempSync(path.join(os.tmpdir(), "flowgate-audit-"));
  const files: Record<string, string> = {
    ".gitignore": gitignore,
    "notes.md": "# audit notes\n",
    "vendor/gateway/src/users.ts": LEAK,
    "vendor/gateway/src/app.ts": "export const port = 8080;\n",
    "vendor/gateway/generated/client.ts": "export const generated = true;\n",
    "vendor/gateway/debug.log.ts": "export const x = 1;\n",
    "vendor/gateway/.gitignore": "tmp/\n",
    "vendor/gateway/tmp/scratch.ts": "export const scratch = 1;\n",
  };
  mkdirSync(path.join(workspace, ".git"));
  for (const [relative, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(workspace, relative)), { recursive: true });
    writeFileSync(path.join(workspace, relative), text);
  }
  return { workspace, gateway: path.join(workspace, "vendor/gateway") };
}

describe("the scan root inside an enclosing repository that ignores it", () => {
  it("is scanned: rules naming the root or an ancestor are left out, rules selecting files inside it still apply", async () => {
    const { gateway } = auditWorkspace("vendor\n/vendor/gateway/generated/\n*.log.ts\n");
    const found = await findFiles(gateway, [], []);
    // generated/ (anchored rule reaching inside), *.log.ts (a name at any depth) and the root's own tmp/ stay ignored
    expect(found.files).toEqual(["src/app.ts", "src/users.ts"]);
  });

  it("is scanned whatever form the rule naming it takes", async () => {
    for (const rule of ["vendor/", "/vendor", "vendor/gateway", "/vendor/gateway/", "vendor/*", "/vendor/**", "**/gateway"]) {
      const { gateway } = auditWorkspace(`${rule}\n`);
      expect((await findFiles(gateway, [], [])).files, rule).toEqual(["generated/client.ts", "debug.log.ts", "src/app.ts", "src/users.ts"].sort());
    }
  });

  it("finds the leak through the CLI, and the same files through a symbolic link to an ancestor", { timeout: 180_000 }, async () => {
    const { workspace, gateway } = auditWorkspace("vendor/\n");
    // --no-cache: a later scan of the same files would read what an earlier one wrote, and say so
    const direct = await runCli(["scan", gateway, "--format", "sarif", "--no-cache"]);
    expect(direct.status).toBe(1);
    const link = path.join(mkdtempSync(path.join(os.tmpdir(), "flowgate-link-")), "audit");
    symlinkSync(workspace, link);
    const linked = await runCli(["scan", path.join(link, "vendor/gateway"), "--format", "sarif", "--no-cache"]);
    const fromInside = await runCli(["scan", ".", "--format", "sarif", "--config", "policy.yaml"], { cwd: path.join(link, "vendor/gateway") });
    expect(linked.stdout).toBe(direct.stdout);
    expect(fromInside.status, fromInside.stderr).toBe(2); // --config names a file that does not exist: said, not guessed
    expect(fromInside.stderr).toMatch(/policy file not found: policy\.yaml/);
    writeFileSync(path.join(gateway, "policy.yaml"), "extends: recommended\n");
    const withConfig = await runCli(["scan", ".", "--format", "sarif", "--config", "policy.yaml", "--no-cache"], { cwd: path.join(link, "vendor/gateway") });
    const viaLink = await runCli(["scan", path.join(link, "vendor/gateway"), "--format", "sarif", "--config", path.join(link, "vendor/gateway/policy.yaml"), "--no-cache"]);
    expect(withConfig.status).toBe(1);
    expect(viaLink.stdout).toBe(withConfig.stdout);
    expect(JSON.parse(withConfig.stdout).runs[0].properties.policyFiles).toContain("policy.yaml");
  });
});

describe("rebasing an enclosing .gitignore rule onto the root", () => {
  const root = ["vendor", "gateway"]; // the root, relative to the .gitignore's directory
  it.each([
    ["vendor", { rule: "vendor", namesRoot: true }], // still ignores a vendor/ inside the root
    ["*.log", { rule: "*.log", namesRoot: false }],
    ["/vendor/", { namesRoot: true }],
    ["vendor/gateway", { namesRoot: true }],
    ["/vendor/**", { namesRoot: true }],
    ["/vendor/gateway/generated/", { rule: "/generated/", namesRoot: false }],
    ["vendor/*/tmp", { rule: "/tmp", namesRoot: false }],
    ["/vendor/**/cache/", { rule: "**/cache/", namesRoot: false }],
    ["/other/", { namesRoot: false }],
    ["!vendor/gateway/keep.ts", { rule: "!/keep.ts", namesRoot: false }],
  ])("%s", (pattern, expected) => {
    expect(rebase(pattern, root)).toEqual(expected);
  });
});

describe("a scan that selects no source file", () => {
  async function emptyScan(files: Record<string, string>, args: string[] = []) {
    const dir = mkdtempSync(path.join(os.tmpdir(), "flowgate-empty-"));
    for (const [relative, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, relative)), { recursive: true });
      writeFileSync(path.join(dir, relative), text);
    }
    const run = await runCli(["scan", dir, ...args]);
    return { dir, ...run };
  }

  it("fails with exit 2 when there is no code at all, naming the root", async () => {
    const run = await emptyScan({ "README.md": "# nothing\n", "node_modules/x/index.js": "module.exports = 1;\n" });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`no source files to scan in ${run.dir}: there is no TypeScript or JavaScript file`);
    expect(run.stdout).toBe("");
  });

  it("names the include and exclude globs that emptied it", async () => {
    const files = { "lib/a.ts": LEAK, "lib/b.ts": LEAK, "test/c.ts": LEAK };
    const include = await emptyScan({ ...files, "flowgate.config.yaml": 'include: ["src/**"]\n' });
    expect(include.status).toBe(2);
    expect(include.stderr).toMatch(/of the 3 source files under it, the policy's include \["src\/\*\*"\] selects none of the 3 source files left/);
    const exclude = await emptyScan({ ...files, "flowgate.config.yaml": 'exclude: ["lib/**", "test/**"]\n' });
    expect(exclude.stderr).toMatch(/3 are left out by the policy's exclude \["lib\/\*\*","test\/\*\*"\]/);
  });

  it("names the .gitignore that emptied it", async () => {
    const run = await emptyScan({ ".gitignore": "*.ts\n", "src/a.ts": LEAK });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/of the 1 source file under it, 1 is ignored by \.gitignore/);
  });

  it("passes nothing in update review either", async () => {
    const { dir, ...run } = await emptyScan({ "README.md": "x\n" }, ["--baseline", "/dev/null"]);
    expect(run.status, dir).toBe(2);
    expect(run.stderr).toContain("no source files to scan in");
  });
});
