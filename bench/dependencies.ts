import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { GATEWAY_DEPENDENCIES } from "./generate.js";

/**
 * The generated gateways' dependencies, installed once from the npm registry into a cache directory and symlinked
 * into each generated project, so that `tsc --noEmit` runs "with the project's dependencies installed, as CI has
 * them". flowgate itself never needs them.
 */
export function ensureDependencies(cacheDir: string): string {
  const manifest = JSON.stringify({ name: "flowgate-bench-deps", private: true, dependencies: GATEWAY_DEPENDENCIES }, null, 2) + "\n";
  const manifestFile = path.join(cacheDir, "package.json");
  const modules = path.join(cacheDir, "node_modules");
  const installed = existsSync(path.join(modules, ".package-lock.json"));
  if (installed && existsSync(manifestFile) && readFileSync(manifestFile, "utf8") === manifest) return modules;
  mkdirSync(cacheDir, { recursive: true });
  writeFileSync(manifestFile, manifest);
  console.error(`bench: installing the generated gateways' dependencies into ${cacheDir} (npm install, once)…`);
  const npm = spawnSync("npm", ["install", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"], {
    cwd: cacheDir,
    stdio: ["ignore", "inherit", "inherit"],
  });
  if (npm.status !== 0) {
    throw new Error(
      `npm install in ${cacheDir} failed (exit ${npm.status}); the generated gateways need their dependencies for tsc. ` +
        `Check that the npm registry is reachable, or pass --project to measure a checkout that has node_modules.`,
    );
  }
  return modules;
}
