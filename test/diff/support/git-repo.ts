import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { writeTree, type Tree } from "../../support/temp-tree.js";

/** A real git repository in a temporary directory, driven with argument arrays like flowgate itself. */
export interface TestRepo {
  dir: string;
  git(...args: string[]): string;
  /** Writes files (a `null` content deletes the file) and commits them; returns the new commit's id. */
  commit(message: string, files: Record<string, string | null>): string;
  /** Commits an update on a new branch from main and leaves main checked out. */
  branch(name: string, files: Record<string, string | null>): void;
  remove(): void;
}

const IDENTITY = ["-c", "user.name=flowgate test", "-c", "user.email=test@flowgate.invalid", "-c", "commit.gpgsign=false"];

export function createRepo(initial: Tree, branch = "main"): TestRepo {
  const dir = writeTree({});
  const git = (...args: string[]) =>
    execFileSync("git", [...IDENTITY, ...args], { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, GIT_CONFIG_NOSYSTEM: "1", HOME: dir } });
  git("init", "-q", "-b", branch);
  const repo: TestRepo = {
    dir,
    git,
    commit(message, files) {
      for (const [relative, contents] of Object.entries(files)) {
        const absolute = path.join(dir, relative);
        if (contents === null) {
          rmSync(absolute, { force: true });
          continue;
        }
        mkdirSync(path.dirname(absolute), { recursive: true });
        writeFileSync(absolute, contents);
      }
      git("add", "-A");
      git("commit", "-q", "--allow-empty", "-m", message);
      return git("rev-parse", "HEAD").trim();
    },
    branch(name, files) {
      git("checkout", "-q", "-b", name, branch);
      repo.commit(name, files);
      git("checkout", "-q", branch);
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
  repo.commit("base", initial as Record<string, string>);
  return repo;
}
