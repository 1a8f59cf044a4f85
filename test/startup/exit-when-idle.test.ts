import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/run-cli.js";
import { REPO_ROOT } from "../support/paths.js";

// A process that ends once idle (src/startup/exit-when-idle.ts) must end only when a natural end would: the work still
// pending when its main code is done — a timer, a child process, a large write to a pipe — runs to its end, the exit
// code it sets is the process's, and `exit` listeners run.
describe("exitWhenIdle", () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(path.join(os.tmpdir(), "flowgate-exit-"))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("ends the process with its exit code once nothing is pending, and cuts nothing short", async () => {
    const script = path.join(dir, "idle.mjs");
    writeFileSync(
      script,
      `import { execFile } from "node:child_process";\n` +
        `import { exitWhenIdle } from ${JSON.stringify(path.join(REPO_ROOT, "dist/startup/exit-when-idle.js"))};\n` +
        `exitWhenIdle();\n` +
        `process.on("exit", (code) => process.stdout.write("exit " + code + "\\n"));\n` +
        `setTimeout(() => execFile(process.execPath, ["-e", "process.stdout.write('child')"], (error, out) => {\n` +
        `  process.stdout.write("late " + out + " " + "x".repeat(1 << 20) + "\\n");\n` +
        `  process.exitCode = 7;\n` +
        `}), 20);\n`,
    );
    const run = await runCli([], { script });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(7);
    expect(run.stdout).toBe(`late child ${"x".repeat(1 << 20)}\nexit 7\n`);
  });
});
