import { spawn, spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Runs one child process and measures its wall time (in this process, around spawn → exit), its peak resident set
 * size and its CPU time (user + system). RSS and CPU come from GNU time (`/usr/bin/time`, the kernel's rusage of the
 * child) when it is installed, otherwise from a preload hook that writes the Node child's own
 * `process.resourceUsage()` at exit (both flowgate and tsc are Node programs, so the hook sees either). CPU time is
 * reported next to wall time because on a shared machine wall time measures the neighbours as much as the program:
 * both flowgate and tsc run on one thread, so on a quiet machine the two agree.
 */
export type RssProbe = "gnu-time" | "node-hook";

export interface Measurement {
  wallMs: number;
  /** Peak RSS in KiB; undefined when the child died before reporting it. */
  maxRssKb: number | undefined;
  /** User + system CPU time in ms; undefined when the child died before reporting it. */
  cpuMs: number | undefined;
  exitCode: number | null;
  timedOut: boolean;
  /** The last few KiB of stderr, to explain a failure. */
  stderrTail: string;
}

export interface MeasureOptions {
  cwd: string;
  timeoutMs: number;
  probe: RssProbe;
  env?: NodeJS.ProcessEnv;
  /** Write the child's stdout to this file (default: discarded). */
  stdoutFile?: string;
}

export function detectRssProbe(): RssProbe {
  if (!existsSync("/usr/bin/time")) return "node-hook";
  const probe = spawnSync("/usr/bin/time", ["-f", TIME_FORMAT, "true"], { encoding: "utf8" });
  return probe.status === 0 && parseUsage(probe.stderr).maxRssKb !== undefined ? "gnu-time" : "node-hook";
}

/** What GNU time and the preload hook write: peak RSS in KiB, user and system CPU seconds. */
const TIME_FORMAT = "usage %M %U %S";

/** Reads a usage line; GNU time writes "Command exited with non-zero status N" before it when the child fails. */
export function parseUsage(text: string): { maxRssKb: number | undefined; cpuMs: number | undefined } {
  const m = /^usage (\d+) ([\d.]+) ([\d.]+)\s*$/m.exec(text);
  if (!m) return { maxRssKb: undefined, cpuMs: undefined };
  return { maxRssKb: Number(m[1]), cpuMs: Math.round((Number(m[2]) + Number(m[3])) * 1000) };
}

const RSS_HOOK = path.join(path.dirname(fileURLToPath(import.meta.url)), "rss-hook.js");

export function measure(command: string, args: readonly string[], options: MeasureOptions): Promise<Measurement> {
  const scratch = mkdtempSync(path.join(os.tmpdir(), "flowgate-bench-"));
  const rssFile = path.join(scratch, "rss");
  const env = { ...process.env, ...options.env };
  let file = command;
  let argv = [...args];
  if (options.probe === "gnu-time") {
    file = "/usr/bin/time";
    argv = ["-f", TIME_FORMAT, "-o", rssFile, command, ...args];
  } else {
    env.NODE_OPTIONS = `${env.NODE_OPTIONS ?? ""} --import ${JSON.stringify(pathToImport(RSS_HOOK))}`.trim();
    env.FLOWGATE_BENCH_RSS_FILE = rssFile;
  }
  return new Promise((resolve, reject) => {
    const started = performance.now();
    // Own process group, so a timeout can stop the child and anything it started.
    const stdout = options.stdoutFile ? openSync(options.stdoutFile, "w") : "ignore";
    const child = spawn(file, argv, { cwd: options.cwd, env, stdio: ["ignore", stdout, "pipe"], detached: true });
    if (typeof stdout === "number") closeSync(stdout); // the child has its own copy
    let stderr = "";
    let timedOut = false;
    child.stderr?.setEncoding("utf8");
    child.stderr?.on("data", (chunk: string) => {
      stderr = (stderr + chunk).slice(-4096);
    });
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
    }, options.timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      rmSync(scratch, { recursive: true, force: true });
      reject(error);
    });
    child.on("close", (code) => {
      const wallMs = performance.now() - started;
      clearTimeout(timer);
      const usage = existsSync(rssFile) ? parseUsage(readFileSync(rssFile, "utf8")) : parseUsage("");
      rmSync(scratch, { recursive: true, force: true });
      resolve({ wallMs, ...usage, exitCode: code, timedOut, stderrTail: stderr });
    });
  });
}

function pathToImport(file: string): string {
  return new URL(`file://${file}`).href;
}
