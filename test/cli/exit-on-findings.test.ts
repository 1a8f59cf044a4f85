import { describe, expect, it } from "vitest";
import { runCli, runMain, tempProject } from "../support/run-cli.js";

// Exit 1 needs a real finding: a phone number logged. Kept apart from cli.test.ts because it needs the whole pipeline
// (recommended pack, console model, engine, findings), while the rest of the CLI tests do not.
const LEAKING = {
  "flowgate.config.yaml": "extends: recommended\n",
  "src/notify.ts": [
    "interface User { name: string; phone: string }",
    "export function notify(user: User): void {",
    "  console.log(user.phone);",
    "}",
    "",
  ].join("\n"),
};

const SUPPRESSED = {
  ...LEAKING,
  "src/notify.ts": [
    "interface User { name: string; phone: string }",
    "export function notify(user: User): void {",
    "  // flowgate-ignore-next-line leak-to-log -- the enclave's own audit log, reviewed by the DPO",
    "  console.log(user.phone);",
    "}",
    "",
  ].join("\n"),
};

describe("flowgate scan: exit 1 on findings", () => {
  const dir = tempProject(LEAKING);

  it("exits 1 when a finding is at or above the default --fail-on error (the binary)", async () => {
    const run = await runCli(["scan", dir]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(1);
    expect(run.stdout).toContain("src/notify.ts");
  });

  it("reports the finding in SARIF and still exits 1", async () => {
    const run = await runMain(["scan", dir, "--format", "sarif"]);
    expect(run.status).toBe(1);
    const log = JSON.parse(run.stdout) as { runs: { results: { ruleId: string }[] }[] };
    expect(log.runs[0]?.results.map((r) => r.ruleId)).toEqual(["leak-to-log"]);
  });

  it("exits 0 with --fail-on none, 1 with --fail-on warning", async () => {
    expect((await runMain(["scan", dir, "--fail-on", "none"])).status).toBe(0);
    expect((await runMain(["scan", dir, "--fail-on", "warning"])).status).toBe(1);
  });

  it("exits 0 when the only finding is suppressed with a justification", async () => {
    const run = await runMain(["scan", tempProject(SUPPRESSED), "--format", "sarif"]);
    expect(run.status).toBe(0);
    const log = JSON.parse(run.stdout) as { runs: { results: { suppressions?: unknown[] }[] }[] };
    expect(log.runs[0]?.results).toHaveLength(1);
    expect(log.runs[0]?.results[0]?.suppressions).toHaveLength(1);
  });
});
