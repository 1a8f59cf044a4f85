import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { extractCommit, MissingCommitError } from "../../../bench/corpus/git-snapshot.js";
import { removeTree, writeTree } from "../../support/temp-tree.js";

const git = (dir: string, ...args: string[]) => {
  const run = spawnSync("git", args, { cwd: dir, encoding: "utf8", env: { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@t", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@t" } });
  if (run.status !== 0) throw new Error(run.stderr);
  return run.stdout.trim();
};

// A repository with two commits; its blob of logo.png is then deleted, as snapshots lack some large blobs.
const repo = writeTree({ "src/a.ts": "export const a = 1;\n", "logo.png": "not really a png\n" });
git(repo, "init", "-q", "-b", "main");
git(repo, "add", "-A");
git(repo, "commit", "-q", "-m", "one");
const first = git(repo, "rev-parse", "HEAD");
const logo = git(repo, "rev-parse", "HEAD:logo.png");
spawnSync("sh", ["-c", "echo 'export const b = 2;' > src/b.ts"], { cwd: repo });
git(repo, "add", "-A");
git(repo, "commit", "-q", "-m", "two");
rmSync(path.join(repo, ".git/objects", logo.slice(0, 2), logo.slice(2)));
const out = writeTree({});

afterAll(() => {
  removeTree(repo);
  removeTree(out);
});

describe("corpus snapshot extraction", () => {
  it("writes the tree of the given commit, leaving out and listing blobs the snapshot lacks", () => {
    const dest = path.join(out, "first");
    const result = extractCommit(path.join(repo, ".git"), first, dest);
    expect(result).toEqual({ commit: first, files: 1, leftOut: ["logo.png"] });
    expect(readFileSync(path.join(dest, "src/a.ts"), "utf8")).toBe("export const a = 1;\n");
    expect(existsSync(path.join(dest, "src/b.ts"))).toBe(false);
    expect(existsSync(path.join(dest, "logo.png"))).toBe(false);
    expect(git(repo, "status", "--porcelain")).toBe("");
  });

  it("says clearly when the commit is not in the snapshot", () => {
    const missing = "1234567890".repeat(4);
    expect(() => extractCommit(path.join(repo, ".git"), missing, path.join(out, "missing"))).toThrow(MissingCommitError);
    expect(() => extractCommit(path.join(repo, ".git"), missing, path.join(out, "missing"))).toThrow(
      new RegExp(`commit ${missing} is not in the snapshot .* \\(its HEAD is [0-9a-f]{40}\\)`),
    );
    expect(() => extractCommit(path.join(out, "nowhere"), first, path.join(out, "x"))).toThrow(/no snapshot at/);
  });
});
