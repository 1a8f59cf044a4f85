import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import {
  SCAN_V8_FLAGS,
  SNAPSHOT_BLOB,
  SNAPSHOT_STAMP,
  STARTED_FD_VARIABLE,
  stampMismatch,
  type SnapshotStamp,
} from "./snapshot-files.js";

/**
 * Environment of the process a scan runs in, under what the user's environment sets. glibc's malloc gives each thread
 * that allocates its own arena (up to eight per core), and V8's helper threads (concurrent marking, the optimising
 * compiler) each leave a few megabytes in theirs that are never given back: at a scan's peak four such arenas held
 * 18 MB. Two arenas (the main thread's, one shared by the helpers) hold ~11 MB less at the same CPU (performance.md,
 * session 28). Other C libraries ignore the variable; the scan's own child processes (git) inherit it, harmlessly.
 */
const SCAN_ENVIRONMENT: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: "2" };

/** How a CLI process started from the snapshot ended. */
export type SnapshotExit = { code: number } | { signal: NodeJS.Signals };

/**
 * Runs the CLI in a process started from the build's startup snapshot (bundle.ts), which begins with the compiler,
 * flowgate's code, the shipped rules and the parsed lib files already in memory. Returns how it ended, or undefined
 * when the snapshot is not used — the caller then runs the CLI itself, as without a snapshot:
 * - FLOWGATE_NO_SNAPSHOT is set, or Node options were given to this process or in NODE_OPTIONS (`--inspect`,
 *   `--import`, `--max-old-space-size`…: they are for the process that runs the scan, so it runs here; and V8 refuses a
 *   snapshot made under other V8 flags);
 * - there is no snapshot, or its stamp does not match this Node binary and the package's files as they are now;
 * - the process started from it ended before the CLI started in it (it says so on a pipe): nothing of the scan has run,
 *   so running it here loses nothing and changes nothing.
 * Why the snapshot is not used is printed only with --debug.
 */
export async function runFromSnapshot(
  argv: readonly string[],
  snapshot: { blob: string; stamp: string } = { blob: SNAPSHOT_BLOB, stamp: SNAPSHOT_STAMP },
): Promise<SnapshotExit | undefined> {
  const debug = argv.includes("--debug");
  const skip = (why: string): undefined => {
    if (debug) process.stderr.write(`flowgate: not using the startup snapshot: ${why}\n`);
    return undefined;
  };
  if (process.env.FLOWGATE_NO_SNAPSHOT) return undefined;
  if (process.execArgv.length > 0) return skip(`Node options were given (${process.execArgv.join(" ")})`);
  if (process.env.NODE_OPTIONS?.trim()) return skip(`NODE_OPTIONS is set (${process.env.NODE_OPTIONS})`);
  const unusable = whyUnusable(snapshot);
  if (unusable !== undefined) return skip(unusable);

  const child = spawn(process.execPath, [...SCAN_V8_FLAGS, "--snapshot-blob", snapshot.blob, "--", ...argv.slice(1)], {
    stdio: ["inherit", "inherit", "inherit", "pipe"],
    env: { ...SCAN_ENVIRONMENT, ...process.env, [STARTED_FD_VARIABLE]: "3" },
  });
  let started = false;
  child.stdio[3]?.on("data", () => (started = true));
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  const signals: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];
  for (const signal of signals) process.on(signal, forward);
  const ended = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>((resolve) => {
    child.on("error", (error) => resolve({ code: null, signal: null, error }));
    child.on("close", (code, signal) => resolve({ code, signal }));
  });
  for (const signal of signals) process.off(signal, forward);
  if (!started) {
    const how = ended.error?.message ?? (ended.signal !== null ? `signal ${ended.signal}` : `exit code ${ended.code}`);
    return skip(`the process started from it ended before the CLI started (${how})`);
  }
  return ended.signal !== null ? { signal: ended.signal } : { code: ended.code ?? 1 };
}

/** Why the snapshot cannot be used (missing, or made by another Node or from other files), or undefined when it can. */
function whyUnusable(snapshot: { blob: string; stamp: string }): string | undefined {
  if (!existsSync(snapshot.stamp) || !existsSync(snapshot.blob)) return "no snapshot was built (npm run build makes it)";
  let stamp: SnapshotStamp;
  try {
    stamp = JSON.parse(readFileSync(snapshot.stamp, "utf8")) as SnapshotStamp;
  } catch (error) {
    return `its stamp cannot be read (${error instanceof Error ? error.message : String(error)})`;
  }
  return stampMismatch(stamp);
}
