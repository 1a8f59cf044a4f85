import type { ScanResult } from "../result.js";

export interface TextOptions {
  color: boolean;
}

/** Renders findings for a terminal. (Skeleton: lands with issue #2.) */
export function renderText(result: ScanResult, _options: TextOptions): string {
  return `${result.findings.length} finding(s)\n`;
}
