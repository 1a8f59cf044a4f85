#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ by `npm run build` (run automatically by `npm ci` through `prepare`),
// which also makes a startup snapshot of it (dist/snapshot/, see src/startup/launch.ts). The scan runs in a process
// started from that snapshot when it matches this Node and these files, else here; a large scan continues in a process
// with a larger young generation (src/startup/large-scan.ts).
import { launch } from "../dist/startup/launch.js";

const ended = await launch(process.argv);
if ("signal" in ended) process.kill(process.pid, ended.signal);
else process.exitCode = ended.code;
