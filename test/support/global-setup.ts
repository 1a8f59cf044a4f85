import { chmodSync, existsSync } from "node:fs";
import { SARIF_MULTITOOL } from "./paths.js";

// npm 11 does not run the validator package's postinstall chmod, so make its binary executable before tests use it.
export default function setup(): void {
  if (existsSync(SARIF_MULTITOOL)) chmodSync(SARIF_MULTITOOL, 0o755);
}
