import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Log } from "sarif";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { CorpusEntry } from "../../../bench/corpus/corpus-file.js";
import { summariseSarif } from "../../../bench/corpus/scan-summary.js";
import { projectTypes } from "../../../bench/corpus/project-types.js";
import { policyYaml, prepareScope } from "../../../bench/corpus/scope.js";
import { scoreEntry } from "../../../bench/corpus/score.js";
import { parseTscOutput } from "../../../bench/corpus/tsc-output.js";
import { REPO_ROOT } from "../../support/paths.js";
import { runCli } from "../../support/run-cli.js";
import { removeTree, writeTree } from "../../support/temp-tree.js";

// A checkout in miniature: server code in two subpaths, its tests, and code outside the subpaths.
const checkout = writeTree({
  // A deprecated option and a types package that is not installed: neither may stop tsc before it type-checks.
  "tsconfig.json": JSON.stringify({ compilerOptions: { strict: true, target: "ES2022", module: "NodeNext", downlevelIteration: true, types: ["node"] } }),
  "api/src/sign-in.ts": [
    "export function signIn(user: { email: string; id: string }): void {",
    '  console.log("sign-in", user.email);',
    '  console.log("sign-in id", user.id);',
    "}",
    "",
  ].join("\n"),
  "api/src/typo.ts": "export const count: number = 'three';\n",
  // A JavaScript file flowgate scans: listed to tsc without allowJs it is an options error, and tsc checks nothing.
  "api/src/settings.js": "module.exports = { port: 3000 };\n",
  "api/src/__tests__/sign-in.test.ts": 'console.log("test", { email: "a@b.c" }.email);\n',
  "api/src/sign-in.spec.ts": "export const n: number = 'x';\n",
  "libs/shared/src/phone.ts": "export function send(phoneNumber: string): void {\n  console.info(phoneNumber);\n}\n",
  "web/page.ts": "export const wrong: string = 1;\nconsole.log({ email: 'x' }.email);\n",
});
const scratch = mkdtempSync(path.join(os.tmpdir(), "flowgate-corpus-test-"));
const entry: CorpusEntry = { name: "mini", repository: "example/mini", commit: "0".repeat(40), subpaths: ["api/src", "libs/shared/src"], tsconfig: "tsconfig.json" };
const exclude = ["**/*.test.ts", "**/*.spec.ts", "**/__tests__/**"];

afterAll(() => {
  removeTree(checkout);
  removeTree(scratch);
});

describe("corpus scope", () => {
  it("selects the subpaths' files without tests, and flowgate and tsc look at exactly those", async () => {
    const scope = await prepareScope(REPO_ROOT, checkout, entry, exclude, scratch);
    expect(scope.files).toEqual(["api/src/settings.js", "api/src/sign-in.ts", "api/src/typo.ts", "libs/shared/src/phone.ts"]);
    expect(scope.lines).toBe(1 + 4 + 1 + 3);
    expect(scope.tscMode).toBe("no deps");
    expect(path.relative(checkout, scope.policyFile).startsWith("..")).toBe(true);

    // flowgate, given the policy from outside the tree, scans the same files and reports from the checkout root.
    const sarif = path.join(scratch, "mini.sarif");
    const scan = await runCli(["scan", checkout, "--config", scope.policyFile, "--format", "sarif", "--output", sarif, "--fail-on", "none"]);
    expect(scan.status, scan.stderr).toBe(0);
    const summary = summariseSarif(JSON.parse(readFileSync(sarif, "utf8")) as Log);
    expect(summary.filesScanned).toBe(4);
    expect(summary.results.map((r) => `${r.ruleId} ${r.dataClasses.join(",")} ${r.file}:${r.startLine}`).sort()).toEqual([
      "leak-to-log email-address api/src/sign-in.ts:2",
      "leak-to-log phone-number libs/shared/src/phone.ts:2",
    ]);
    expect(summary.resultsByRule).toEqual({ "leak-to-log": 2 });
    expect(summary.internalErrors).toEqual([]);
    const score = scoreEntry(
      {
        leaks: [{ file: "api/src/sign-in.ts", line: 2, class: "email-address", kind: "log", why: "the user's e-mail is logged at sign-in" }],
        negatives: [{ file: "api/src/sign-in.ts", line: 3, why: "only the user id is logged" }],
      },
      summary.results,
    );
    expect(score).toMatchObject({ found: 1, missed: [], violated: [] });

    // tsc, with the generated project, checks the same files with the checkout's options (its deprecated ones too).
    const tsc = spawnSync(process.execPath, [path.join(REPO_ROOT, "node_modules/typescript/bin/tsc"), "--pretty", "false", "-p", scope.tscProject], { encoding: "utf8" });
    const errors = tsc.stdout.split("\n").filter((l) => l.includes("error TS"));
    expect(parseTscOutput(tsc.stdout)).toEqual({ errors: 1, typeChecked: true });
    expect(errors).toHaveLength(1);
    // tsc names the file relative to its working directory when that is shorter: compare by where it ends
    expect(errors[0]).toMatch(/api\/src\/typo\.ts\(1,14\): error TS2322/);
  }, 180_000); // two child processes (a scan and tsc); slow on a shared machine
});

describe("corpus scope with the dependencies installed", () => {
  // The type packages the tsconfig names, installed: tsc, given the generated project outside the checkout, must find
  // them as it does from the checkout's own tsconfig (else TS2688, and it checks nothing).
  const installed = writeTree({
    "tsconfig.json": JSON.stringify({ compilerOptions: { strict: true, target: "ES2022", types: ["node", "env/globals.d.ts"] }, include: ["src", "typings"] }),
    // The project's own ambient declarations, outside the scanned subpath: the project's tsc has them.
    "typings/theme.d.ts": "declare var fromTypings: boolean;\n",
    "node_modules/@types/node/package.json": '{ "name": "@types/node", "version": "1.0.0", "types": "index.d.ts" }\n',
    "node_modules/@types/node/index.d.ts": "declare var fromNode: string;\n",
    "node_modules/env/package.json": '{ "name": "env", "version": "1.0.0" }\n',
    "node_modules/env/globals.d.ts": "declare var fromEnv: number;\n",
    "src/uses.ts": "export const a: string = fromNode;\nexport const b: number = fromEnv;\nexport const c: boolean = fromTypings;\n",
  });
  afterAll(() => removeTree(installed));

  it("lists the type packages the project's tsconfig names, resolved from the tsconfig's own directory, and its own declarations", async () => {
    const scope = await prepareScope(REPO_ROOT, installed, { ...entry, subpaths: ["src"] }, exclude, scratch);
    expect(scope.tscMode).toBe("with deps");
    const tsc = spawnSync(process.execPath, [path.join(REPO_ROOT, "node_modules/typescript/bin/tsc"), "--pretty", "false", "-p", scope.tscProject], { encoding: "utf8" });
    expect(tsc.stdout).toBe("");
    expect(parseTscOutput(tsc.stdout)).toEqual({ errors: 0, typeChecked: true });
  }, 60_000);

  it("leaves in `types` the names no installed package answers, for tsc to report as in the project", () => {
    const config = path.join(installed, "tsconfig.missing.json");
    writeFileSync(config, JSON.stringify({ compilerOptions: { types: ["node", "missing"] }, files: [] }));
    const types = projectTypes(config);
    expect(types.unresolved).toEqual(["missing"]);
    expect(types.files.map((file) => path.relative(installed, file))).toEqual(["node_modules/@types/node/index.d.ts"]);
  });
});

describe("the entry's policy", () => {
  it("is the recommended pack with the entry's scope, plus the sanitizers a reviewer declared for it", () => {
    expect(parse(policyYaml(entry, exclude))).toEqual({ extends: "recommended", include: ["api/src/**", "libs/shared/src/**"], exclude });
    const redacting: CorpusEntry = { ...entry, sanitizers: ["api/src/log-helpers.ts#redactPII"] };
    expect(parse(policyYaml(redacting, exclude))).toEqual({
      extends: "recommended",
      include: ["api/src/**", "libs/shared/src/**"],
      exclude,
      sanitizers: ["api/src/log-helpers.ts#redactPII"],
    });
  });
});

describe("tsc's report", () => {
  it("says tsc did not type-check when it stopped at an options, global or syntax error", () => {
    const js = "error TS6504: File '/c/server/config.js' is a JavaScript file. Did you mean to enable the 'allowJs' option?\n  The file is in the program because:\n";
    expect(parseTscOutput(js)).toEqual({ errors: 1, typeChecked: false });
    expect(parseTscOutput("src/a.ts(3,1): error TS1005: ';' expected.\n")).toEqual({ errors: 1, typeChecked: false });
    // a config file's own error (an `extends` not installed) does not stop the check; type errors are a check's
    const checked = "../c/tsconfig.json(2,14): error TS6053: File '@c/tsconfig/base.json' not found.\nsrc/a.ts(1,14): error TS2322: Type 'string' is not assignable to type 'number'.\n";
    expect(parseTscOutput(checked)).toEqual({ errors: 2, typeChecked: true });
    // the checker has TS1xxx codes too (TS1360, a `satisfies` that fails): beside other type errors, a check
    const satisfies = "src/b.ts(9,3): error TS1360: Type 'any' does not satisfy the expected type 'never'.\nsrc/a.ts(1,14): error TS2322: Type 'string' is not assignable to type 'number'.\n";
    expect(parseTscOutput(satisfies)).toEqual({ errors: 2, typeChecked: true });
    expect(parseTscOutput("")).toEqual({ errors: 0, typeChecked: true });
  });
});
