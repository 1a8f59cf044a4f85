import os from "node:os";
import path from "node:path";

// Where the cache lives and how it is signed: what the CLI needs before it loads the pipeline (and the compiler).

/** The environment variable the signing key is read from. */
export const CACHE_KEY_VARIABLE = "FLOWGATE_CACHE_KEY";

/** The default cache directory: the OS's per-user cache folder (XDG_CACHE_HOME, ~/Library/Caches, LOCALAPPDATA). */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const home = os.homedir();
  if (process.platform === "win32") return path.join(env.LOCALAPPDATA ?? path.join(home, "AppData", "Local"), "flowgate", "Cache");
  if (process.platform === "darwin") return path.join(home, "Library", "Caches", "flowgate");
  return path.join(env.XDG_CACHE_HOME || path.join(home, ".cache"), "flowgate");
}

