import path from "node:path";
import { CODE_POLICY_FILE_NAMES, POLICY_FILE_NAMES, type PolicySource } from "../config/load-policy.js";
import { UsageError } from "../errors.js";
import type { Repository } from "./git.js";
import { RevisionObjects } from "./revision-objects.js";

/**
 * Reads policy files from a revision (`git cat-file --batch` of `<rev>:<path>`), not from the working tree: in update review the
 * policy that judges a pull request is the one of its merge base, so the pull request cannot weaken it. The first read
 * also reads the other names a policy file may have at the scan root (`findUserFile` tries them in turn) and whatever
 * the review announced to `objects` (the changed files' base versions): one process for all of them.
 */
export function gitPolicySource(repo: Repository, rev: string, objects = new RevisionObjects(repo.top, rev)): PolicySource {
  let announced = false;
  return {
    description: `base revision ${rev.slice(0, 12)}`,
    read(relativePath) {
      const inRepo = path.posix.normalize(repo.prefix + relativePath.split(path.sep).join("/"));
      if (inRepo.startsWith("../") || path.posix.isAbsolute(inRepo)) {
        throw new UsageError(`policy file ${relativePath} lies outside the repository; the base revision cannot provide it`);
      }
      if (/[\r\n]/.test(inRepo)) throw new UsageError(`policy file ${JSON.stringify(relativePath)}: a file name with a line break cannot be read from a revision`);
      if (!announced) {
        announced = true;
        objects.expect([...POLICY_FILE_NAMES, ...CODE_POLICY_FILE_NAMES].map((name) => `${rev}:${repo.prefix}${name}`));
      }
      // a revision's files do not change: each is read once (the review reads the policy to load it and to compare it)
      const [object] = objects.get([`${rev}:${inRepo}`]);
      if (object === undefined) return undefined; // not in that revision
      if (object.type !== "blob") throw new UsageError(`policy file ${relativePath} is not a file in ${rev}`);
      return object.bytes.toString("utf8");
    },
  };
}
