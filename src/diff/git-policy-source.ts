import path from "node:path";
import type { PolicySource } from "../config/load-policy.js";
import { UsageError } from "../errors.js";
import { firstLine, runGit, type Repository } from "./git.js";

/**
 * Reads policy files from a revision (`git show <rev>:<path>`), not from the working tree: in update review the
 * policy that judges a pull request is the one of its merge base, so the pull request cannot weaken it.
 */
export function gitPolicySource(repo: Repository, rev: string): PolicySource {
  // a revision's files do not change: each is read once (the review reads the policy to load it and to compare it)
  const read = new Map<string, string | undefined>();
  return {
    description: `base revision ${rev.slice(0, 12)}`,
    read(relativePath) {
      if (read.has(relativePath)) return read.get(relativePath);
      const text = show(relativePath);
      read.set(relativePath, text);
      return text;
    },
  };

  function show(relativePath: string): string | undefined {
    const inRepo = path.posix.normalize(repo.prefix + relativePath.split(path.sep).join("/"));
    if (inRepo.startsWith("../") || path.posix.isAbsolute(inRepo)) {
      throw new UsageError(`policy file ${relativePath} lies outside the repository; the base revision cannot provide it`);
    }
    const type = runGit(repo.top, ["cat-file", "-t", `${rev}:${inRepo}`]);
    if (type.status !== 0) return undefined; // not in that revision
    if (type.stdout.toString("utf8").trim() !== "blob") throw new UsageError(`policy file ${relativePath} is not a file in ${rev}`);
    const shown = runGit(repo.top, ["show", `${rev}:${inRepo}`]);
    if (shown.status !== 0) throw new UsageError(`cannot read ${relativePath} from ${rev}: ${firstLine(shown.stderr)}`);
    return shown.stdout.toString("utf8");
  }
}
