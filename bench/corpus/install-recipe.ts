import { parse, stringify } from "yaml";

/**
 * How a corpus entry's dependencies are installed, as a gateway's CI installs them before type-checking
 * (docs/corpus.md, "A corpus with dependencies"): the project's own package manager at a pinned version, at its
 * lockfile, in a copy of the checkout. The recipe names the tool and its arguments; what keeps the install from
 * running the scanned project's code is added here, for every recipe alike, so that no entry can leave it out:
 * install scripts off, pnpm's `.pnpmfile.cjs` ignored, a yarn release or plugin the repository carries never loaded,
 * and the npm registry as the only registry the tools are told of.
 */
export interface InstallRecipe {
  manager: "npm" | "pnpm" | "yarn";
  /** The tool's exact version, fetched from the npm registry (never the release a repository carries). */
  version: string;
  /**
   * The Node.js version to run the tool with, when this one is too old for it (pnpm 11 needs Node 22): the
   * platform's `node-<os>-<cpu>` package from the npm registry, which ships the binary. Default: the Node running
   * the command.
   */
  node?: string;
  /** Where to run it, relative to the checkout root (default: the root). */
  dir?: string;
  /** The command and its options: `["ci"]`, `["install", "--frozen-lockfile", "--filter", "pkg..."]`. */
  args: string[];
  /** Why the recipe departs from the project's plain install (a lockfile out of sync, a package manager too new). */
  why?: string;
}

/** JSON Schema of a recipe, part of bench/corpus.json's schema. */
export const RECIPE_SCHEMA = {
  type: "object",
  required: ["manager", "version", "args"],
  additionalProperties: false,
  properties: {
    manager: { enum: ["npm", "pnpm", "yarn"] },
    version: { type: "string", pattern: "^[0-9]+\\.[0-9]+\\.[0-9]+$" },
    node: { type: "string", pattern: "^[0-9]+\\.[0-9]+\\.[0-9]+$" },
    dir: { type: "string", minLength: 1, pattern: "^(?!/)(?!.*(^|/)\\.\\.(/|$)).*[^/]$" },
    args: { type: "array", minItems: 1, items: { type: "string", minLength: 1 } },
    why: { type: "string", minLength: 1 },
  },
} as const;

/**
 * Options a recipe may not pass, because each could undo a safeguard added below: turn scripts back on, load a
 * pnpmfile or a yarn release, or point the tool at another registry or configuration.
 */
const FORBIDDEN = [/scripts/i, /pnpmfile/i, /^--mode\b/, /registry/i, /^--?(userconfig|globalconfig|config)\b/i, /yarn-?path/i, /^--(prefix|dir|cwd)\b/, /^-C$/];

export function recipeProblems(recipe: InstallRecipe): string[] {
  return recipe.args.filter((arg) => FORBIDDEN.some((pattern) => pattern.test(arg))).map((arg) => `option ${arg} may not be set by a recipe (the command sets what it governs)`);
}

/** The npm package each manager is fetched as; yarn 2+ ("berry") is published as a single-file bundle. */
export function toolPackage(recipe: InstallRecipe): { name: string; bin: string } {
  switch (recipe.manager) {
    case "npm":
      return { name: "npm", bin: "npm" };
    case "pnpm":
      return { name: "pnpm", bin: "pnpm" };
    case "yarn":
      return { name: "@yarnpkg/cli-dist", bin: "yarn" };
  }
}

/** The npm package of a Node.js release for this machine, binary included. */
export function nodePackage(platform: string = process.platform, arch: string = process.arch): { name: string; bin: string } {
  return { name: `node-${platform}-${arch}`, bin: "node" };
}

export const REGISTRY = "https://registry.npmjs.org/";
/** The configuration file yarn reads instead of the repository's `.yarnrc.yml` (written by `yarnConfig`). */
export const YARN_RC = ".flowgate-deps.yarnrc.yml";

export interface Invocation {
  /** Arguments after the tool's script (run with this Node). */
  args: string[];
  /** Variables set on top of the cleaned environment (`cleanEnvironment`). */
  env: Record<string, string>;
}

/** The tool's arguments and environment for a recipe, with the safeguards every install gets. */
export function installInvocation(recipe: InstallRecipe): Invocation {
  const registry = { npm_config_registry: REGISTRY, npm_config_ignore_scripts: "true" };
  switch (recipe.manager) {
    case "npm":
      return { args: [...recipe.args, "--ignore-scripts", "--no-audit", "--no-fund"], env: registry };
    case "pnpm":
      return {
        args: [...recipe.args, "--ignore-scripts", "--ignore-pnpmfile"],
        env: {
          ...registry,
          // pnpm 11 reads its settings from pnpm_config_* variables, earlier releases from npm_config_*.
          pnpm_config_registry: REGISTRY,
          pnpm_config_ignore_scripts: "true",
          // pnpm would otherwise fetch and run the version the project's `packageManager` names, or refuse ours.
          npm_config_manage_package_manager_versions: "false",
          npm_config_package_manager_strict: "false",
          npm_config_package_manager_strict_version: "false",
          pnpm_config_pm_on_fail: "ignore",
          // pnpm 11's release-age and trust checks ask the registry about every entry of the lockfile, also those the
          // filter leaves out, and fail on a package removed since the lockfile was written (unleash's frontend).
          // They judge a lockfile when it changes; here it is fixed, and its integrity hashes pin every package.
          pnpm_config_minimum_release_age: "0",
          pnpm_config_trust_policy: "off",
        },
      };
    case "yarn":
      // enableScripts off still runs the workspaces' own postinstall scripts; --mode=skip-build runs none. Commands
      // that do not take it (`workspaces focus`) fail rather than install with scripts.
      return {
        args: [...recipe.args, "--mode=skip-build"],
        env: {
          YARN_RC_FILENAME: YARN_RC,
          YARN_IGNORE_PATH: "1",
          YARN_ENABLE_SCRIPTS: "0",
          YARN_ENABLE_TELEMETRY: "0",
          YARN_NPM_REGISTRY_SERVER: REGISTRY.replace(/\/$/, ""),
        },
      };
  }
}

/**
 * The repository's yarn configuration without what would run its code: `yarnPath` (a yarn release in the tree) and
 * `plugins` (bundles in the tree, loaded into yarn). Everything else (linker, checksum behaviour, …) is the
 * project's, so the install is laid out as its CI lays it out.
 */
export function yarnConfig(yarnrc: string | undefined): string {
  const config = (yarnrc === undefined ? {} : (parse(yarnrc) as Record<string, unknown> | null)) ?? {};
  const kept = Object.fromEntries(Object.entries(config).filter(([key]) => !["yarnPath", "plugins", "npmRegistryServer", "npmScopes", "npmRegistries"].includes(key)));
  return stringify({ ...kept, enableScripts: false, enableTelemetry: false });
}

/**
 * The environment the tool runs in: this process's, without the `npm_*` variables `npm run` sets (the package and
 * configuration of flowgate, which would leak into the project's install), plus the invocation's.
 */
export function cleanEnvironment(base: NodeJS.ProcessEnv, invocation: Invocation): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(base)) {
    if (value === undefined || /^(npm|yarn|pnpm)_/i.test(key) || key === "INIT_CWD") continue;
    env[key] = value;
  }
  return { ...env, ...invocation.env };
}
