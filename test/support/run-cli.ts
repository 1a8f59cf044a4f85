import { spawn } from "node:child_process";
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { CLI } from "./paths.js";

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the built CLI (`node bin/flowgate.js …`) as a user would, without colour or CI surprises from the parent env.
 * Asynchronous so that independent cases can run concurrently (each spawn costs a Node start-up). `script` runs another
 * launcher in place of bin/flowgate.js.
 */
export function runCli(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; nodeArgs?: string[]; script?: string } = {},
): Promise<CliRun> {
  const env = { ...process.env, NO_COLOR: "1", CI: "true", ...options.env };
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), options.script ?? CLI, ...args], { cwd: options.cwd, env });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

/** A fresh directory with the given files (relative path → content). */
export function tempProject(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "flowgate-test-"));
  for (const [relative, content] of Object.entries(files)) {
    const file = path.join(dir, relative);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  return dir;
}

/**
 * Runs main() in this process with captured streams: the same code as the binary minus the launcher, without paying a
 * Node start-up and a compiler load per case. Output streams are not terminals.
 */
export async function runMain(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  const { main } = await import("../../src/cli/main.js");
  const capture = () => {
    const stream = { isTTY: false, text: "", write: (chunk: string) => ((stream.text += chunk), true) };
    return stream;
  };
  const stdout = capture();
  const stderr = capture();
  const status = await main(["node", "flowgate", ...args], {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stderr: stderr as unknown as NodeJS.WriteStream,
    env: { NO_COLOR: "1", CI: "true", ...env },
  });
  return { status, stdout: stdout.text, stderr: stderr.text };
}
