import { rmSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openMergeBase } from "../../src/diff/git.js";
import { createRepo, type TestRepo } from "./support/git-repo.js";
import { countingGit, type GitRuns } from "./support/git-runs.js";
import { writeTree } from "../support/temp-tree.js";

// The merge base an update review compares with, found with one git process (`rev-parse <ref>...HEAD` names the
// repository, both commits and their merge bases), and the same commit `git merge-base` names: on a branch behind its
// base, on criss-cross merges (two merge bases: `merge-base` picks), and the errors of the steps one by one.

let repo: TestRepo;
let git: GitRuns;

beforeAll(() => {
  repo = createRepo({ "src/a.ts": "export const a = 1;\n" });
  // feature branches off main, then main moves on: the merge base is the fork point, not main's tip
  repo.git("checkout", "-q", "-b", "feature");
  repo.commit("feature", { "src/b.ts": "export const b = 1;\n" });
  repo.git("checkout", "-q", "main");
  repo.commit("main moves", { "src/c.ts": "export const c = 1;\n" });
  // criss-cross: x and y each merge the other's first commit, so x and y have two merge bases
  repo.git("checkout", "-q", "-b", "x", "main");
  repo.commit("x1", { "src/x.ts": "export const x = 1;\n" });
  repo.git("checkout", "-q", "-b", "y", "main");
  repo.commit("y1", { "src/y.ts": "export const y = 1;\n" });
  repo.git("branch", "x1", "x");
  repo.git("branch", "y1", "y");
  repo.git("merge", "-q", "--no-edit", "x1");
  repo.git("checkout", "-q", "x");
  repo.git("merge", "-q", "--no-edit", "y1");
  repo.git("checkout", "-q", "--orphan", "unrelated");
  repo.commit("unrelated", { "src/z.ts": "export const z = 1;\n" });
  repo.git("checkout", "-q", "main");
  git = countingGit();
});

afterAll(() => {
  repo.remove();
  git.remove();
});

/** openMergeBase with HEAD at `head`, and the git processes it ran. */
function mergeBase(head: string, ref: string): { mergeBase: string; runs: number } {
  repo.git("checkout", "-q", head);
  try {
    const { value, runs } = git.during(() => openMergeBase(repo.dir, ref).mergeBase);
    return { mergeBase: value, runs: runs.length };
  } finally {
    repo.git("checkout", "-q", "main");
  }
}

function gitMergeBase(a: string, b: string): string {
  return repo.git("merge-base", a, b).trim();
}

describe("the merge base of a review", () => {
  it("is git merge-base's, found with one process", () => {
    expect(mergeBase("feature", "main")).toEqual({ mergeBase: gitMergeBase("main", "feature"), runs: 1 });
    expect(gitMergeBase("main", "feature")).not.toBe(repo.git("rev-parse", "main").trim());
    expect(mergeBase("main", "feature~1")).toEqual({ mergeBase: repo.git("rev-parse", "feature~1").trim(), runs: 1 });
    expect(mergeBase("feature", "HEAD")).toEqual({ mergeBase: repo.git("rev-parse", "feature").trim(), runs: 1 });
  });

  it("with two merge bases, the one git merge-base picks", () => {
    expect(repo.git("merge-base", "--all", "x", "y").trim().split("\n")).toHaveLength(2);
    expect(mergeBase("y", "x")).toEqual({ mergeBase: gitMergeBase("x", "y"), runs: 2 });
  });

  it("says when there is none, or the ref names no commit", () => {
    expect(() => mergeBase("unrelated", "main")).toThrow(/`main` and HEAD have no common ancestor/);
    expect(() => mergeBase("feature", "nope")).toThrow(/`nope` names no commit/);
    expect(() => mergeBase("feature", "main:src/a.ts")).toThrow(/names no commit/);
    expect(() => mergeBase("feature", "main..feature")).toThrow(/names no commit/);
    expect(() => mergeBase("feature", "-main")).toThrow(/is not a git ref/);
  });
});

/** A review's git commands: each run's first two words past the `-c` options. */
function commandsOf(runs: readonly string[]): string[] {
  return runs.map((r) => r.split(" ").filter((w) => w !== "-c" && !w.includes("=")).slice(0, 2).join(" "));
}

describe("the git processes of a review", () => {
  it("are four: the diff from the merge base and the working tree's state started beside the merge base's, then the policy with the changed files' base versions", async () => {
    const { scan } = await import("../../src/scan.js");
    const review = createRepo({ "flowgate.config.yaml": "extends: recommended\n", "src/a.ts": "export const a = 1;\n" });
    try {
      review.branch("update", { "src/a.ts": "export const a = 2;\n" });
      review.git("checkout", "-q", "update");
      const { runs } = await git.duringAsync(() => scan({ root: review.dir, base: "main" }));
      const commands = commandsOf(runs);
      // the diff, the status and the rev-parse run together (their order in the log is theirs); the policy's read
      // waits for the merge base and the diff (it reads the changed files' base versions too)
      expect([...commands].sort()).toEqual(["cat-file --batch", "diff --no-color", "rev-parse --show-toplevel", "status --porcelain"]);
      expect(commands.indexOf("cat-file --batch")).toBeGreaterThan(commands.indexOf("rev-parse --show-toplevel"));
      expect(commands.indexOf("cat-file --batch")).toBeGreaterThan(commands.indexOf("diff --no-color"));
      // the diff needs no merge base from rev-parse: git finds it (`<ref>...HEAD`)
      expect(runs.find((r) => r.includes(" diff "))).toMatch(/ main\.\.\.HEAD -- \.$/);
    } finally {
      review.remove();
    }
  });

  it("with two merge bases, read the diff again from the one git merge-base picks", async () => {
    const { scan } = await import("../../src/scan.js");
    repo.git("checkout", "-q", "y");
    try {
      const { runs } = await git.duringAsync(() => scan({ root: repo.dir, base: "x" }));
      const diffs = runs.filter((r) => r.includes(" diff "));
      expect(diffs).toHaveLength(2);
      expect(diffs.find((r) => !r.includes("x...HEAD"))).toContain(` ${gitMergeBase("x", "y")} HEAD`);
      expect(commandsOf(runs)).toContain("merge-base " + repo.git("rev-parse", "x").trim());
    } finally {
      repo.git("checkout", "-q", "main");
    }
  });

  it("fail as before when there is no repository or no such ref, with the diff and the status started", async () => {
    const { scan } = await import("../../src/scan.js");
    const outside = writeTree({ "src/a.ts": "export const a = 1;\n" });
    try {
      const { runs } = await git.duringAsync(() => scan({ root: outside, base: "main" }).catch((err: Error) => err.message));
      expect(runs.length).toBeGreaterThanOrEqual(3); // the diff, the status, and the steps one by one
      await expect(scan({ root: outside, base: "main" })).rejects.toThrow(/--base needs a git checkout, and .* is not inside one/);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
    repo.git("checkout", "-q", "feature");
    try {
      await expect(scan({ root: repo.dir, base: "nope" })).rejects.toThrow(/`nope` names no commit in this repository/);
      await expect(scan({ root: repo.dir, base: "unrelated" })).rejects.toThrow(/`unrelated` and HEAD have no common ancestor/);
    } finally {
      repo.git("checkout", "-q", "main");
    }
  });
});

describe("a review of a folder of the repository", () => {
  // the scan root is app/: the diff is limited to it (a change outside is not the review's), its paths are the
  // folder's, and a file renamed within it is a rename
  const POLICY = "extends: recommended\n";
  const AUDIT = `export function audit(user: { phone: string; email: string }) {\n  console.log("audit", user.phone);\n}\n`;
  const LOGIN = `\nexport function login(user: { phone: string; email: string }) {\n  console.log("login", user.email);\n}\n`;

  it("reports the leak the update adds in the folder, and nothing for a leak outside it or a file renamed in it", async () => {
    const { scan } = await import("../../src/scan.js");
    const review = createRepo({
      "app/flowgate.config.yaml": POLICY,
      "app/src/audit.ts": AUDIT,
      "app/src/old.ts": `export const old = 1;\n`,
      "other/x.ts": AUDIT,
    });
    try {
      review.branch("update", { "app/src/audit.ts": AUDIT + LOGIN, "app/src/old.ts": null, "app/src/moved.ts": `export const old = 1;\n`, "other/x.ts": AUDIT + LOGIN });
      review.git("checkout", "-q", "update");
      const result = await scan({ root: path.join(review.dir, "app"), base: "main" });
      const lines = result.findings.map((f) => `${f.baselineState} ${f.ruleId} ${f.location.file}:${f.location.startLine}`);
      expect(lines).toEqual(["new leak-to-log src/audit.ts:6"]);
      const all = await scan({ root: path.join(review.dir, "app"), base: "main", newOnly: false });
      expect(all.findings.map((f) => `${f.baselineState} ${f.location.file}:${f.location.startLine}`)).toEqual(["unchanged src/audit.ts:2", "new src/audit.ts:6"]);
      // the diff runs in the folder (it starts before the repository's top is known): a user's diff.relative, which
      // would make its paths the folder's, changes nothing
      review.git("config", "diff.relative", "true");
      const relative = await scan({ root: path.join(review.dir, "app"), base: "main", newOnly: false });
      expect(relative.findings.map((f) => `${f.baselineState} ${f.location.file}:${f.location.startLine}`)).toEqual(["unchanged src/audit.ts:2", "new src/audit.ts:6"]);
    } finally {
      review.remove();
    }
  });
});
