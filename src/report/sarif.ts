import type { Log } from "sarif";
import type { ScanResult } from "../result.js";

/** Renders a scan as a SARIF 2.1.0 log. (Skeleton: lands with issue #2.) */
export function renderSarif(result: ScanResult): string {
  const log: Log = { version: "2.1.0", runs: [{ tool: { driver: { name: "flowgate" } }, results: [] }] };
  void result;
  return JSON.stringify(log, null, 2) + "\n";
}
