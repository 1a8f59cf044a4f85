import type { Notification } from "../result.js";
import { runGitAsync } from "./git.js";

/** What the working tree holds besides HEAD's commit, under the scan root. */
export interface WorktreeState {
  /**
   * Without --include-worktree, changed lines come from the commits (merge base → HEAD) while the scan reads the files
   * on disk: uncommitted edits to tracked files would shift lines unseen. The note says so, rather than comparing
   * silently wrong.
   */
  uncommitted?: Notification;
  /** Untracked (not ignored) files: the files on disk are then not exactly HEAD's. */
  untracked: boolean;
}

/**
 * One `git status` answers both (tracked files changed, staged or not, and untracked files not ignored); when it
 * fails, the working tree is taken as both, which only costs the review its shortcut through HEAD's files. Run in the
 * scan root (`root`) about `.`, the root's files: a review that never asks for the repository's top
 * (review-update.ts, `baseFromDiff`) needs none for it.
 */
export async function worktreeState(root: string): Promise<WorktreeState> {
  const result = await runGitAsync(root, ["status", "--porcelain", "-z", "--no-renames", "--untracked-files=normal", "--", "."]);
  const entries = result.status === 0 ? result.stdout.toString("utf8").split("\0").filter((entry) => entry.length > 0) : undefined;
  const uncommitted = entries === undefined || entries.some((entry) => !entry.startsWith("?? "));
  const untracked = entries === undefined || entries.some((entry) => entry.startsWith("?? "));
  return { ...(uncommitted ? { uncommitted: UNCOMMITTED } : {}), untracked };
}

const UNCOMMITTED: Notification = {
  id: "uncommitted-changes",
  level: "warning",
  message: "The working tree has uncommitted changes; changed lines were taken from the commits only. Use --include-worktree to review them too.",
};
