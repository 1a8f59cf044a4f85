import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { applyOneFileChange } from "../update-change.js";

/**
 * The update review's cost on a real checkout, as a pull request's CI job pays it: `flowgate scan --base HEAD~1` after
 * a change to one file. The snapshots are plain folders without `.git`, and nothing may be left in them: a throwaway
 * repository in the scratch directory (`GIT_DIR` + `GIT_WORK_TREE`, which flowgate's git calls inherit) records the
 * checkout as it is as the base commit, and the same tree with one line appended to one scanned file as the head;
 * `restore()` puts the file back byte for byte. The policy is committed with the base, as in a real repository: update
 * review reads the trusted policy from the base revision.
 */
export interface UpdateScenario {
  /** The environment the update scan runs with (the throwaway repository). */
  env: NodeJS.ProcessEnv;
  /** The changed file, relative to the checkout. */
  changed: string;
  /** The policy, inside the checkout for the scenario's lifetime (`--config`). */
  policyFile: string;
  restore(): void;
}

/** `files` are the entry's scanned files (relative, sorted); the first is changed, as `cloneWithOneFileChange` does. */
export function prepareUpdate(checkout: string, files: readonly string[], policy: string, gitDir: string): UpdateScenario {
  const changed = files[0];
  if (changed === undefined) throw new Error(`${checkout}: no scanned file to change`);
  mkdirSync(path.dirname(gitDir), { recursive: true });
  const env = { GIT_DIR: gitDir, GIT_WORK_TREE: checkout };
  const original = readFileSync(path.join(checkout, changed));
  const policyFile = path.join(checkout, POLICY_NAME);
  const restore = () => {
    writeFileSync(path.join(checkout, changed), original);
    rmSync(policyFile, { force: true });
  };
  try {
    writeFileSync(policyFile, policy);
    git(checkout, env, ["init", "-q", "-b", "main"]);
    git(checkout, env, ["add", "-A"]);
    git(checkout, env, ["add", "-f", POLICY_NAME]);
    git(checkout, env, ["commit", "-q", "--no-verify", "-m", "base: the snapshot as extracted"]);
    applyOneFileChange(checkout, changed);
    git(checkout, env, ["commit", "-q", "--no-verify", "-a", "-m", "head: one-file change"]);
  } catch (error) {
    restore();
    throw error;
  }
  return { env, changed, policyFile, restore };
}

/** A name no snapshot uses, removed again by `restore()`. */
const POLICY_NAME = ".flowgate-corpus-update.yaml";

function git(cwd: string, env: NodeJS.ProcessEnv, args: string[]): void {
  const result = spawnSync("git", ["-c", "user.name=flowgate-corpus", "-c", "user.email=corpus@localhost", "-c", "core.autocrlf=false", ...args], {
    cwd,
    env: { ...process.env, ...env },
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`git ${args.join(" ")} failed in ${cwd}: ${(result.stderr ?? "").trim()}`);
}
