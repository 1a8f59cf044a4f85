import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import picomatch from "picomatch";
import { parse as parseYaml } from "yaml";

/** A workspace file larger than this is not read (a pnpm-workspace.yaml is a few hundred bytes). */
const MAX_WORKSPACE_FILE_BYTES = 1_000_000;
/** How deep a `**` in a workspace glob is followed (`packages/**` of a real monorepo is two or three levels). */
const MAX_GLOBSTAR_DEPTH = 4;
/** At most this many member folders are listed for one monorepo, so a glob such as `**` cannot walk a whole disk. */
const MAX_MEMBERS = 2_000;

/**
 * The folders a monorepo's root declares as its workspaces, relative to that root: npm's and Yarn's `workspaces`
 * field of its package.json (`["packages/*"]`, or `{ packages: [...] }`) and pnpm's `pnpm-workspace.yaml`
 * (`packages:`). A member's dependencies on its siblings are often plain versions (`"backend-lib": "0.0.3"`,
 * Yarn and npm workspaces link them without the `workspace:` protocol), so the globs are the only place that says
 * the sibling is the monorepo's own. Both files are read as data; `!` patterns take folders out; `node_modules`
 * and dot folders are never entered.
 */
export function workspaceMemberFolders(monorepoRoot: string, manifest: Record<string, unknown> | undefined): string[] {
  const patterns = [...manifestGlobs(manifest), ...pnpmGlobs(monorepoRoot)];
  const included = patterns.filter((p) => !p.startsWith("!")).map(normalise);
  const excludedGlobs = patterns.filter((p) => p.startsWith("!")).map((p) => normalise(p.slice(1)));
  const excluded = excludedGlobs.length > 0 ? picomatch(excludedGlobs, { dot: false }) : () => false;
  const folders = new Set<string>();
  for (const pattern of included) {
    for (const folder of expand(monorepoRoot, pattern.split("/").filter((s) => s !== "" && s !== "."), "", 0)) {
      if (folders.size >= MAX_MEMBERS) break;
      if (!excluded(folder)) folders.add(folder);
    }
  }
  return [...folders].sort();
}

function normalise(pattern: string): string {
  return pattern.replace(/\\/g, "/").replace(/^\.\//, "").replace(/\/+$/, "");
}

function manifestGlobs(manifest: Record<string, unknown> | undefined): string[] {
  const field = manifest?.workspaces;
  const list = Array.isArray(field) ? field : field !== null && typeof field === "object" ? (field as Record<string, unknown>).packages : undefined;
  return Array.isArray(list) ? list.filter((p): p is string => typeof p === "string") : [];
}

function pnpmGlobs(monorepoRoot: string): string[] {
  const file = path.join(monorepoRoot, "pnpm-workspace.yaml");
  try {
    if (!statSync(file).isFile() || statSync(file).size > MAX_WORKSPACE_FILE_BYTES) return [];
    const data: unknown = parseYaml(readFileSync(file, "utf8"));
    const list = data !== null && typeof data === "object" ? (data as Record<string, unknown>).packages : undefined;
    return Array.isArray(list) ? list.filter((p): p is string => typeof p === "string") : [];
  } catch {
    // missing, unreadable or not YAML: the monorepo simply declares no pnpm workspaces
    return [];
  }
}

/** The folders under `base` (relative to `root`) that the remaining glob segments match. */
function* expand(root: string, segments: readonly string[], base: string, globstarDepth: number): Generator<string> {
  if (segments.length === 0) {
    if (base !== "") yield base;
    return;
  }
  const [segment, ...rest] = segments as [string, ...string[]];
  if (segment === "**") {
    yield* expand(root, rest, base, 0);
    if (globstarDepth >= MAX_GLOBSTAR_DEPTH) return;
    for (const child of subfolders(root, base)) yield* expand(root, segments, join(base, child), globstarDepth + 1);
    return;
  }
  if (!picomatch.scan(segment).isGlob) {
    yield* expand(root, rest, join(base, segment), globstarDepth);
    return;
  }
  const matches = picomatch(segment, { dot: false });
  for (const child of subfolders(root, base)) if (matches(child)) yield* expand(root, rest, join(base, child), globstarDepth);
}

function join(base: string, name: string): string {
  return base === "" ? name : `${base}/${name}`;
}

function subfolders(root: string, relative: string): string[] {
  try {
    return readdirSync(path.join(root, relative), { withFileTypes: true })
      .filter((d) => d.isDirectory() && d.name !== "node_modules" && !d.name.startsWith("."))
      .map((d) => d.name)
      .sort();
  } catch {
    // an unreadable or missing folder holds no workspace
    return [];
  }
}
