import { statSync } from "node:fs";
import path from "node:path";
import type { Notification } from "../result.js";
import { enclosingIgnores } from "./enclosing-ignores.js";
import { fileNotification } from "./notifications.js";
import { pathGlobs } from "./path-globs.js";
import { walkTree } from "./walk-tree.js";

/** Extensions flowgate analyses: TypeScript and JavaScript, ES modules and CommonJS. */
export const SOURCE_EXTENSIONS = [".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs"] as const;

/**
 * Never scanned, whatever the policy says: installed dependencies, VCS data, build output and minified bundles.
 * Build output is generated from sources that are scanned anyway, and would double every finding. Yarn's own files are
 * installed tooling like node_modules: `.yarn/` holds the release a project pins (a 2.7 MB bundle in dittofeed, whose
 * analysis alone ran a starter scan out of memory), plugins, SDKs and the zip cache; `.pnp.cjs` is the generated
 * resolver of every dependency. (A tsconfig's
 * `outDir` is excluded too, by the caller, once the tsconfigs are read.)
 */
export const DEFAULT_EXCLUDES = [
  "**/node_modules/**",
  "**/.git/**",
  "**/dist/**",
  "**/coverage/**",
  "**/.next/**",
  "**/.nuxt/**",
  "**/.turbo/**",
  "**/.cache/**",
  "**/.yarn/**",
  "**/.pnp.cjs",
  "**/.pnp.loader.mjs",
  "**/*.min.js",
  "**/*.bundle.js",
];

/** Names at most this many unreadable directories one by one; the rest share one notification. */
const MAX_UNREADABLE_DIRECTORIES = 20;

export interface FoundFiles {
  /** Source files in scope, relative to the root with forward slashes, sorted. Includes the project's own .d.ts. */
  files: string[];
  /**
   * Source files the policy's include leaves out but nothing excludes or ignores, sorted: the rest of a monorepo,
   * which the scanned files may import (imported-files.ts). Empty when there is no include.
   */
  outside: string[];
  /**
   * Every `tsconfig.json` and `jsconfig.json` outside the excluded directories (include does not apply: configs
   * govern resolution).
   */
  tsconfigs: string[];
  /** Every `package.json` outside the excluded directories: the project's own packages (a monorepo's workspaces). */
  manifests: string[];
  notifications: Notification[];
}

/**
 * Lists the source files under `root` that the policy's include/exclude select, honouring the .gitignore files at and
 * below the root and the rules of an enclosing repository that select files inside it (never one that names the root).
 * Symbolic links are not followed (a link may point outside the root or back up into it): an in-scope link is
 * reported instead, so nothing is dropped silently. Unreadable directories are reported and skipped.
 */
export async function findFiles(root: string, include: string[], exclude: string[]): Promise<FoundFiles> {
  const enclosing = enclosingIgnores(root);
  const walked = walkTree(root, {
    exclude: [...DEFAULT_EXCLUDES, ...exclude],
    gitignore: true,
    ignoredAbove: enclosing ? (relative) => enclosing.ignores(relative) : undefined,
    // what the loop below keeps of the regular files (symbolic links are all listed: an included one is reported)
    keepFile: (name) => isSourceFile(name) || CONFIG_FILE_NAMES.includes(name) || name === "package.json",
  });
  const unreadable = walked.unreadable.sort((a, b) => compareStrings(a.path, b.path));
  const notifications: Notification[] = unreadable.slice(0, MAX_UNREADABLE_DIRECTORIES).map(({ path: directory, code }) => ({
    id: "unreadable-directory",
    level: "warning" as const,
    message: `directory ${directory || "."} could not be read (${code}); its files were not scanned`,
  }));
  if (unreadable.length > MAX_UNREADABLE_DIRECTORIES) {
    notifications.push({
      id: "unreadable-directory",
      level: "warning",
      message: `${unreadable.length - MAX_UNREADABLE_DIRECTORIES} more directories could not be read (${unreadable
        .slice(MAX_UNREADABLE_DIRECTORIES)
        .map((entry) => entry.path)
        .join(", ")}); their files were not scanned`,
    });
  }
  // One walk over everything not excluded; include is applied afterwards so the walk also finds the tsconfigs.
  const included = include.length > 0 ? pathGlobs(include) : () => true;
  const files: string[] = [];
  const outside: string[] = [];
  const tsconfigs: string[] = [];
  const manifests: string[] = [];
  for (const entry of walked.entries.sort((a, b) => compareStrings(a.path, b.path))) {
    const relative = entry.path;
    if (entry.kind === "symlink") {
      const note = included(relative) ? symlinkNotification(root, relative) : undefined;
      if (note) notifications.push(note);
    } else if (isSourceFile(relative)) (included(relative) ? files : outside).push(relative);
    else if (CONFIG_FILE_NAMES.includes(path.posix.basename(relative))) tsconfigs.push(relative);
    else if (relative === "package.json" || relative.endsWith("/package.json")) manifests.push(relative);
  }
  return { files, outside, tsconfigs, manifests, notifications };
}

/** The compiler configs the walk keeps: a JavaScript project's `paths` live in its jsconfig.json. */
const CONFIG_FILE_NAMES: readonly string[] = ["tsconfig.json", "jsconfig.json"];

export function isSourceFile(relativePath: string): boolean {
  return SOURCE_EXTENSIONS.some((ext) => relativePath.endsWith(ext));
}

/** Declaration files carry types, never code: they join the Project for the checker but are not walked. */
export function isDeclarationFile(relativePath: string): boolean {
  return /\.d\.[mc]?ts$/.test(relativePath) || /\.d\.[^/]*\.ts$/.test(relativePath);
}

function symlinkNotification(root: string, relative: string): Notification | undefined {
  const absolute = path.join(root, relative);
  let target: "file" | "directory" | "loop" | "dangling";
  try {
    const stats = statSync(absolute);
    target = stats.isDirectory() ? "directory" : "file";
  } catch (error) {
    target = (error as NodeJS.ErrnoException).code === "ELOOP" ? "loop" : "dangling";
  }
  // A link to a non-source file is out of scope anyway: nothing to say about it.
  if (target === "file" && !isSourceFile(relative)) return undefined;
  const why = {
    file: "symbolic link to a file, not followed (its target is scanned where it lives inside the root)",
    directory: "symbolic link to a directory, not followed (its target is scanned where it lives inside the root)",
    loop: "symbolic link loop, not followed",
    dangling: "symbolic link to a missing target, not followed",
  }[target];
  return fileNotification("symlink-skipped", target === "loop" ? "warning" : "note", relative, why);
}

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
