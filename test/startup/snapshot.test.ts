import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SNAPSHOT_STAMP, stampMismatch, type SnapshotStamp } from "../../src/startup/snapshot-files.js";
import { LARGE_SCAN_CHARACTERS, LARGE_SCAN_SNAPSHOT_V8_FLAGS, LARGE_SCAN_V8_FLAGS } from "../../src/startup/large-scan.js";
import { createRepo, type TestRepo } from "../diff/support/git-repo.js";
import { runCli, type CliRun } from "../support/run-cli.js";
import { removeTree, writeTree } from "../support/temp-tree.js";
import { FIXTURES_DIR, REPO_ROOT } from "../support/paths.js";

// The built CLI started from the startup snapshot (`npm run build` makes it: dist/snapshot/) against the same CLI
// started without it: the snapshot is only a faster start, never other results.
const WITHOUT = { FLOWGATE_NO_SNAPSHOT: "1" };
const NOT_USED = "not using the startup snapshot";

function withSnapshot(args: string[], cwd?: string, env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  // --debug makes the launcher say when it does not use the snapshot; NODE_OPTIONS would keep it from using it.
  return runCli([...args, "--debug"], { cwd, env: { NODE_OPTIONS: "", ...env } });
}

/** What Node prints, once per process that starts, when NODE_EXTRA_CA_CERTS names a file it cannot read. */
const EXTRA_CERTS_WARNING = /Warning: Ignoring extra certs from/g;

describe("startup snapshot", () => {
  let repo: TestRepo;
  beforeAll(() => {
    repo = createRepo({ "flowgate.config.yaml": "extends: recommended\n", "src/audit.ts": "export function audit(user: { phone: string }) {\n  return user;\n}\n" });
    repo.git("checkout", "-q", "-b", "update");
    repo.commit("log the phone", { "src/audit.ts": "export function audit(user: { phone: string }) {\n  console.log(user.phone);\n}\n" });
  });
  afterAll(() => repo.remove());

  it("a scan of the demo started from it writes the same SARIF, byte for byte, as one started without it", async () => {
    // --no-cache: the second scan would read what the first wrote, and say so (docs/update-review.md)
    const args = ["scan", path.join(FIXTURES_DIR, "demo-gateway"), "--format", "sarif", "--no-cache"];
    const fast = await withSnapshot(args);
    const plain = await runCli(args, { env: WITHOUT });
    expect(fast.stderr).not.toContain(NOT_USED);
    expect(fast.stderr).toBe("");
    expect(fast.status).toBe(1);
    expect(plain.status).toBe(1);
    expect(JSON.parse(fast.stdout).runs[0].results.length).toBeGreaterThan(0);
    expect(fast.stdout).toBe(plain.stdout);
  });

  it("a file that names the DOM lib is checked with it, read from beside the snapshot, as without the snapshot", async () => {
    // the snapshot holds only the lib texts its warm-up parsed; the DOM's comes from its file (src/startup/lib-texts.ts)
    const root = writeTree({
      "flowgate.config.yaml": "extends: recommended\n",
      "src/beacon.ts":
        '/// <reference lib="dom" />\nexport function send(user: { phone: string }) {\n  const note: HTMLElement = document.createElement("p");\n' +
        '  note.textContent = user.phone;\n  return fetch("https://example.com/x", { method: "POST", body: JSON.stringify({ phone: user.phone }) });\n}\n',
    });
    try {
      const args = ["scan", root, "--format", "sarif", "--no-cache"];
      const fast = await withSnapshot(args);
      const plain = await runCli(args, { env: WITHOUT });
      expect(fast.stderr).toBe("");
      expect([fast.status, plain.status]).toEqual([1, 1]);
      expect(fast.stdout).toBe(plain.stdout);
    } finally {
      removeTree(root);
    }
  });

  it("an update review (git in child processes) started from it reports what one started without it reports", async () => {
    const args = ["scan", ".", "--base", "main", "--format", "sarif", "--no-cache"];
    const fast = await withSnapshot(args, repo.dir);
    const plain = await runCli(args, { cwd: repo.dir, env: WITHOUT });
    expect(fast.stderr).not.toContain(NOT_USED);
    expect(fast.status).toBe(1);
    expect(plain.status).toBe(1);
    expect(fast.stdout).toBe(plain.stdout);
  });

  it("the scan's process does not read NODE_EXTRA_CA_CERTS, and the git it runs sees the variable as the user set it", async () => {
    // Node reads the certificates the variable names as every process starts; a scan opens no TLS connection, so the
    // launcher sets the variable aside for the scan's process, which puts it back for its own children (scan-environment.ts).
    const dir = mkdtempSync(path.join(os.tmpdir(), "flowgate-certs-"));
    try {
      const certs = path.join(dir, "missing.pem");
      const seen = path.join(dir, "seen.txt");
      const git = spawnSync("sh", ["-c", "command -v git"], { encoding: "utf8" }).stdout.trim();
      mkdirSync(path.join(dir, "bin"));
      writeFileSync(path.join(dir, "bin", "git"), `#!/bin/sh\nprintf '%s\\n' "$NODE_EXTRA_CA_CERTS" >> ${JSON.stringify(seen)}\nexec ${JSON.stringify(git)} "$@"\n`);
      chmodSync(path.join(dir, "bin", "git"), 0o755);
      const env = { NODE_EXTRA_CA_CERTS: certs, PATH: `${path.join(dir, "bin")}${path.delimiter}${process.env.PATH ?? ""}` };
      const args = ["scan", ".", "--base", "main", "--format", "sarif", "--no-cache"];
      const fast = await withSnapshot(args, repo.dir, env);
      const plain = await runCli(args, { cwd: repo.dir, env: WITHOUT });
      expect(fast.stderr).not.toContain(NOT_USED);
      // the launcher's own warning, not the scan's process's
      expect(fast.stderr.match(EXTRA_CERTS_WARNING)).toHaveLength(1);
      expect(fast.status).toBe(1);
      expect(fast.stdout).toBe(plain.stdout);
      const lines = readFileSync(seen, "utf8").trim().split("\n");
      expect(lines.length).toBeGreaterThan(0);
      expect(new Set(lines)).toEqual(new Set([certs]));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a large scan continues in a process with a larger young generation, from the large scan's snapshot, and reports what one without the snapshot reports", async () => {
    // Source past the threshold that costs little to parse: long string constants, beside a leak of a phone number.
    const half = Math.ceil(LARGE_SCAN_CHARACTERS / 2);
    const constant = (name: string) => `export const ${name} = "${"x".repeat(half)}";\n`;
    const root = writeTree({
      "flowgate.config.yaml": "extends: recommended\n",
      "src/audit.ts": "export function audit(user: { phone: string }) {\n  console.log(user.phone);\n}\n",
      "src/banner.ts": constant("banner"),
      "src/footer.ts": constant("footer"),
    });
    try {
      const args = ["scan", root, "--format", "sarif", "--no-cache"];
      const size = `a large scan (3 files, ${((2 * half + 80) / 1e6).toFixed(1)} MB of source)`;
      const handedOver = `flowgate: ${size}: it runs in a process started under ${LARGE_SCAN_V8_FLAGS.join(" ")}`;
      // from the snapshot the large process starts from the one made under its options (npm run build makes both)
      const fromLargeSnapshot = `flowgate: ${size}: it runs in a process started from the large scan's snapshot, under ${LARGE_SCAN_SNAPSHOT_V8_FLAGS.join(" ")}`;
      // the large scan's process, like the one from the snapshot, starts without reading NODE_EXTRA_CA_CERTS: one
      // warning, the launcher's (scan-environment.ts)
      const large = await withSnapshot(args, undefined, { NODE_EXTRA_CA_CERTS: path.join(root, "missing.pem") });
      // without the snapshot the launcher's own process hands it over the same way; under Node options it keeps it
      const noSnapshot = await runCli([...args, "--debug"], { env: WITHOUT });
      const kept = await runCli([...args, "--debug"], { env: { NODE_OPTIONS: "--max-old-space-size=2048" } });
      expect(large.stderr).toContain(fromLargeSnapshot);
      expect(large.stderr).not.toContain(handedOver);
      expect(large.stderr.match(EXTRA_CERTS_WARNING)).toHaveLength(1);
      expect(noSnapshot.stderr).toContain(handedOver);
      expect(noSnapshot.stderr).not.toContain(fromLargeSnapshot);
      expect(kept.stderr).not.toContain("a large scan");
      expect([large.status, noSnapshot.status, kept.status]).toEqual([1, 1, 1]);
      expect(JSON.parse(large.stdout).runs[0].results.length).toBe(1);
      expect(large.stdout).toBe(kept.stdout);
      expect(noSnapshot.stdout).toBe(kept.stdout);
    } finally {
      removeTree(root);
    }
  });

  it("usage errors, help and the version pass through with their exit codes", async () => {
    for (const args of [["--version"], ["scan", "--help"], ["scan", "--format", "nope"]]) {
      const fast = await withSnapshot(args);
      const plain = await runCli([...args, "--debug"], { env: WITHOUT });
      expect(fast.stderr.replace(/^flowgate: not using.*\n/m, ""), args.join(" ")).toBe(plain.stderr);
      expect(fast.stderr).not.toContain(NOT_USED);
      expect([fast.status, fast.stdout]).toEqual([plain.status, plain.stdout]);
    }
  });

  it("is not used under Node options, which are for the process that runs the scan", async () => {
    const run = await runCli(["--version", "--debug"], { env: { NODE_OPTIONS: "--max-old-space-size=2048" } });
    expect(run.status).toBe(0);
    expect(run.stderr).toContain(`${NOT_USED}: NODE_OPTIONS is set`);
  });
});

describe("snapshot stamp", () => {
  const stamp = () => JSON.parse(readFileSync(SNAPSHOT_STAMP, "utf8")) as SnapshotStamp;

  it("fits the build it was made with", () => {
    expect(Object.keys(stamp().files)).toContain("dist/cli/main.js");
    expect(Object.keys(stamp().files)).toContain("rules/packs/recommended.yaml");
    // read at run time when a file names the DOM lib: the snapshot is unusable without it
    expect(Object.keys(stamp().files)).toContain("dist/snapshot/lib/lib.dom.d.ts");
    expect(stampMismatch(stamp())).toBeUndefined();
  });

  it("does not fit once a file it was made from changed, or another Node runs", () => {
    const edited = stamp();
    edited.files["rules/packs/recommended.yaml"]![0] += 1;
    expect(stampMismatch(edited)).toMatch(/rules\/packs\/recommended\.yaml changed/);
    const gone = stamp();
    gone.files["dist/gone.js"] = [1, 1];
    expect(stampMismatch(gone)).toMatch(/dist\/gone\.js changed/);
    const libText = stamp();
    libText.files["dist/snapshot/lib/lib.dom.d.ts"]![0] += 1;
    expect(stampMismatch(libText)).toMatch(/dist\/snapshot\/lib\/lib\.dom\.d\.ts changed/);
    expect(stampMismatch({ ...stamp(), node: "v18.0.0" })).toMatch(/made by Node v18\.0\.0/);
    expect(stampMismatch({ ...stamp(), packageRoot: "/elsewhere" })).toMatch(/made for flowgate at \/elsewhere/);
    expect(stampMismatch({ ...stamp(), v8Flags: [] })).toMatch(/made under other V8 options \(\)/);
  });
});

describe("launcher", () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(path.join(os.tmpdir(), "flowgate-snapshot-"))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("runs the CLI itself, with the same results, when the process started from the snapshot fails before the CLI starts", async () => {
    // A stamp that fits, next to a blob V8 cannot read: the child process exits before the CLI starts in it.
    copyFileSync(SNAPSHOT_STAMP, path.join(dir, "stamp.json"));
    writeFileSync(path.join(dir, "flowgate.blob"), "not a snapshot");
    const script = path.join(dir, "launch.mjs");
    const launch = path.join(REPO_ROOT, "dist/startup/launch.js");
    const main = path.join(REPO_ROOT, "dist/cli/main.js");
    writeFileSync(
      script,
      `import { runFromSnapshot } from ${JSON.stringify(launch)};\n` +
        `const ended = await runFromSnapshot(process.argv, { blob: ${JSON.stringify(path.join(dir, "flowgate.blob"))}, stamp: ${JSON.stringify(path.join(dir, "stamp.json"))} });\n` +
        `if (ended !== undefined) throw new Error("the broken snapshot ran");\n` +
        `const { main } = await import(${JSON.stringify(main)});\nprocess.exitCode = await main(process.argv);\n`,
    );
    const args = ["scan", path.join(FIXTURES_DIR, "demo-gateway"), "--format", "sarif", "--debug", "--no-cache"];
    const fallback = await runCli(args, { env: { NODE_OPTIONS: "" }, script });
    const plain = await runCli(args, { env: WITHOUT });
    expect(fallback.stderr).toMatch(/not using the startup snapshot: the process started from it ended before the CLI started/);
    expect(fallback.status).toBe(plain.status);
    expect(fallback.stdout).toBe(plain.stdout);
  });

  it("starts a large scan's process without a snapshot when the large scan's snapshot fails before the CLI starts, or was not made", async () => {
    copyFileSync(SNAPSHOT_STAMP, path.join(dir, "stamp.json"));
    const stamp = JSON.parse(readFileSync(SNAPSHOT_STAMP, "utf8")) as SnapshotStamp;
    writeFileSync(path.join(dir, "stamp-without.json"), JSON.stringify({ ...stamp, largeV8Flags: undefined }));
    writeFileSync(path.join(dir, "flowgate-large.blob"), "not a snapshot");
    const script = path.join(dir, "launch-large.mjs");
    const launch = path.join(REPO_ROOT, "dist/startup/launch.js");
    writeFileSync(
      script,
      `import { runLargeFromSnapshot } from ${JSON.stringify(launch)};\n` +
        `for (const stamp of ["stamp.json", "stamp-without.json"]) {\n` +
        `  const ended = await runLargeFromSnapshot(process.argv, "3 9000080", { blob: ${JSON.stringify(path.join(dir, "flowgate-large.blob"))}, stamp: ${JSON.stringify(dir)} + "/" + stamp });\n` +
        `  if (ended !== undefined) throw new Error("the broken snapshot ran");\n}\n`,
    );
    const run = await runCli(["scan", path.join(FIXTURES_DIR, "demo-gateway"), "--debug", "--no-cache"], { env: { NODE_OPTIONS: "" }, script });
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/not using the large scan's snapshot: the process started from it ended before the CLI started/);
    expect(run.stderr).toMatch(/not using the large scan's snapshot: the build did not make it/);
  });
});
