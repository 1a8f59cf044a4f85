import { realpathSync } from "node:fs";
import path from "node:path";

/**
 * An absolute path with every symbolic link resolved, so a root reached through a linked ancestor (`/link/gateway`,
 * or `.` from inside it, which the shell already resolved) is one and the same root: the same enclosing repository,
 * the same .gitignore rules, the same relative paths — and a --config path relative to it. A path that does not exist
 * (yet) keeps its last segments, below its nearest existing ancestor resolved.
 */
export function realPath(p: string): string {
  const absolute = path.resolve(p);
  try {
    return realpathSync.native(absolute);
  } catch {
    const parent = path.dirname(absolute);
    return parent === absolute ? absolute : path.join(realPath(parent), path.basename(absolute));
  }
}
