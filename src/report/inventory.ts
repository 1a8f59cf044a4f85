import type { ScanResult } from "../result.js";

/** Renders the egress inventory: every door, vetted or not, and the data classes that reach it. (Skeleton: issue #4.) */
export function renderInventory(result: ScanResult): string {
  return `${result.egress.length} egress point(s)\n`;
}
