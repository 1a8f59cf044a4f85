import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI } from "../support/paths.js";
import { removeTree, writeTree } from "../support/temp-tree.js";
import { LEAK } from "./scan-tree.js";

// Root reads everything, so environment.test.ts cannot make a file unreadable when the suite runs as root (as CI
// does). Here the CLI runs as the unprivileged `nobody` user instead, so permission errors are real.
const NOBODY = 65534;
const asRoot = process.getuid?.() === 0;

/** Whether `nobody` can start flowgate at all (a checkout under a private home directory is not traversable). */
function nobodyCanRunFlowgate(): boolean {
  if (!asRoot) return false;
  const probe = spawnSync(process.execPath, ["-e", "require('fs').accessSync(process.argv[1], 4)", CLI], {
    uid: NOBODY,
    gid: NOBODY,
  });
  return probe.status === 0;
}

describe.runIf(nobodyCanRunFlowgate())("unreadable files and directories, scanned by an ordinary user", () => {
  let root: string;
  let status: number | null;
  let sarif: { runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[]; invocations: { toolExecutionNotifications?: { message: { text: string } }[] }[] }[] };

  beforeAll(() => {
    root = writeTree({
      "flowgate.config.yaml": "extends: recommended\n",
      "src/readable.ts": LEAK,
      "src/unreadable.ts": LEAK,
      "src/locked/hidden.ts": LEAK,
      "out/.keep": "",
    });
    chmodSync(root, 0o755);
    chmodSync(path.join(root, "out"), 0o777);
    chmodSync(path.join(root, "src", "unreadable.ts"), 0o000);
    chmodSync(path.join(root, "src", "locked"), 0o000);
    const output = path.join(root, "out", "report.sarif");
    const run = spawnSync(process.execPath, [CLI, "scan", root, "--format", "sarif", "--output", output, "--quiet"], {
      uid: NOBODY,
      gid: NOBODY,
      encoding: "utf8",
    });
    status = run.status;
    sarif = JSON.parse(readFileSync(output, "utf8"));
  }, 120_000);

  afterAll(() => {
    execFileSync("chmod", ["-R", "u+rwx", root]);
    removeTree(root);
  });

  it("names each unreadable file and directory in a notification and still reports the readable file's leak", () => {
    expect(status).toBe(1);
    const run = sarif.runs[0]!;
    const notes = run.invocations.flatMap((i) => i.toolExecutionNotifications ?? []).map((n) => n.message.text).join("\n");
    expect(notes).toMatch(/src\/unreadable\.ts/);
    expect(notes).toMatch(/src\/locked/);
    const uris = run.results.map((r) => r.locations[0]!.physicalLocation.artifactLocation.uri);
    expect(uris).toContain("src/readable.ts");
    expect(uris.filter((u) => u.includes("unreadable") || u.includes("locked"))).toEqual([]);
  });
});
