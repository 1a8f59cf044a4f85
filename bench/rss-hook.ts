import { writeFileSync } from "node:fs";

// Preloaded into a measured Node child (NODE_OPTIONS=--import) when GNU time is missing: reports the child's own peak
// RSS (KiB) and CPU time (user and system seconds) at exit, in the format measure.ts reads from GNU time.
const target = process.env.FLOWGATE_BENCH_RSS_FILE;
if (target) {
  process.on("exit", () => {
    const usage = process.resourceUsage();
    writeFileSync(target, `usage ${usage.maxRSS} ${usage.userCPUTime / 1e6} ${usage.systemCPUTime / 1e6}\n`);
  });
}
