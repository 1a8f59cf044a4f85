import type { Notification } from "../result.js";
import { runGit, type Repository } from "./git.js";

/**
 * Without --include-worktree, changed lines come from the commits (merge base → HEAD) while the scan reads the files
 * on disk: uncommitted edits to tracked files would shift lines unseen. Says so, rather than comparing silently wrong.
 */
export function uncommittedChangesNote(repo: Repository): Notification | undefined {
  const result = runGit(repo.top, ["diff", "--quiet", "HEAD", "--", ...(repo.prefix ? [repo.prefix] : ["."])]);
  if (result.status === 0) return undefined;
  return {
    id: "uncommitted-changes",
    level: "warning",
    message: "The working tree has uncommitted changes; changed lines were taken from the commits only. Use --include-worktree to review them too.",
  };
}
