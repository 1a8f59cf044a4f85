import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { PACKAGE_ROOT } from "../package-root.js";

/**
 * Where `npm run build` writes the startup snapshot (bundle.ts): the one-file CommonJS bundle of the CLI, the V8
 * startup snapshot made from it, and the stamp saying what it was made from. In dist/, next to the code it was made from.
 */
export const SNAPSHOT_DIR = path.join(PACKAGE_ROOT, "dist", "snapshot");
export const SNAPSHOT_BUNDLE = path.join(SNAPSHOT_DIR, "flowgate.cjs");
export const SNAPSHOT_BLOB = path.join(SNAPSHOT_DIR, "flowgate.blob");
/** The same bundle's snapshot made under a large scan's V8 options, which that scan's process starts from (large-scan.ts). */
export const LARGE_SCAN_SNAPSHOT_BLOB = path.join(SNAPSHOT_DIR, "flowgate-large.blob");
export const SNAPSHOT_STAMP = path.join(SNAPSHOT_DIR, "stamp.json");
/** The lib texts the bundle reads from files when a lib is parsed (lib-texts.ts): a scan needs them, so the stamp lists them. */
export const SNAPSHOT_LIB_TEXTS = path.join(SNAPSHOT_DIR, "lib");

/**
 * An interrupt budget 16 times V8's (67,584 bytes of bytecode run before a function's next tier-up check): on a scan
 * of a few seconds TurboFan took about a third of the CPU (perf, jackson), compiling on the second core functions that
 * ran a few hundred times and ended before the optimised code paid for itself. With the larger budget only the
 * functions that stay hot are optimised: jackson, unleash and medusa cost 15–30 % less CPU, peak memory a little less
 * (performance.md, session 29 — helper M). Optimisation changes no result. Every process that scans runs with it: from
 * the snapshot (SCAN_V8_FLAGS), a large scan's (large-scan.ts), and the launcher's own when it runs the CLI itself,
 * where it is set before the compiler's code is loaded (V8 reads it as functions are first run; launch.ts).
 */
export const TIER_UP_V8_FLAGS: readonly string[] = ["--interrupt-budget=1081344"];

/**
 * The old generation's first limit, in MB: V8 sets it from the heap the process starts with, and a process from the
 * snapshot starts with ~30 MB of it, so its first full collection (incremental marking, then a mark-compact) came at
 * ~44 MB — in the middle of every cached review, whose heap peaks at 50–60 MB (jackson, hoppscotch, linkwarden), to free
 * a few MB. From 128 MB a review makes none (64 MB still left hoppscotch's one), and a full scan's first comes later,
 * its limits after it set by what survives as before: cached reviews cost 3–10 % less CPU at the same peak RSS, the
 * corpus entries' full scans the same CPU and peak RSS, the generated 50k gateway's ~20 MB more peak RSS (performance.md,
 * session 47 — helper R). V8 commits old-generation pages as it uses them: a limit is not a reservation.
 */
const INITIAL_OLD_SPACE_MB = 128;

/**
 * The hash seed the snapshot was made with is kept (`--no-rehash-snapshot`). By default V8 draws a fresh seed in every
 * process started from a snapshot and hashes again every string and hash table the snapshot holds — a snapshot shipped
 * inside a Node binary would otherwise give every process on earth the same, public, seed. This snapshot is made on the
 * machine that uses it (`npm run build`), where V8 drew a random seed for it: processes from one build share that seed,
 * and nobody without the blob knows it. The rehash was ~5 % of a start's CPU samples (perf), 332 → 300 ms of CPU per
 * start in 20 alternating runs at load 10 (performance.md, session 54 — helper R). The seed changes no result: it
 * orders nothing a scan iterates (maps, sets and objects keep their insertion order).
 */
export const SNAPSHOT_SEED_V8_FLAGS: readonly string[] = ["--no-rehash-snapshot"];

/**
 * V8 options of the process a scan runs in when it starts from the snapshot, and of the one that makes the snapshot (V8
 * refuses a snapshot made under other options), with TIER_UP_V8_FLAGS and the old generation's first limit (above). Semi-spaces of at most 16 MB, what V8 gives a 64-bit process with a
 * large heap by default, stated so the young generation is the same on every machine. A scan's peak memory is reached
 * at the end of the analysis, with the young generation grown to its full size (both semi-spaces resident): 32 MB
 * semi-spaces (sessions 20–27) held 64 MB there, more than a quarter of a small project's peak (jackson 229 MB against
 * tsc's 327). With 16 the peaks of the corpus entries measured are 33–45 MB lower, the CPU the same within the spread
 * of runs — but on growthbook, whose scan is bound by garbage collection (a 2.5 GB old generation), about 12 % more
 * (performance.md, session 28; session 20 had measured 32 a few per cent cheaper, on the engine of then): a large scan
 * therefore continues in a process with 64 MB semi-spaces (large-scan.ts).
 */
export const SCAN_V8_FLAGS: readonly string[] = ["--max-semi-space-size=16", `--initial-old-space-size=${INITIAL_OLD_SPACE_MB}`, ...SNAPSHOT_SEED_V8_FLAGS, ...TIER_UP_V8_FLAGS];

/**
 * What a snapshot holds is only valid for the Node binary that made it (V8 refuses another's heap, or worse) and for the
 * code and rule files it was made from: their state at build time is frozen in it (modules evaluated, packs, models,
 * schemas and the rule catalogue loaded, PACKAGE_ROOT computed). The stamp names all of it; the launcher uses the
 * snapshot only while every part is the same.
 */
export interface SnapshotStamp {
  node: string;
  execPath: string;
  arch: string;
  platform: string;
  packageRoot: string;
  /** The V8 options it was made under (SCAN_V8_FLAGS then). */
  v8Flags: string[];
  /** The V8 options the large scan's snapshot was made under (LARGE_SCAN_SNAPSHOT_V8_FLAGS then); absent when it was not made. */
  largeV8Flags?: string[];
  /** dist/'s code and data, the snapshot's lib texts, every file of rules/, and package.json: path → [size, mtime in ms]. */
  files: Record<string, [number, number]>;
}

/** The stamp of this process's Node binary and of the package's files as they are now. */
export function currentStamp(): SnapshotStamp {
  const files: SnapshotStamp["files"] = {};
  const add = (relative: string) => {
    const stat = statSync(path.join(PACKAGE_ROOT, relative));
    if (stat.isFile()) files[relative] = [stat.size, stat.mtimeMs];
  };
  add("package.json");
  for (const dir of ["dist", "rules"]) {
    const entries = readdirSync(path.join(PACKAGE_ROOT, dir), { recursive: true, encoding: "utf8" }).sort();
    for (const entry of entries) {
      const relative = path.join(dir, entry);
      if (isInputFile(dir, relative)) add(relative);
    }
  }
  return {
    node: process.version,
    execPath: process.execPath,
    arch: process.arch,
    platform: process.platform,
    packageRoot: PACKAGE_ROOT,
    v8Flags: [...SCAN_V8_FLAGS],
    files,
  };
}

/**
 * dist/'s code and data (not its declaration files and source maps, nor the snapshot's own files but the lib texts it
 * reads at run time: one deleted would fail the scan that parses its lib, where a stale stamp falls back); every rule file.
 */
function isInputFile(dir: string, relative: string): boolean {
  if (dir === "rules") return true;
  const absolute = path.join(PACKAGE_ROOT, relative);
  if (absolute.startsWith(`${SNAPSHOT_LIB_TEXTS}${path.sep}`)) return true;
  return !absolute.startsWith(`${SNAPSHOT_DIR}${path.sep}`) && /\.(js|json)$/.test(relative);
}

/**
 * Why a stamp does not fit this process's Node binary and the package's files as they are now, or undefined when it
 * does. Only the files it lists are looked at (a file added since changes nothing until a listed one imports it, and
 * the rule files are listed by name at run time): a `stat` each, a few milliseconds.
 */
export function stampMismatch(stamp: SnapshotStamp): string | undefined {
  if (stamp.node !== process.version || stamp.execPath !== process.execPath || stamp.arch !== process.arch || stamp.platform !== process.platform) {
    return `it was made by Node ${stamp.node} at ${stamp.execPath}, this is ${process.version} at ${process.execPath}`;
  }
  if (stamp.packageRoot !== PACKAGE_ROOT) return `it was made for flowgate at ${stamp.packageRoot}, this is ${PACKAGE_ROOT}`;
  if (stamp.v8Flags?.join(" ") !== SCAN_V8_FLAGS.join(" ")) return `it was made under other V8 options (${stamp.v8Flags?.join(" ") ?? "none"})`;
  for (const [relative, [size, mtimeMs]] of Object.entries(stamp.files)) {
    const stat = statSync(path.join(PACKAGE_ROOT, relative), { throwIfNoEntry: false });
    if (stat?.size !== size || stat.mtimeMs !== mtimeMs) return `${relative} changed since it was made (npm run build makes it again)`;
  }
  return undefined;
}

/** The environment variable by which the launcher names the descriptor a snapshot process reports its start on. */
export const STARTED_FD_VARIABLE = "FLOWGATE_SNAPSHOT_STARTED_FD";
