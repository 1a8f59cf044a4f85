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

  it("fails when an update makes a new source and data class reach a door the base had: the door is updated", async () => {
    const log = `export function record(fields: object) {\n  console.info(JSON.stringify(fields));\n}\n`;
    const door = createRepo({
      "flowgate.config.yaml": "extends: recommended\n",
      "src/log.ts": log,
      "src/a.ts": `import { record } from "./log";\nexport function a(user: { phone: string }) {\n  record({ phone: user.phone });\n}\n`,
    });
    try {
      door.git("checkout", "-q", "-b", "update");
      door.commit("another caller", {
        "src/b.ts": `import { record } from "./log";\nexport function b(user: { email: string }) {\n  record({ email: user.email });\n}\n`,
      });
      const sarif = path.join(out, "door.sarif");
      const run = await runMain(["scan", door.dir, "--base", "main", "--all", "--format", "sarif", "--output", sarif]);
      expect(run.status).toBe(1);
      const results = (JSON.parse(readFileSync(sarif, "utf8")) as Log).runs[0]!.results!;
      expect(results.map((r) => `${r.baselineState} ${r.ruleId} ${r.locations![0]!.physicalLocation!.artifactLocation!.uri}`)).toEqual([
        "updated leak-to-log src/log.ts",
      ]);
      expect(results[0]!.message.text).toMatch(/^Phone number and e-mail address data from 2 sources \(\[user\]\(1\) in src\/a\.ts:2 and \[user\]\(2\) in src\/b\.ts:2\) is logged by `console\.info`\.$/);
      // By flow, the new source is a new finding of its own, and the old one is unchanged.
      const byFlow = path.join(out, "door-flow.sarif");
      const flows = await runMain(["scan", door.dir, "--base", "main", "--all", "--granularity", "flow", "--format", "sarif", "--output", byFlow]);
      expect(flows.status).toBe(1);
      const flowResults = (JSON.parse(readFileSync(byFlow, "utf8")) as Log).runs[0]!.results!;
      expect(flowResults.map((r) => `${r.baselineState} ${r.ruleId}`).sort()).toEqual(["new leak-to-log", "unchanged leak-to-log"]);
      // Without the new caller, the door is unchanged and the run passes.
      door.git("checkout", "-q", "main");
      expect((await runMain(["scan", door.dir, "--base", "HEAD"])).status).toBe(0);
    } finally {
      door.remove();
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
