import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * Writes the tree of one commit of a git directory (bare, or a clone's .git) into a plain folder, without a work tree
 * or a checkout. Snapshots can lack some blobs (large images, archives): `git archive` and `git checkout` abort on
 * those, so every blob is probed first and the missing ones are left out and listed.
 */
export interface Extraction {
  commit: string;
  files: number;
  /** Paths whose blob the snapshot does not hold, so they are absent from the folder. */
  leftOut: string[];
}

export class MissingCommitError extends Error {}

/** The git directory of `owner/name` in a mirror: `<mirror>/<owner>+<name>/repo` (bare) or `…/repo/.git`. */
export function mirrorGitDir(mirror: string, repository: string): string {
  const repo = path.join(mirror, repository.replace("/", "+"), "repo");
  const dotGit = path.join(repo, ".git");
  return existsSync(dotGit) ? dotGit : repo;
}

export function extractCommit(gitDir: string, commit: string, dest: string): Extraction {
  if (!existsSync(gitDir)) throw new MissingCommitError(`no snapshot at ${gitDir}`);
  const probe = git(gitDir, ["cat-file", "-e", `${commit}^{commit}`], { allowFailure: true });
  if (probe.status !== 0) {
    const head = git(gitDir, ["rev-parse", "HEAD"], { allowFailure: true });
    const has = head.status === 0 ? `its HEAD is ${head.stdout.trim()}` : "it has no HEAD";
    throw new MissingCommitError(`commit ${commit} is not in the snapshot ${gitDir} (${has})`);
  }
  // A private index, so the snapshot's own (a bare one has none) is never touched.
  const scratch = mkdtempSync(path.join(os.tmpdir(), "flowgate-extract-"));
  const env = { GIT_INDEX_FILE: path.join(scratch, "index") };
  try {
    git(gitDir, ["read-tree", commit], { env });
    const staged = git(gitDir, ["ls-files", "-s", "-z"], { env })
      .stdout.split("\0")
      .filter(Boolean)
      .map((line) => {
        // "<mode> <object> <stage>\t<path>"
        const tab = line.indexOf("\t");
        const [mode, object] = line.slice(0, tab).split(" ");
        return { mode: mode as string, object: object as string, file: line.slice(tab + 1) };
      });
    const blobs = staged.filter((s) => s.mode !== "160000"); // gitlinks (submodules) have no blob here
    const check = git(gitDir, ["cat-file", "--batch-check"], { input: blobs.map((b) => b.object).join("\n") + "\n" });
    const missing = new Set(
      check.stdout
        .split("\n")
        .filter((line) => line.endsWith(" missing"))
        .map((line) => line.split(" ")[0]),
    );
    const leftOut = blobs.filter((b) => missing.has(b.object)).map((b) => b.file);
    if (leftOut.length > 0) git(gitDir, ["update-index", "--force-remove", "-z", "--stdin"], { env, input: leftOut.join("\0") + "\0" });
    mkdirSync(dest, { recursive: true });
    git(gitDir, [`--work-tree=${dest}`, "checkout-index", "-a", "-f", `--prefix=${dest.replace(/\/?$/, "/")}`], { env });
    return { commit, files: blobs.length - leftOut.length, leftOut };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function git(
  gitDir: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; input?: string; allowFailure?: boolean } = {},
): { status: number | null; stdout: string } {
  const run = spawnSync("git", [`--git-dir=${gitDir}`, ...args], {
    encoding: "utf8",
    env: { ...process.env, ...options.env },
    input: options.input,
    maxBuffer: 512 * 1024 * 1024,
  });
  if (run.error) throw run.error;
  if (run.status !== 0 && !options.allowFailure) {
    throw new Error(`git ${args.find((a) => !a.startsWith("-"))} in ${gitDir} failed (exit ${run.status}): ${run.stderr.trim()}`);
  }
  return { status: run.status, stdout: run.stdout };
}
