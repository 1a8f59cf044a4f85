import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, symlinkSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validateSarif } from "../support/sarif-validator.js";
import { removeTree, writeTree } from "../support/temp-tree.js";
import { LEAK, resultLines, scanDir, type TreeScan } from "./scan-tree.js";

/** Root can read anything, so "unreadable" cases only mean something for an ordinary user. */
const asRoot = process.getuid?.() === 0;

describe("a hostile checkout: broken configs, odd paths, links, a FIFO and permissions", () => {
  let root: string;
  let scan: TreeScan;
  beforeAll(async () => {
    root = writeTree(
      {
        "flowgate.config.yaml": "extends: recommended\n",
        "package.json": `{ "name": "broken", "version": `,
        "tsconfig.json": `{ "compilerOptions": { "strict": true, } "include": [ }`,
        "packages/cycle/tsconfig.json": `{ "extends": "./tsconfig.base.json" }`,
        "packages/cycle/tsconfig.base.json": `{ "extends": "./tsconfig.json" }`,
        "packages/cycle/src/a.ts": LEAK,
        "packages/missing/tsconfig.json": `{ "extends": "./nowhere.json", "files": ["gone.ts"], "references": [{ "path": "../absent" }] }`,
        "packages/missing/package.json": "\u0000\u0001 not json",
        "packages/missing/src/b.ts": LEAK,
        "src/with space/ünïcødé файл 名前.ts": LEAK,
        "src/readable.ts": LEAK,
        "src/unreadable.ts": LEAK,
        "src/locked/hidden.ts": LEAK,
      },
      "flowgate hardening ünï ",
    );
    mkdirSync(path.join(root, "links"));
    symlinkSync("..", path.join(root, "links", "loop")); // a directory link back up: a loop if followed
    symlinkSync(path.join(root, "links"), path.join(root, "links", "self"));
    symlinkSync(path.join(root, "src", "readable.ts"), path.join(root, "links", "alias.ts"));
    symlinkSync(path.join(root, "nowhere.ts"), path.join(root, "links", "dangling.ts"));
    execFileSync("mkfifo", [path.join(root, "src", "pipe.ts")]); // reading a FIFO would block forever
    chmodSync(path.join(root, "src", "unreadable.ts"), 0o000);
    chmodSync(path.join(root, "src", "locked"), 0o000);
    scan = await scanDir(root);
  }, 120_000);

  afterAll(() => {
    chmodSync(path.join(root, "src", "locked"), 0o755);
    removeTree(root);
  });

  it("completes, and finds the leaks in every readable file, under spaces and non-ASCII names too", () => {
    expect(scan.status).toBe(1);
    const lines = resultLines(scan);
    expect(lines).toContain("leak-to-log packages/cycle/src/a.ts:2");
    expect(lines).toContain("leak-to-log packages/missing/src/b.ts:2");
    expect(lines).toContain("leak-to-log src/readable.ts:2");
    expect(lines).toContain(`leak-to-log ${encodeURI("src/with space/ünïcødé файл 名前.ts")}:2`);
    expect(lines.filter((l) => l.includes("pipe"))).toEqual([]);
    // links are not followed: the file behind alias.ts is reported once, under its own path
    expect(lines.filter((l) => l.includes("links/"))).toEqual([]);
  });

  it("names the broken configs and does not stop for them", () => {
    const text = scan.notifications.join("\n");
    expect(text).toMatch(/tsconfig\.json/);
    expect(text).toMatch(/packages\/cycle\/tsconfig/);
    expect(text).toMatch(/packages\/missing\/tsconfig\.json/);
  });

  it.skipIf(asRoot)("names unreadable files and directories", () => {
    const text = scan.notifications.join("\n");
    expect(text).toMatch(/src\/unreadable\.ts/);
    expect(text).toMatch(/src\/locked/);
    expect(resultLines(scan).filter((l) => l.includes("unreadable") || l.includes("locked"))).toEqual([]);
  });

  it("writes valid SARIF with relative, percent-encoded URIs and no trace of the machine's paths", async () => {
    expect(scan.sarifText).not.toContain(root);
    expect(scan.sarifText).not.toContain(path.join(os.tmpdir(), "flowgate"));
    expect(scan.sarifText).not.toContain("file://");
    expect(scan.sarifText).not.toContain(process.cwd());
    const report = await validateSarif({ text: scan.sarifText });
    expect(report.errors).toEqual([]);
    expect(report.warnings).toEqual([]);
  }, 60_000);
});

describe("scan roots that are not there", () => {
  it("exits 2 for a root that does not exist, and for a root that is a file", async () => {
    const missing = await scanDir(path.join(os.tmpdir(), "flowgate-does-not-exist-\u00e9"));
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/does not exist/);
    expect(missing.sarifText).toBe("");
    const root = writeTree({ "file.ts": LEAK });
    try {
      const file = await scanDir(path.join(root, "file.ts"));
      expect(file.status).toBe(2);
      expect(file.stderr).toMatch(/not a directory/);
    } finally {
      removeTree(root);
    }
  });
});

describe("paths never escape the scan root", () => {
  it("a tsconfig and imports pointing outside the root load nothing from there, and every URI stays relative inside", async () => {
    const base = writeTree({
      "outside/out.ts": `export function o(msisdn: string) { console.log(msisdn); }\nexport const URL_OUT = "https://out.example/";\n`,
      "root/flowgate.config.yaml": "extends: recommended\n",
      "root/tsconfig.json": JSON.stringify({
        compilerOptions: { baseUrl: ".", paths: { "@out/*": ["../outside/*"] } },
        files: ["../outside/out.ts"],
        include: ["../outside/**", "src/**"],
      }),
      "root/src/a.ts": `import { o, URL_OUT } from "@out/out";\nimport { o as o2 } from "../../outside/out";\nexport function f(msisdn: string) {\n  o(msisdn); o2(msisdn);\n  fetch(URL_OUT, { method: "POST", body: msisdn });\n}\n`,
    });
    try {
      const scan = await scanDir(path.join(base, "root"));
      const uris = [...scan.sarifText.matchAll(/"uri": "([^"]*)"/g)].map((m) => m[1] as string);
      expect(uris.length).toBeGreaterThan(0);
      for (const uri of uris) expect(uri).not.toMatch(/^(\.\.|\/|[a-z]+:)/i);
      expect(uris.filter((uri) => uri.includes("outside"))).toEqual([]);
      // the constant lives outside the scanned tree: not followed, so the destination is unresolved (not vetted)
      expect(resultLines(scan)).toEqual(["leak-to-network src/a.ts:5"]);
    } finally {
      removeTree(base);
    }
  });
});
