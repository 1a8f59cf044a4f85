import { readFileSync } from "node:fs";

/**
 * Reads a V8 `.cpuprofile` (from `node --cpu-prof`) and ranks where the time went: self time per function and per
 * file, so the table in docs/performance.md names hot spots rather than guesses.
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface HotSpot {
  name: string;
  selfMs: number;
  share: number;
}

export interface ProfileSummary {
  totalMs: number;
  functions: HotSpot[];
  files: HotSpot[];
}

export function summariseProfile(file: string, root: string, top = 15): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const functions = new Map<string, number>();
  const files = new Map<string, number>();
  let total = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node) continue;
    total += us;
    const where = shorten(node.callFrame.url, root);
    const fn = `${node.callFrame.functionName || "(anonymous)"} ${where ? `${where}:${node.callFrame.lineNumber + 1}` : ""}`.trim();
    functions.set(fn, (functions.get(fn) ?? 0) + us);
    const fileKey = where || node.callFrame.functionName || "(native)";
    files.set(fileKey, (files.get(fileKey) ?? 0) + us);
  }
  const rank = (m: Map<string, number>): HotSpot[] =>
    [...m]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, top)
      .map(([name, us]) => ({ name, selfMs: Math.round(us / 1000), share: total > 0 ? us / total : 0 }));
  return { totalMs: Math.round(total / 1000), functions: rank(functions), files: rank(files) };
}

function shorten(url: string, root: string): string {
  const plain = url.replace(/^file:\/\//, "");
  const nm = plain.lastIndexOf("/node_modules/");
  if (nm !== -1) return plain.slice(nm + 1);
  return plain.startsWith(root + "/") ? plain.slice(root.length + 1) : plain;
}
