import { writeFileSync } from "node:fs";

// Preloaded into a measured Node child (NODE_OPTIONS=--import) when GNU time is missing: reports the child's own peak
// RSS, in KiB, at exit.
const target = process.env.FLOWGATE_BENCH_RSS_FILE;
if (target) {
  process.on("exit", () => {
    writeFileSync(target, `${process.resourceUsage().maxRSS}\n`);
  });
}
