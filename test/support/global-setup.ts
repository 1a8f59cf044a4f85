import { chmodSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { SARIF_MULTITOOL } from "./paths.js";

// npm 11 does not run the validator package's postinstall chmod, so make its binary executable before tests use it.
// The CLI keeps its analysis cache in the user's cache folder by default: tests get a folder of their own, removed after.
export default function setup(): () => void {
  if (existsSync(SARIF_MULTITOOL)) chmodSync(SARIF_MULTITOOL, 0o755);
  const cache = mkdtempSync(path.join(os.tmpdir(), "flowgate-test-cache-"));
  process.env.XDG_CACHE_HOME = cache;
  return () => rmSync(cache, { recursive: true, force: true });
}
