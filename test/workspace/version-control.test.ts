import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { absoluteUri, readVersionControl } from "../../src/workspace/version-control.js";

// Git directories written by hand: flowgate reads .git's files and runs nothing, so no git is needed to test it.
const tmp = mkdtempSync(path.join(os.tmpdir(), "flowgate-vcs-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const SHA = "0123456789abcdef0123456789abcdef01234567";
const OTHER = "89abcdef0123456789abcdef0123456789abcdef";

function repo(name: string, files: Record<string, string>): string {
  const root = path.join(tmp, name);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  mkdirSync(path.join(root, "services", "api"), { recursive: true });
  return root;
}

describe("readVersionControl()", () => {
  it("reads the branch's commit from a loose ref and the remote without its credentials", () => {
    const root = repo("loose", {
      ".git/HEAD": "ref: refs/heads/main\n",
      ".git/refs/heads/main": `${SHA}\n`,
      ".git/config": '[core]\n\tbare = false\n[remote "origin"]\n\turl = https://ci-bot:s3cret@github.com/acme/gateway.git\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n',
    });
    expect(readVersionControl(root)).toEqual({ repositoryUri: "https://github.com/acme/gateway.git", revision: SHA, branch: "main", rootInRepository: "" });
    expect(readVersionControl(path.join(root, "services", "api"))?.rootInRepository).toBe("services/api");
  });

  it("reads packed refs, a detached HEAD, and prefers the branch's own remote", () => {
    const root = repo("packed", {
      ".git/HEAD": "ref: refs/heads/feature\n",
      ".git/packed-refs": `# pack-refs with: peeled fully-peeled sorted\n${OTHER} refs/heads/main\n${SHA} refs/heads/feature\n`,
      ".git/config": '[remote "origin"]\n\turl = git@github.com:acme/gateway.git\n[remote "fork"]\n\turl = https://gitlab.example/me/gateway\n[branch "feature"]\n\tremote = fork\n',
    });
    expect(readVersionControl(root)).toMatchObject({ repositoryUri: "https://gitlab.example/me/gateway", revision: SHA, branch: "feature" });
    writeFileSync(path.join(root, ".git/HEAD"), `${OTHER}\n`);
    expect(readVersionControl(root)).toEqual({ repositoryUri: "ssh://github.com/acme/gateway.git", revision: OTHER, rootInRepository: "" });
  });

  it("follows a linked work tree's .git file to its git directory and the common one", () => {
    const main = repo("main-tree", {
      ".git/config": '[remote "origin"]\n\turl = https://github.com/acme/gateway\n',
      ".git/refs/heads/topic": `${SHA}\n`,
      ".git/worktrees/wt/HEAD": "ref: refs/heads/topic\n",
      ".git/worktrees/wt/commondir": "../..\n",
    });
    const linked = repo("linked-tree", { ".git": `gitdir: ${path.join(main, ".git/worktrees/wt")}\n` });
    expect(readVersionControl(linked)).toMatchObject({ repositoryUri: "https://github.com/acme/gateway", revision: SHA, branch: "topic" });
  });

  it("gives nothing without a usable remote or commit, or outside a work tree", () => {
    const local = repo("local-remote", {
      ".git/HEAD": `${SHA}\n`,
      ".git/config": '[remote "origin"]\n\turl = ../upstream.git\n',
    });
    expect(readVersionControl(local)).toBeUndefined();
    const none = repo("no-remote", { ".git/HEAD": `${SHA}\n`, ".git/config": "[core]\n\tbare = false\n" });
    expect(readVersionControl(none)).toBeUndefined();
    const unborn = repo("unborn", { ".git/HEAD": "ref: refs/heads/main\n", ".git/config": '[remote "origin"]\n\turl = https://x.example/r\n' });
    expect(readVersionControl(unborn)).toBeUndefined();
  });
});

describe("absoluteUri()", () => {
  it("keeps absolute URLs without credentials, turns scp-like addresses into ssh URLs, and refuses paths", () => {
    expect(absoluteUri("https://user:token@github.com/acme/gateway.git")).toBe("https://github.com/acme/gateway.git");
    expect(absoluteUri("ssh://git@host.example:2222/acme/gateway.git")).toBe("ssh://host.example:2222/acme/gateway.git");
    expect(absoluteUri("git@github.com:acme/gateway.git")).toBe("ssh://github.com/acme/gateway.git");
    expect(absoluteUri("/srv/git/gateway.git")).toBeUndefined();
    expect(absoluteUri("../gateway.git")).toBeUndefined();
    expect(absoluteUri("file:///srv/git/gateway.git")).toBeUndefined();
    expect(absoluteUri("C:\\repos\\gateway")).toBeUndefined();
  });
});
