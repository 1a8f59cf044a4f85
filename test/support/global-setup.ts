import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { SARIF_MULTITOOL } from "./paths.js";

// npm 11 does not run the validator package's postinstall chmod, so make its binary executable before tests use it.
// The CLI keeps its analysis cache in the user's cache folder by default: tests get a folder of their own. Every
// temporary tree a test makes (os.tmpdir() reads TMPDIR, in the workers and the CLI processes they start) lands in
// one folder of the run's, so a run leaves nothing behind however a test ends.
export default function setup(): () => void {
  if (existsSync(SARIF_MULTITOOL)) chmodSync(SARIF_MULTITOOL, 0o755);
  const run = mkdtempSync(path.join(os.tmpdir(), "flowgate-test-run-"));
  chmodSync(run, 0o755); // traversable, as /tmp is: a test runs the CLI as an unprivileged user on a tree in here
  const cache = path.join(run, "cache");
  mkdirSync(cache);
  process.env.XDG_CACHE_HOME = cache;
  process.env.TMPDIR = run;
  return () => rmSync(run, { recursive: true, force: true });
}
