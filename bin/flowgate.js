#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ by `npm run build` (run automatically by `npm ci` through `prepare`),
// which also makes a startup snapshot of it (dist/snapshot/, see src/startup/launch.ts). The scan runs in a process
// started from that snapshot when it matches this Node and these files, else here.
import { runFromSnapshot } from "../dist/startup/launch.js";

const fromSnapshot = await runFromSnapshot(process.argv);
if (fromSnapshot === undefined) {
  const { main } = await import("../dist/cli/main.js");
  process.exitCode = await main(process.argv);
} else if ("signal" in fromSnapshot) {
  process.kill(process.pid, fromSnapshot.signal);
} else {
  process.exitCode = fromSnapshot.code;
}
