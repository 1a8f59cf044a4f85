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
  it("are three, started together and none waited on before the head's files are listed: the diff from the merge base git finds, the working tree's state, and the policy from HEAD with the changed files' base versions", async () => {
    const { scan } = await import("../../src/scan.js");
    const review = createRepo({ "flowgate.config.yaml": "extends: recommended\n", "src/a.ts": "export const a = 1;\n" });
    try {
      review.branch("update", { "src/a.ts": "export const a = 2;\n" });
      review.git("checkout", "-q", "update");
      const { runs } = await git.duringAsync(() => scan({ root: review.dir, base: "main" }));
      const commands = commandsOf(runs);
      // the order in the log is the processes'
      expect([...commands].sort()).toEqual(["cat-file --batch", "diff --no-color", "status --porcelain"]);
      expect(runs.find((run) => run.includes(" diff "))).toMatch(/ --relative main\.\.\.HEAD -- \.$/);
    } finally {
      review.remove();
    }
  });

  it("are the four steps when git warns of two merge bases: the review compares with the one git merge-base picks", async () => {
    const { scan } = await import("../../src/scan.js");
    repo.git("checkout", "-q", "y");
    try {
      const { runs } = await git.duringAsync(() => scan({ root: repo.dir, base: "x" }));
      // the status and HEAD's policy files were asked beside the diff
      const steps = runs.filter((run) => !/ (status|cat-file) /.test(run));
      expect(commandsOf(steps).slice(0, 3)).toEqual(["diff --no-color", "rev-parse --show-toplevel", "merge-base " + repo.git("rev-parse", "x").trim()]);
      expect(steps[3]).toContain(` diff --no-color --no-ext-diff --find-renames --unified=0 --full-index ${gitMergeBase("x", "y")} HEAD`);
    } finally {
      repo.git("checkout", "-q", "main");
    }
  });

  it("name the merge base in a message about its policy, and read a policy outside the scan root from it", async () => {
    const { scan } = await import("../../src/scan.js");
    const review = createRepo({ "app/flowgate.config.yaml": "extends: [nope]\n", "shared/policy.yaml": "extends: recommended\n", "app/src/a.ts": "export const a = 1;\n" });
    try {
      review.branch("update", { "app/src/a.ts": "export function a(user: { phone: string }) {\n  console.log(user.phone);\n}\n", "shared/policy.yaml": "extends: []\n" });
      review.git("checkout", "-q", "update");
      const mergeBase = review.git("merge-base", "main", "HEAD").trim();
      const app = path.join(review.dir, "app");
      // the policy HEAD has unchanged does not load: the message is the merge base's, as the steps one by one give it
      const { value: message, runs } = await git.duringAsync(() => scan({ root: app, base: "main" }).then(() => "loaded", (err: Error) => err.message));
      expect(message).toContain(`(base revision ${mergeBase.slice(0, 12)}):1:`);
      expect(commandsOf(runs)).toContain("rev-parse --show-toplevel");
      // --config outside the root: not in the diff's scope, so read from the merge base (recommended: the phone number
      // is restricted), not HEAD's `extends: []`
      const { value: result, runs: outside } = await git.duringAsync(() => scan({ root: app, base: "main", configPath: path.join(review.dir, "shared/policy.yaml") }));
      const lines = result.findings.map((f) => `${f.baselineState} ${f.ruleId} ${f.location.file}:${f.location.startLine}`);
      expect(lines).toContain("new leak-to-log src/a.ts:2");
      expect(lines).toContain("new policy-weakened ../shared/policy.yaml:1");
      expect(commandsOf(outside)).toContain("rev-parse --show-toplevel");
    } finally {
      review.remove();
    }
  });

  it("fail as before when there is no repository, no such ref or no common ancestor", async () => {
    const { scan } = await import("../../src/scan.js");
    const outside = writeTree({ "src/a.ts": "export const a = 1;\n" });
    try {
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
    } finally {
      review.remove();
    }
  });
});
