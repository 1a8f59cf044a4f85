import { closeSync, writeSync } from "node:fs";
import v8 from "node:v8";
import { main } from "../cli/main.js";
import { LARGE_SCAN_PROCESS_VARIABLE, STARTED_MESSAGE, useLauncherPipe } from "./large-scan.js";
import { STARTED_FD_VARIABLE } from "./snapshot-files.js";
import { warmUp } from "./warm-up.js";
import { warmUpScans } from "./warm-up-scan.js";
import { exitWhenIdle } from "./exit-when-idle.js";
import { restoreDeferredEnvironment } from "./scan-environment.js";

/**
 * The startup snapshot's program (bundle.ts bundles this module with everything it imports and runs it under
 * `node --build-snapshot`): the modules are evaluated and the warm-up done at build time; a process started from the
 * snapshot by the launcher (launch.ts) runs only the CLI. Its arguments come after `--`: the launcher's script, then
 * the user's arguments, as process.argv has them in a process started from the script. The warm-up's scans are
 * asynchronous: the builder runs the event loop until nothing is pending before it takes the snapshot, and a failed
 * scan fails the build (bundle.ts: no usable snapshot is left).
 */
warmUp();
warmUpScans().catch((error: unknown) => {
  process.stderr.write(`the startup snapshot's warm-up scans failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});

v8.startupSnapshot.setDeserializeMainFunction(() => {
  signalStarted();
  restoreDeferredEnvironment();
  exitWhenIdle();
  void main([process.execPath, ...process.argv.slice(1)]).then((code) => (process.exitCode = code));
});

/**
 * Tells the launcher, on the pipe whose descriptor it named, that the snapshot was deserialised and the CLI is starting:
 * from here on this process's exit is the scan's, unless it hands a large scan back (large-scan.ts), for which the
 * pipe stays open — but not in the large scan's own process (started from the large scan's snapshot), which keeps it.
 * Without that word the launcher runs the scan itself.
 */
function signalStarted(): void {
  const fd = Number(process.env[STARTED_FD_VARIABLE]);
  const large = process.env[LARGE_SCAN_PROCESS_VARIABLE] !== undefined;
  delete process.env[STARTED_FD_VARIABLE];
  delete process.env[LARGE_SCAN_PROCESS_VARIABLE];
  if (!Number.isInteger(fd)) return;
  try {
    writeSync(fd, `${STARTED_MESSAGE}\n`);
    if (large) closeSync(fd);
    else useLauncherPipe(fd);
  } catch {
    // the launcher is gone: nothing to tell
  }
}
