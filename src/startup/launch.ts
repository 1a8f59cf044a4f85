import { spawn } from "node:child_process";
import v8 from "node:v8";
import { existsSync, readFileSync } from "node:fs";
import {
  SCAN_V8_FLAGS,
  SNAPSHOT_BLOB,
  TIER_UP_V8_FLAGS,
  SNAPSHOT_STAMP,
  STARTED_FD_VARIABLE,
  stampMismatch,
  type SnapshotStamp,
} from "./snapshot-files.js";
import { acceptHandOver, HAND_OVER_MESSAGE, LARGE_SCAN_V8_FLAGS, STARTED_MESSAGE, takeHandOver } from "./large-scan.js";
import { EXIT } from "../cli/exit-codes.js";
import { collectGarbage } from "../collect-garbage.js";
import { exitWhenIdle } from "./exit-when-idle.js";
import { restoreDeferredEnvironment, scanProcessEnvironment } from "./scan-environment.js";

/** How a CLI process started from the snapshot ended. */
export type SnapshotExit = { code: number } | { signal: NodeJS.Signals };
/** How the process from the snapshot ended, or what it said of the large scan it handed back (large-scan.ts). */
type SnapshotEnd = SnapshotExit | { handedOver: string };

/**
 * bin/flowgate.js: runs the CLI from the startup snapshot when it can (runFromSnapshot), else in this process; a large
 * scan handed back by either (large-scan.ts) then runs in a process with a larger young generation. Returns how the
 * CLI ended, for this process to end the same way — at once when nothing is left to do (exit-when-idle.ts).
 */
export async function launch(argv: readonly string[]): Promise<SnapshotExit> {
  exitWhenIdle();
  // a large scan's process, started by a launcher (runScanProcess), gets back what that launcher set aside
  restoreDeferredEnvironment();
  let ended: SnapshotEnd | undefined = await runFromSnapshot(argv);
  if (ended === undefined) {
    // Node options given by the user are for the process that scans: this one keeps its scan, however large, and V8's
    // own tiering; else it runs with the scan's interrupt budget (set before the compiler's code is loaded)
    const options = process.execArgv.length > 0 || Boolean(process.env.NODE_OPTIONS?.trim());
    if (!options) {
      for (const flag of TIER_UP_V8_FLAGS) v8.setFlagsFromString(flag);
      acceptHandOver();
    }
    const { main } = await import("../cli/main.js");
    const code = await main([...argv]);
    const handedOver = takeHandOver();
    if (handedOver === undefined) return { code };
    // what the CLI read here is garbage now, and this process waits beside the large one: leave it small
    collectGarbage();
    ended = { handedOver };
  }
  if (!("handedOver" in ended)) return ended;
  if (argv.includes("--debug")) {
    process.stderr.write(`flowgate: a large scan (${describeHandOver(ended.handedOver)}): it runs in a process started under ${LARGE_SCAN_V8_FLAGS.join(" ")}\n`);
  }
  const large = await runScanProcess([...LARGE_SCAN_V8_FLAGS, ...argv.slice(1)], false);
  if (large.error) {
    process.stderr.write(`flowgate: could not start the process for a large scan: ${large.error.message}\n`);
    return { code: EXIT.internal };
  }
  return exitOf(large);
}

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
 * A large scan is handed back by the process from the snapshot before it parses anything (large-scan.ts).
 * Why the snapshot is not used is printed only with --debug.
 */
export async function runFromSnapshot(
  argv: readonly string[],
  snapshot: { blob: string; stamp: string } = { blob: SNAPSHOT_BLOB, stamp: SNAPSHOT_STAMP },
): Promise<SnapshotEnd | undefined> {
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

  const first = await runScanProcess([...SCAN_V8_FLAGS, "--snapshot-blob", snapshot.blob, "--", ...argv.slice(1)], true);
  if (!first.started) {
    const how = first.error?.message ?? (first.signal !== null ? `signal ${first.signal}` : `exit code ${first.code}`);
    return skip(`the process started from it ended before the CLI started (${how})`);
  }
  return first.handedOver !== undefined ? { handedOver: first.handedOver } : exitOf(first);
}

interface ScanProcessEnd {
  code: number | null;
  signal: NodeJS.Signals | null;
  error?: Error;
  /** It wrote that it started (a process from the snapshot: snapshot-entry.ts). */
  started: boolean;
  /** What it said of a large scan it handed back (large-scan.ts): "FILES CHARACTERS" read. */
  handedOver?: string;
}

/**
 * Runs Node with these arguments, the terminal's streams and the scan's environment, forwarding the signals that end
 * a process, until it ends. With `launcherPipe` it gets the pipe (descriptor 3) on which a process started from the
 * snapshot says that it started, or hands a large scan back.
 */
async function runScanProcess(args: string[], launcherPipe: boolean): Promise<ScanProcessEnd> {
  const child = spawn(process.execPath, args, {
    stdio: launcherPipe ? ["inherit", "inherit", "inherit", "pipe"] : "inherit",
    env: scanProcessEnvironment(process.env, launcherPipe ? { [STARTED_FD_VARIABLE]: "3" } : {}),
  });
  let said = "";
  child.stdio[3]?.on("data", (data: Buffer) => (said += data.toString("utf8")));
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  const signals: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];
  for (const signal of signals) process.on(signal, forward);
  const ended = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>((resolve) => {
    child.on("error", (error) => resolve({ code: null, signal: null, error }));
    child.on("close", (code, signal) => resolve({ code, signal }));
  });
  for (const signal of signals) process.off(signal, forward);
  const lines = said.split("\n");
  const handOver = lines.find((line) => line.startsWith(`${HAND_OVER_MESSAGE} `));
  return {
    ...ended,
    started: lines.includes(STARTED_MESSAGE),
    ...(handOver !== undefined ? { handedOver: handOver.slice(HAND_OVER_MESSAGE.length + 1) } : {}),
  };
}

/** "FILES CHARACTERS" → "1,056 files, 7.8 MB of source". */
function describeHandOver(said: string): string {
  const [files, characters] = said.split(" ");
  return `${Number(files).toLocaleString("en-US")} files, ${(Number(characters) / 1e6).toFixed(1)} MB of source`;
}

function exitOf(ended: ScanProcessEnd): SnapshotExit {
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
