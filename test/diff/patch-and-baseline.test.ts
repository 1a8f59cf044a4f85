import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderSarif } from "../../src/report/sarif.js";
import { scan } from "../../src/scan.js";
import { createRepo, type TestRepo } from "./support/git-repo.js";

const POLICY = `extends: recommended\nsanitizers: ["src/privacy.ts#redact"]\n`;
const PRIVACY = `export function redact(value: string): string {\n  return value.slice(0, 2) + "***";\n}\n`;
const AUDIT = `import { redact } from "./privacy";

export function audit(user: { phone: string; email: string }) {
  console.log("audit", user.phone);
  console.log("contact", redact(user.email));
}
`;
const UPDATED = AUDIT.replace("redact(user.email)", "user.email");

let repo: TestRepo;
let scratch: string;
const lines = (findings: { baselineState?: string; ruleId: string; location: { file: string; startLine: number } }[]) =>
  findings.map((f) => `${f.baselineState} ${f.ruleId} ${f.location.file}:${f.location.startLine}`);

beforeAll(() => {
  repo = createRepo({ "flowgate.config.yaml": POLICY, "src/privacy.ts": PRIVACY, "src/audit.ts": AUDIT });
  repo.git("checkout", "-q", "-b", "update");
  repo.commit("drop redact", { "src/audit.ts": UPDATED, "src/greeting.ts": `export const hello = "hi";\n` });
  scratch = mkdtempSync(path.join(os.tmpdir(), "flowgate-patch-"));
});

afterAll(() => {
  repo.remove();
  rmSync(scratch, { recursive: true, force: true });
});

describe("--diff update.patch", () => {
  it("reviews a received patch like a branch: the base is the scanned tree with the patch taken out", async () => {
    const patch = path.join(scratch, "update.patch");
    writeFileSync(patch, repo.git("diff", "main", "update"));
    const result = await scan({ root: repo.dir, diff: patch });
    expect(lines(result.findings)).toEqual(["new leak-to-log src/audit.ts:5", "new sanitizer-removed src/audit.ts:5"]);
  });

  it("refuses a patch that does not describe the scanned tree", async () => {
    const patch = path.join(scratch, "reverse.patch");
    writeFileSync(patch, repo.git("diff", "update", "main"));
    await expect(scan({ root: repo.dir, diff: patch })).rejects.toThrow(/reverse\.patch does not match the scanned src\/audit\.ts at line 5/);
  });
});

describe("--baseline previous.sarif", () => {
  it("marks findings against an earlier SARIF file and lists the fixed ones as absent", async () => {
    repo.git("checkout", "-q", "main");
    const before = await scan({ root: repo.dir });
    const sarif = path.join(scratch, "previous.sarif");
    writeFileSync(sarif, renderSarif(before));
    repo.git("checkout", "-q", "update");
    // The baseline has the phone leak; the update adds the email leak. Then the phone leak is fixed on top.
    writeFileSync(path.join(repo.dir, "src/audit.ts"), UPDATED.replace(`  console.log("audit", user.phone);\n`, ""));
    try {
      const result = await scan({ root: repo.dir, baseline: sarif });
      expect(lines(result.findings)).toEqual(["absent leak-to-log src/audit.ts:4", "new leak-to-log src/audit.ts:4"]);
      const onlyNew = await scan({ root: repo.dir, baseline: sarif, newOnly: true });
      expect(lines(onlyNew.findings)).toEqual(lines(result.findings));
    } finally {
      repo.git("checkout", "-q", "--", "src/audit.ts");
    }
  });
});

describe("a shallow clone without the base", () => {
  it("fails with a usage error that says how to fetch the history", async () => {
    const clone = path.join(scratch, "shallow");
    execFileSync("git", ["clone", "-q", "--depth", "1", "--no-single-branch", "--branch", "update", `file://${repo.dir}`, clone], { stdio: "ignore" });
    await expect(scan({ root: clone, base: "origin/main" })).rejects.toThrow(/shallow clone.*fetch-depth: 0/s);
    await expect(scan({ root: clone, base: "origin/nope" })).rejects.toThrow(/names no commit.*shallow clone/s);
  });
});
