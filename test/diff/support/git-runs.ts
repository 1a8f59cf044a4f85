import { execFileSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/** A `git` first on the PATH that logs each run (its first arguments) and runs the real one. */
export interface GitRuns {
  /** What `fn` returns, and the git commands it ran, one line each. */
  during<T>(fn: () => T): { value: T; runs: string[] };
  /** The same for an asynchronous `fn`: the PATH is the counting one until it settles. */
  duringAsync<T>(fn: () => Promise<T>): Promise<{ value: T; runs: string[] }>;
  remove(): void;
}

export function countingGit(): GitRuns {
  const bin = mkdtempSync(path.join(os.tmpdir(), "flowgate-git-runs-"));
  const log = path.join(bin, "runs.log");
  const real = execFileSync("sh", ["-c", "command -v git"], { encoding: "utf8" }).trim();
  writeFileSync(path.join(bin, "git"), `#!/bin/sh\necho "$*" >> "${log}"\nexec "${real}" "$@"\n`);
  chmodSync(path.join(bin, "git"), 0o755);
  return {
    during(fn) {
      const before = process.env.PATH;
      writeFileSync(log, "");
      process.env.PATH = `${bin}${path.delimiter}${before ?? ""}`;
      try {
        const value = fn();
        return { value, runs: readFileSync(log, "utf8").split("\n").filter(Boolean) };
      } finally {
        process.env.PATH = before;
      }
    },
    async duringAsync(fn) {
      const before = process.env.PATH;
      writeFileSync(log, "");
      process.env.PATH = `${bin}${path.delimiter}${before ?? ""}`;
      try {
        const value = await fn();
        return { value, runs: readFileSync(log, "utf8").split("\n").filter(Boolean) };
      } finally {
        process.env.PATH = before;
      }
    },
    remove: () => rmSync(bin, { recursive: true, force: true }),
  };
}
