import { spawn } from "node:child_process";
import v8 from "node:v8";
import { existsSync, readFileSync } from "node:fs";
import {
  LARGE_SCAN_SNAPSHOT_BLOB,
  SCAN_V8_FLAGS,
  SNAPSHOT_BLOB,
  TIER_UP_V8_FLAGS,
  SNAPSHOT_STAMP,
  STARTED_FD_VARIABLE,
  stampMismatch,
  type SnapshotStamp,
} from "./snapshot-files.js";
import {
  acceptHandOver,
  HAND_OVER_MESSAGE,
  LARGE_SCAN_PROCESS_VARIABLE,
  LARGE_SCAN_SNAPSHOT_V8_FLAGS,
  LARGE_SCAN_V8_FLAGS,
  STARTED_MESSAGE,
  takeHandOver,
} from "./large-scan.js";
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
 * scan handed back by either (large-scan.ts) then runs in a process with a larger young generation, started from the
 * large scan's snapshot when the first process came from a snapshot (runLargeFromSnapshot), else without one. Returns how the
 * CLI ended, for this process to end the same way — at once when nothing is left to do (exit-when-idle.ts).
 */
export async function launch(argv: readonly string[]): Promise<SnapshotExit> {
  exitWhenIdle();
  // a large scan's process, started by a launcher (runScanProcess), gets back what that launcher set aside
  restoreDeferredEnvironment();
  let ended: SnapshotEnd | undefined = await runFromSnapshot(argv);
  // the large scan starts from its own snapshot only where the first process started from one
  const snapshots = ended !== undefined;
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
  if (snapshots) {
    const fromSnapshot = await runLargeFromSnapshot(argv, ended.handedOver);
    if (fromSnapshot !== undefined) return fromSnapshot;
  }
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

/**
 * Runs a large scan handed back by the process from the snapshot in a process started from the large scan's snapshot
 * (large-scan.ts), which says on the pipe that it started and keeps the scan. Returns how it ended, or undefined when that
 * snapshot is not used — missing (a build before it, or one whose second snapshot failed), made under other options, or
 * its process ended before the CLI started: the caller then starts the large scan's process without a snapshot.
 */
export async function runLargeFromSnapshot(
  argv: readonly string[],
  handedOver: string,
  snapshot: { blob: string; stamp: string } = { blob: LARGE_SCAN_SNAPSHOT_BLOB, stamp: SNAPSHOT_STAMP },
): Promise<SnapshotExit | undefined> {
  const debug = argv.includes("--debug");
  const skip = (why: string): undefined => {
    if (debug) process.stderr.write(`flowgate: not using the large scan's snapshot: ${why}\n`);
    return undefined;
  };
  const stamp = readStamp(snapshot);
  if (typeof stamp === "string") return skip(stamp);
  if (stamp.largeV8Flags?.join(" ") !== LARGE_SCAN_SNAPSHOT_V8_FLAGS.join(" ")) {
    return skip(stamp.largeV8Flags === undefined ? "the build did not make it" : `it was made under other V8 options (${stamp.largeV8Flags.join(" ")})`);
  }
  if (debug) {
    const flags = LARGE_SCAN_SNAPSHOT_V8_FLAGS.join(" ");
    process.stderr.write(`flowgate: a large scan (${describeHandOver(handedOver)}): it runs in a process started from the large scan's snapshot, under ${flags}\n`);
  }
  const large = await runScanProcess([...LARGE_SCAN_SNAPSHOT_V8_FLAGS, "--snapshot-blob", snapshot.blob, "--", ...argv.slice(1)], true, {
    [LARGE_SCAN_PROCESS_VARIABLE]: "1",
  });
  if (!large.started) {
    const how = large.error?.message ?? (large.signal !== null ? `signal ${large.signal}` : `exit code ${large.code}`);
    return skip(`the process started from it ended before the CLI started (${how})`);
  }
  return exitOf(large);
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
async function runScanProcess(args: string[], launcherPipe: boolean, extra: Readonly<Record<string, string>> = {}): Promise<ScanProcessEnd> {
  const child = spawn(process.execPath, args, {
    stdio: launcherPipe ? ["inherit", "inherit", "inherit", "pipe"] : "inherit",
    env: scanProcessEnvironment(process.env, launcherPipe ? { ...extra, [STARTED_FD_VARIABLE]: "3" } : extra),
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
  const stamp = readStamp(snapshot);
  return typeof stamp === "string" ? stamp : undefined;
}

/** The snapshot's stamp when it fits this Node binary and the package's files as they are now, else why it cannot be used. */
function readStamp(snapshot: { blob: string; stamp: string }): SnapshotStamp | string {
  if (!existsSync(snapshot.stamp) || !existsSync(snapshot.blob)) return "no snapshot was built (npm run build makes it)";
  let stamp: SnapshotStamp;
  try {
    stamp = JSON.parse(readFileSync(snapshot.stamp, "utf8")) as SnapshotStamp;
  } catch (error) {
    return `its stamp cannot be read (${error instanceof Error ? error.message : String(error)})`;
  }
  return stampMismatch(stamp) ?? stamp;
}
