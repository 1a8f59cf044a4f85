import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Log } from "sarif";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, runMain } from "../support/run-cli.js";
import { validateSarif } from "../support/sarif-validator.js";
import { createRepo, type TestRepo } from "./support/git-repo.js";

const AUDIT = `export function audit(user: { phone: string; email: string }) {
  console.log("audit", user.phone);
}
`;

let repo: TestRepo;
let out: string;

beforeAll(() => {
  repo = createRepo({ "flowgate.config.yaml": "extends: recommended\n", "src/audit.ts": AUDIT });
  repo.git("checkout", "-q", "-b", "update");
  repo.commit("a new leak", {
    "src/audit.ts": AUDIT.replace("}\n", `  // flowgate-ignore-next-line leak-to-log -- the audit log stays in the enclave\n  console.log("mail", user.email);\n}\n`),
    "src/login.ts": `export function login(user: { phone: string }) {\n  console.warn(user.phone);\n}\n`,
  });
  out = mkdtempSync(path.join(os.tmpdir(), "flowgate-cli-review-"));
});

afterAll(() => {
  repo.remove();
  rmSync(out, { recursive: true, force: true });
});

describe("flowgate scan --base (CLI)", () => {
  it("fails on a new finding, writes the upload SARIF (new only, no suppressed) and the full SARIF artifact", async () => {
    const upload = path.join(out, "upload.sarif");
    const full = path.join(out, "full.sarif");
    const run = await runMain(["scan", repo.dir, "--base", "main", "--format", "sarif", "--sarif-profile", "github", "--output", upload, "--sarif-artifact", full]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(1);
    const uploaded = JSON.parse(readFileSync(upload, "utf8")) as Log;
    const all = JSON.parse(readFileSync(full, "utf8")) as Log;
    const summary = (log: Log) => (log.runs[0]?.results ?? []).map((r) => `${r.baselineState} ${r.ruleId}${r.suppressions ? " suppressed" : ""}`);
    expect(summary(uploaded)).toEqual(["new suppression-added", "new leak-to-log"]);
    expect(summary(all)).toEqual(["unchanged leak-to-log", "new suppression-added", "new leak-to-log suppressed", "new leak-to-log"]);
    for (const file of [upload, full]) {
      const report = await validateSarif({ path: file });
      expect([...report.errors, ...report.warnings], file).toEqual([]);
    }
  });

  it("passes when the only findings were already there; --all lists them without failing on them", async () => {
    repo.git("checkout", "-q", "main");
    try {
      const quiet = await runMain(["scan", repo.dir, "--base", "HEAD"]);
      expect(quiet.status).toBe(0);
      expect(quiet.stdout).not.toContain("leak-to-log");
      const all = await runMain(["scan", repo.dir, "--base", "HEAD", "--all"]);
      expect(all.status).toBe(0);
      expect(all.stdout).toContain("baseline: unchanged");
    } finally {
      repo.git("checkout", "-q", "update");
    }
  });

  it("exits 2 with a fetch-depth hint in a shallow clone without the base", async () => {
    const clone = path.join(out, "shallow");
    execFileSync("git", ["clone", "-q", "--depth", "1", "--branch", "update", `file://${repo.dir}`, clone], { stdio: "ignore" });
    const run = await runCli(["scan", clone, "--base", "origin/main"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^flowgate: --base: `origin\/main` names no commit in this repository\. This is a shallow clone/);
    expect(run.stderr).toContain("fetch-depth: 0");
  });

  it("rejects --new-only with --all, and --include-worktree without --base", async () => {
    expect((await runMain(["scan", repo.dir, "--base", "main", "--new-only", "--all"])).status).toBe(2);
    const run = await runMain(["scan", repo.dir, "--include-worktree"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("--include-worktree only applies with --base");
  });
});
