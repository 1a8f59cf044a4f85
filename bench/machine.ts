import { spawnSync } from "node:child_process";
import os from "node:os";

/** Where a measurement was taken, written next to the numbers in every results JSON. */
export function machineInfo(): { cpus: number; cpuModel: string; memoryGiB: number; node: string; platform: string; loadAverage: number[] } {
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? "unknown",
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

/** The flowgate commit measured (short id), with "+changes" when the work tree differs from it. */
export function flowgateCommit(repo: string): string {
  const commit = spawnSync("git", ["rev-parse", "--short", "HEAD"], { cwd: repo, encoding: "utf8" }).stdout.trim();
  const dirty = spawnSync("git", ["status", "--porcelain", "--untracked-files=no"], { cwd: repo, encoding: "utf8" }).stdout.trim();
  return dirty ? `${commit}+changes` : commit;
}
