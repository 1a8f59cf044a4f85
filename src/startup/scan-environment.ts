/**
 * The environment of the process a scan runs in, started by the launcher (launch.ts): from the startup snapshot, or a
 * large scan's (large-scan.ts).
 */

/**
 * Set under what the user's environment sets. glibc's malloc gives each thread that allocates its own arena (up to
 * eight per core), and V8's helper threads (concurrent marking, the optimising compiler) each leave a few megabytes in
 * theirs that are never given back: at a scan's peak four such arenas held 18 MB. Two arenas (the main thread's, one
 * shared by the helpers) hold ~11 MB less at the same CPU (performance.md, session 28). And glibc (2.35 and later) asks
 * for transparent huge pages on the memory it maps (`hugetlb=1`: madvise, where the kernel's setting is `madvise` or
 * `always`): a process from the snapshot reads the 22.7 MB blob into memory Node allocates and copies it, and each 4 KB
 * page touched the first time is a page fault — 22,055 of them before the CLI starts, against 10,138–10,759 with huge
 * pages, 0.50–0.69 → 0.30–0.45 s of CPU per start at load 9–14, for 3–9 MB more peak RSS (performance.md, session 46).
 * Other C libraries and older glibc ignore both variables; the scan's own child processes (git) inherit them, harmlessly.
 */
const SCAN_ENVIRONMENT: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: "2", GLIBC_TUNABLES: "glibc.malloc.hugetlb=1" };

/**
 * Variables Node acts on when a process starts that a scan has no use for, set aside under DEFERRED_PREFIX for the
 * scan's process and put back in its `process.env` as it starts (restoreDeferredEnvironment), so the processes the scan
 * starts (git, and whatever git runs) see the user's environment unchanged.
 *
 * NODE_EXTRA_CA_CERTS: Node 20 reads and parses the certificates the file names when a process starts, whether or not
 * it ever opens a TLS connection — and a scan opens none (it reads files and runs git). Where it names the system's
 * whole bundle (144 certificates, 220 kB: a common setting behind a company's proxy) that cost 70–90 ms of CPU per
 * process at load 9–10, of the ~0.35 s a process from the snapshot takes to start (performance.md, session 54 — helper
 * R). The launcher's own process has read them before any of flowgate's code runs; the scan's need not.
 */
const DEFERRED_VARIABLES: readonly string[] = ["NODE_EXTRA_CA_CERTS"];
const DEFERRED_PREFIX = "FLOWGATE_DEFERRED_";

/** The environment the launcher starts a scan's process with, from its own (`extra`: the launcher's own variables). */
export function scanProcessEnvironment(env: NodeJS.ProcessEnv, extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  const scan: NodeJS.ProcessEnv = { ...SCAN_ENVIRONMENT, ...env, ...extra };
  for (const name of DEFERRED_VARIABLES) {
    const value = scan[name];
    if (value === undefined) continue;
    delete scan[name];
    scan[`${DEFERRED_PREFIX}${name}`] = value;
  }
  return scan;
}

/** Puts back in this process's environment what the launcher set aside when it started this process (above). */
export function restoreDeferredEnvironment(env: NodeJS.ProcessEnv = process.env): void {
  for (const name of DEFERRED_VARIABLES) {
    const deferred = `${DEFERRED_PREFIX}${name}`;
    const value = env[deferred];
    if (value === undefined) continue;
    delete env[deferred];
    env[name] = value;
  }
}
