import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

/** A manifest larger than this is not read for its name (a package.json is a few kilobytes). */
const MAX_MANIFEST_BYTES = 1_000_000;
/** How far above the scan root to look for the enclosing package (a monorepo's root), stopping at a `.git`. */
const MAX_ANCESTORS = 6;

/**
 * The names of the scanned project's own packages: every `package.json` under the root (a monorepo's workspaces) and
 * the nearest ones above it, up to the repository's root. An import of one of them, or of a package in the same npm
 * scope (`@acme/shared` next to `@acme/api`), is first-party code that is simply not in scope, never a third-party
 * library. Only the `name` field is read, as data; a manifest that is unreadable or not JSON is skipped.
 */
export function ownPackageNames(root: string, manifests: readonly string[]): string[] {
  const names = new Set<string>();
  const add = (file: string): void => {
    const name = manifestName(file);
    if (name !== undefined) names.add(name);
  };
  for (const manifest of manifests) add(path.join(root, manifest));
  let directory = path.resolve(root);
  for (let level = 0; level < MAX_ANCESTORS; level++) {
    if (existsSync(path.join(directory, ".git"))) break;
    const parent = path.dirname(directory);
    if (parent === directory) break;
    directory = parent;
    add(path.join(directory, "package.json"));
  }
  return [...names].sort();
}

function manifestName(file: string): string | undefined {
  try {
    if (!statSync(file).isFile() || statSync(file).size > MAX_MANIFEST_BYTES) return undefined;
    const data: unknown = JSON.parse(readFileSync(file, "utf8"));
    const name = data !== null && typeof data === "object" ? (data as { name?: unknown }).name : undefined;
    return typeof name === "string" && name.length > 0 ? name : undefined;
  } catch {
    return undefined;
  }
}
