import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { workspaceMemberFolders } from "./workspace-globs.js";

/** A manifest larger than this is not read for its name (a package.json is a few kilobytes). */
const MAX_MANIFEST_BYTES = 1_000_000;
/** How far above the scan root to look for the enclosing package (a monorepo's root), stopping at a `.git`. */
const MAX_ANCESTORS = 6;

/**
 * The names of the scanned project's own packages: every `package.json` under the root (a monorepo's workspaces) and
 * the nearest ones above it, up to the repository's root, and every dependency one of them declares with the
 * `workspace:` protocol (pnpm, Yarn, Bun: a package of the same monorepo, wherever its folder is — a scan of
 * `apps/web` meets `"@dub/email": "workspace:*"` in its own manifest while `packages/email` lies outside the root).
 * An import of one of them, or of a package in the same npm scope (`@acme/shared` next to `@acme/api`), is
 * first-party code that is simply not in scope, never a third-party library. A manifest above the root that declares
 * workspaces (npm's and Yarn's `workspaces`, pnpm's `pnpm-workspace.yaml`) names its members too: Yarn and npm link a
 * sibling declared with a plain version (`"backend-lib": "0.0.3"`), so the globs are the only place that says so.
 * The packages under the root come read (`workspacePackages`); above it only the `name`, dependency and workspace
 * fields are read, as data; a manifest that is unreadable or not JSON is skipped.
 */
export function ownPackageNames(root: string, inTree: readonly WorkspacePackage[]): string[] {
  const names = new Set(inTree.flatMap((p) => [p.name, ...p.workspaceDependencies]));
  const addManifest = (data: Record<string, unknown> | undefined): void => {
    const name = data?.name;
    if (typeof name === "string" && name.length > 0) names.add(name);
    if (data) for (const dependency of workspaceDependencies(data)) names.add(dependency);
  };
  const add = (directory: string): void => {
    const data = readManifest(path.join(directory, "package.json"));
    addManifest(data);
    for (const member of workspaceMemberFolders(directory, data)) addManifest(readManifest(path.join(directory, member, "package.json")));
  };
  let directory = path.resolve(root);
  for (let level = 0; level < MAX_ANCESTORS; level++) {
    if (existsSync(path.join(directory, ".git"))) break;
    const parent = path.dirname(directory);
    if (parent === directory) break;
    directory = parent;
    add(directory);
  }
  return [...names].sort();
}

/**
 * A package of the scanned tree (a monorepo's workspace): its name, its folder relative to the root, and the entry
 * points its manifest names (`types`, `module`, `main`, `exports["."]`, as written). An import of it by name
 * (`@acme/lib/transporter`) is resolved inside that folder when no node_modules link makes it resolvable — a
 * reviewer's checkout is seldom installed (module-resolution.ts).
 */
export interface WorkspacePackage {
  name: string;
  directory: string;
  entries: string[];
  /** What its manifest depends on with the `workspace:` protocol: the monorepo's own packages. */
  workspaceDependencies: string[];
}

export function workspacePackages(root: string, manifests: readonly string[]): WorkspacePackage[] {
  const packages: WorkspacePackage[] = [];
  for (const manifest of manifests) {
    const data = readManifest(path.join(root, manifest));
    const name = data?.name;
    if (data === undefined || typeof name !== "string" || name.length === 0) continue;
    const dot = typeof data.exports === "object" && data.exports !== null ? (data.exports as Record<string, unknown>)["."] : data.exports;
    const entries = [data.types, data.typings, data.module, data.main, dot].filter((e): e is string => typeof e === "string");
    packages.push({ name, directory: path.posix.dirname(manifest.split(path.sep).join("/")), entries, workspaceDependencies: workspaceDependencies(data) });
  }
  return packages.sort((a, b) => b.name.length - a.name.length || (a.name < b.name ? -1 : 1));
}

const DEPENDENCY_FIELDS = ["dependencies", "devDependencies", "peerDependencies", "optionalDependencies"] as const;

/** The dependencies a manifest declares with the `workspace:` protocol (`"@acme/email": "workspace:*"`). */
function workspaceDependencies(data: Record<string, unknown>): string[] {
  const names: string[] = [];
  for (const field of DEPENDENCY_FIELDS) {
    const declared = data[field];
    if (declared === null || typeof declared !== "object" || Array.isArray(declared)) continue;
    for (const [name, version] of Object.entries(declared as Record<string, unknown>)) {
      if (typeof version === "string" && version.startsWith("workspace:")) names.push(name);
    }
  }
  return names;
}

/** A manifest's fields, read as data; undefined when it is missing, too large, unreadable or not a JSON object. */
function readManifest(file: string): Record<string, unknown> | undefined {
  try {
    if (!statSync(file).isFile() || statSync(file).size > MAX_MANIFEST_BYTES) return undefined;
    const data: unknown = JSON.parse(readFileSync(file, "utf8"));
    return data !== null && typeof data === "object" && !Array.isArray(data) ? (data as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
