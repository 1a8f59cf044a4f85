import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { cleanEnvironment, nodePackage, REGISTRY, toolPackage, type InstallRecipe } from "./install-recipe.js";

/**
 * The package manager a recipe names, fetched once from the npm registry into `toolsDir/<package>@<version>` (outside
 * every checkout) and run from there by path: `npx` would prefer a copy in the project's own `node_modules`, and the
 * repository's `packageManager` field or yarn release never decides which code runs.
 */
export function toolScript(toolsDir: string, recipe: InstallRecipe): string {
  return packageBin(toolsDir, toolPackage(recipe), recipe.version);
}

/** The Node.js binary a recipe's tool runs with: the recipe's release from the registry, or this process's. */
export function toolRuntime(toolsDir: string, recipe: InstallRecipe): string {
  return recipe.node ? packageBin(toolsDir, nodePackage(), recipe.node) : process.execPath;
}

function packageBin(toolsDir: string, { name, bin }: { name: string; bin: string }, version: string): string {
  const prefix = path.join(toolsDir, `${name.replace("/", "+")}@${version}`);
  const manifest = path.join(prefix, "node_modules", name, "package.json");
  if (!existsSync(manifest)) {
    mkdirSync(prefix, { recursive: true });
    const npm = spawnSync("npm", ["install", "--prefix", prefix, "--no-save", "--no-package-lock", "--ignore-scripts", "--no-audit", "--no-fund", `${name}@${version}`], {
      cwd: prefix,
      encoding: "utf8",
      env: cleanEnvironment(process.env, { args: [], env: { npm_config_registry: REGISTRY } }),
    });
    if (npm.status !== 0) throw new Error(`could not fetch ${name}@${version}: ${(npm.stderr || npm.stdout).trim().split("\n").slice(-5).join("\n")}`);
  }
  const pkg = JSON.parse(readFileSync(manifest, "utf8")) as { version: string; bin?: string | Record<string, string> };
  if (pkg.version !== version) throw new Error(`${manifest} is ${pkg.version}, not ${version}`);
  const script = typeof pkg.bin === "string" ? pkg.bin : pkg.bin?.[bin];
  if (!script) throw new Error(`${name}@${version} has no "${bin}" command`);
  return path.join(path.dirname(manifest), script);
}
