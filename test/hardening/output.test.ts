import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runMain } from "../support/run-cli.js";
import { writeTree, type Tree } from "../support/temp-tree.js";
import { scanDir } from "./scan-tree.js";

/**
 * Output a reviewer reads or a machine uploads: byte-identical for the same input wherever and however it is read, and
 * safe when the scanned code tries to inject into it.
 */
const ESC = "\u001b";
const hostileLine =
  `  console.log("${ESC}[2J${ESC}]8;;https://evil.example${ESC}\\\\click${ESC}]8;;${ESC}\\\\ \u202e<img src=x onerror=alert(1)> ` +
  `](https://evil.example) **bold** | col | @admin #1 <!-- x --> \`\`\` \u0007\\r", msisdn);`;

const tree: Tree = {
  "flowgate.config.yaml": "extends: recommended\nvetted:\n  hosts: ['*.enclave.eu.internal']\n",
  "src/hostile.ts": `export function hostile(msisdn: string) {\n${hostileLine}\n}\n`,
  "src/b/notify.ts": `import axios from "axios";\nexport async function send(msisdn: string) {\n  await axios.post("https://api.vendor.example/sms", { to: msisdn });\n  await axios.post("https://a.enclave.eu.internal/sms", { to: msisdn });\n}\n`,
  "src/a/logger.ts": `export function log(phoneNumber: string) {\n  console.info("phone", phoneNumber);\n}\n`,
  "src/c/user.ts": `export interface User { email: string; name: string }\nexport function show(user: User) {\n  console.log(user);\n}\n`,
};

describe("escaping of scanned text", () => {
  let root: string;
  beforeAll(() => {
    root = writeTree(tree);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("the terminal report carries no escape sequence, bell or bidi override from the scanned code", async () => {
    const run = await runMain(["scan", root, "--format", "text", "--quiet"]);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain("hostile.ts");
    expect(run.stdout).not.toContain(ESC);
    expect(run.stdout).not.toContain("\u0007");
    expect(run.stdout).not.toContain("\u202e");
  });

  it("the markdown report carries no HTML, link, mention or fence break from the scanned code", async () => {
    const run = await runMain(["scan", root, "--format", "markdown", "--quiet"]);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain("hostile.ts");
    expect(run.stdout).not.toMatch(/<img|<!--|\]\(https:\/\/evil/);
    expect(run.stdout).not.toContain(ESC);
    expect(run.stdout).not.toMatch(/(^|[^`\\])@admin/);
  });
});

describe("determinism", () => {
  const reversed: Tree = Object.fromEntries(Object.entries(tree).reverse());
  let first: string;
  beforeAll(async () => {
    const root = writeTree(tree, "flowgate-determinism-a-");
    try {
      first = (await scanDir(root)).sarifText;
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }, 60_000);

  it("the same input gives byte-identical SARIF across runs, scan-root locations and file creation order", async () => {
    expect(first).toContain('"ruleId": "leak-to-network"');
    const roots = [writeTree(tree, "flowgate-determinism-b-"), writeTree(reversed, "other place with spaces ü-")];
    try {
      for (const root of roots) expect((await scanDir(root)).sarifText).toBe(first);
      expect((await scanDir(roots[0] as string)).sarifText).toBe(first);
    } finally {
      for (const root of roots) rmSync(root, { recursive: true, force: true });
    }
  }, 60_000);
});
