import { closeSync, writeSync } from "node:fs";
import type { SourcesRead } from "../workspace/source-set.js";
import { SNAPSHOT_SEED_V8_FLAGS, TIER_UP_V8_FLAGS } from "./snapshot-files.js";

/**
 * A large scan continues in a process with a larger young generation.
 *
 * The process started from the startup snapshot runs under the snapshot's V8 options (SCAN_V8_FLAGS: 16 MB
 * semi-spaces), fixed when the snapshot was made: V8 refuses a snapshot under other options. That suits a typical
 * gateway, whose peak memory the young generation would otherwise dominate, but not a scan whose analysis keeps
 * gigabytes: there every scavenge copies the engine's young values again, and garbage collection becomes the largest
 * part of the CPU. On growthbook (10.5 million characters of source read, 2.8 GB at its peak) 128 MB semi-spaces took
 * a fifth to a quarter off a full scan's CPU through bin/flowgate.js (−21 %, −26 % in alternating pairs) for 160–440 MB
 * more at the peak (performance.md, session 29 — lead); 64 MB since session 39 (LARGE_SCAN_V8_FLAGS).
 *
 * So once the scan has read its files, and before it parses any, it measures what it read: at LARGE_SCAN_CHARACTERS or
 * more it tells the launcher (bin/flowgate.js, launch.ts) and ends without having written anything; the launcher then
 * runs the scan again in a process under LARGE_SCAN_V8_FLAGS, started from the large scan's own snapshot — the same
 * bundle and warm-up, made under those options by `npm run build` (LARGE_SCAN_SNAPSHOT_BLOB) — or, where that one
 * cannot be used, without a snapshot. The same holds without a snapshot (the CLI then runs in the launcher's own
 * process, under Node's default young generation, as in CI where action.yml installs without one; the large process
 * starts without one too). What is lost is reading the files twice and the first process's start. Started without a
 * snapshot, the large process also loaded and compiled the compiler's 9 MB of JavaScript and parsed the lib files
 * again: on growthbook the hand-over cost ~2.3 s of CPU at load 10 in the first process and ~1.3 s more in the second
 * than a start from a snapshot (performance.md, session 58 — lead). A scan under Node options the user gave, one whose
 * `--diff` is not a file (a pipe it has read; scan-command.ts), and the library called directly keep the process they
 * have.
 */

/**
 * Source read (characters of the selected and imported files' texts) from which a scan is large: about 300k lines.
 * Size stands in for what decides, the heap the analysis keeps, which is known only later. Measured below it:
 * formbricks (7.9 MB, a 0.6 GB peak) gained no CPU from 128 MB semi-spaces and paid the hand-over (+5 %) and 215 MB;
 * medusa (5.8 MB) gained none either. At this size a type check takes gigabytes, so the larger young generation
 * costs a tenth of that at most even where it buys nothing.
 */
export const LARGE_SCAN_CHARACTERS = 9_000_000;

/**
 * The V8 options of the process a large scan continues in: the larger young generation, and a full collection once the
 * old generation has grown by half of what the last one left alive (`--heap-growing-percent=50`).
 *
 * The second is for the peak. What such a scan keeps alive is about a gigabyte at any time (growthbook: 0.8–1.0 GB after
 * each full collection), but much of what survives a scavenge is garbage by the next full collection (values of
 * analyses and substitutions still running when the scavenge came), and V8's own schedule let the old generation grow
 * to about three times the live heap before collecting it: growthbook's peak of 2.9 GB was two thirds garbage.
 * Collected at half again the live heap, its peak is about 1.9 GB, and the CPU is not higher but a little lower: a full
 * collection marks only what is alive, and a heap that does not grow needs no fresh pages (system time a third lower).
 * Measured in performance.md, session 34 — helper G; a smaller percentage hardly lowers the peak further and
 * multiplies the full collections.
 *
 * The young generation is 64 MB semi-spaces, not the 128 of sessions 29–38: at the peak both semi-spaces are resident
 * and what a scavenge promotes raises the old generation's next limit, so 128 MB semi-spaces held 250–330 MB more at
 * growthbook's peak than 64 (1.98 against 1.65 GB, one process each, session 39 — helper M). Since the engine stopped
 * copying callees' traces (trace.ts) it promotes less, and 64 MB semi-spaces cost no more CPU than 128 did before:
 * growthbook side by side (two pairs) 97 → 94 s of CPU, 1.96 → 1.52 GB. 32 MB lowers the peak no further and doubles the
 * scavenges again; `--optimize-for-size` (a young generation of a few megabytes) scavenged 9,000 times in a part of
 * the scan.
 *
 * The collector runs on the scan's own thread (`--single-threaded-gc`): the parallel scavenger's and marker's helper
 * threads cost more CPU than they save wall time on two cores. growthbook on a quiet machine, A B B A: 62.1 and 53.7 s
 * of CPU without it, 46.5 and 48.8 s with it (walls 50.9/44.0 against 40.9/44.2 s); the generated 500k gateway 70.0 and
 * 81.9 against 64.0 and 69.3 s of CPU, walls 56.1/66.5 against 60.3/65.3 s; results identical (performance.md,
 * session 53 — helper G and the lead's section).
 */
export const LARGE_SCAN_V8_FLAGS: readonly string[] = ["--max-semi-space-size=64", "--heap-growing-percent=50", "--single-threaded-gc", ...TIER_UP_V8_FLAGS];

/** The options the large scan's snapshot is made and started under: the large scan's, and the snapshot's seed kept (snapshot-files.ts). */
export const LARGE_SCAN_SNAPSHOT_V8_FLAGS: readonly string[] = [...LARGE_SCAN_V8_FLAGS, ...SNAPSHOT_SEED_V8_FLAGS];

/**
 * Set by the launcher in the environment of a large scan's process started from the large scan's snapshot: that process
 * says on the pipe that it started, as the other snapshot's does, but keeps the scan, however large (snapshot-entry.ts).
 */
export const LARGE_SCAN_PROCESS_VARIABLE = "FLOWGATE_LARGE_SCAN_PROCESS";

/** What the process from the snapshot writes on the launcher's pipe: that it started, or that the launcher should take over. */
export const STARTED_MESSAGE = "started";
export const HAND_OVER_MESSAGE = "large-scan";

/**
 * Where this process hands a large scan: the launcher's pipe (a process from the snapshot), the launcher in this very
 * process (a start without the snapshot: the launcher reads it back with takeHandOver), or nowhere.
 */
let handOverTo: { pipe: number } | { launcher: true } | undefined;
let handedOver: string | undefined;

/** Set by the snapshot's main function (snapshot-entry.ts): the descriptor of the pipe the launcher reads. */
export function useLauncherPipe(fd: number): void {
  handOverTo = { pipe: fd };
}

/** Set by the launcher before it runs the CLI in its own process (launch.ts). */
export function acceptHandOver(): void {
  handOverTo = { launcher: true };
}

/** What the CLI in this process said of a large scan it handed back ("FILES CHARACTERS"), once. */
export function takeHandOver(): string | undefined {
  const said = handedOver;
  handedOver = undefined;
  return said;
}

/**
 * Thrown through the scan once a large scan is handed back: the scan stops (temporary trees of update review removed
 * on the way out), and the CLI ends without writing anything, with exit code 3 — which the launcher ignores, having
 * been told, and which fails should it somehow not have been: a scan that did not run never passes.
 */
export class LargeScanHandedOver extends Error {
  constructor() {
    super("the scan was handed to a process with a larger young generation");
  }
}

/**
 * Whether an earlier run of this build read nearly every text the scan read (the imported files' memo, written beside
 * the analysis cache's entries, judged them): then the analysis cache most likely holds that run's entry, and the scan
 * analyses only what changed since — a cached update review keeps a small heap, and the larger young generation would
 * buy it nothing for what the hand-over costs: the process's start without the snapshot and every file read twice (the
 * generated 500k gateway's one-file review, docs/performance.md, session 56 — helper M). The one case it misjudges is
 * an entry of another environment (the policy changed since the earlier run): that scan analyses everything here, as a
 * scan under the snapshot's young generation, at some more CPU, with the same results.
 */
export function startsFromEarlierRun(read: SourcesRead): boolean {
  return read.known !== undefined && read.known >= read.files * KNOWN_SHARE;
}

/** The share of a scan's texts an earlier run must have read for the scan to stay in its process (startsFromEarlierRun). */
export const KNOWN_SHARE = 0.9;

/**
 * Called when the scan has read its files (ScanOptions.onSourcesRead): where the launcher takes them, a large scan is
 * handed back (LargeScanHandedOver is thrown), once per process; otherwise nothing happens.
 */
export function handOverLargeScan(read: SourcesRead): void {
  if (read.characters < LARGE_SCAN_CHARACTERS || startsFromEarlierRun(read)) return;
  handOver(`${read.files} ${read.characters}`);
}

/** Tells the launcher to run the scan again in a large scan's process, and stops this one's (once per process). */
function handOver(said: string): void {
  const to = handOverTo;
  if (to === undefined) return;
  handOverTo = undefined;
  if ("pipe" in to) {
    try {
      writeSync(to.pipe, `${HAND_OVER_MESSAGE} ${said}\n`);
      closeSync(to.pipe);
    } catch {
      return; // the launcher is gone: this process goes on with the scan
    }
  } else {
    handedOver = said;
  }
  // Nothing of the scan has been written yet (no report, no cache, no progress line): the launcher runs it again.
  throw new LargeScanHandedOver();
}
