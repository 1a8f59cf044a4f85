import type { ScanResult } from "../result.js";

/** Renders a PR-comment summary. (Skeleton: lands with issue #2.) */
export function renderMarkdown(result: ScanResult): string {
  return `**flowgate**: ${result.findings.length} finding(s)\n`;
}
