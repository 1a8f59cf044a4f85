import path from "node:path";
import type { PolicySource } from "../config/load-policy.js";
import { UsageError } from "../errors.js";
import { firstLine, runGit, type Repository } from "./git.js";

/**
 * Reads policy files from a revision (`git cat-file --batch` of `<rev>:<path>`), not from the working tree: in update review the
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
    // one process for the type and the text: `<oid> <type> <size>` and the bytes, or `<name> missing`
    if (/[\r\n]/.test(inRepo)) throw new UsageError(`policy file ${JSON.stringify(relativePath)}: a file name with a line break cannot be read from a revision`);
    const shown = runGit(repo.top, ["cat-file", "--batch"], `${rev}:${inRepo}\n`);
    if (shown.status !== 0) throw new UsageError(`cannot read ${relativePath} from ${rev}: ${firstLine(shown.stderr)}`);
    const newline = shown.stdout.indexOf(0x0a);
    const header = /^[0-9a-f]+ (\w+) (\d+)$/.exec(shown.stdout.subarray(0, newline < 0 ? undefined : newline).toString("utf8"));
    if (header === null) return undefined; // not in that revision
    if (header[1] !== "blob") throw new UsageError(`policy file ${relativePath} is not a file in ${rev}`);
    return shown.stdout.subarray(newline + 1, newline + 1 + Number(header[2])).toString("utf8");
  }
}
