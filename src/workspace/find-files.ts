import { lstatSync, statSync } from "node:fs";
import path from "node:path";
import { globby } from "globby";
import picomatch from "picomatch";
import type { Notification } from "../result.js";
import { enclosingIgnores } from "./enclosing-ignores.js";
import { fileNotification } from "./notifications.js";

/** Extensions flowgate analyses: TypeScript and JavaScript, ES modules and CommonJS. */
export const SOURCE_EXTENSIONS = [".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs"] as const;

/**
 * Never scanned, whatever the policy says: installed dependencies, VCS data, build output and minified bundles.
 * Build output is generated from sources that are scanned anyway, and would double every finding. (A tsconfig's
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
  "**/*.min.js",
  "**/*.bundle.js",
];

/** The ignore files read at and below the scan root. */
export const GITIGNORE_FILES = "**/.gitignore";

/** Gives up re-walking after this many unreadable directories (each one costs a walk), with a notification. */
const MAX_UNREADABLE_DIRECTORIES = 20;

export interface FoundFiles {
  /** Source files in scope, relative to the root with forward slashes, sorted. Includes the project's own .d.ts. */
  files: string[];
  /**
   * Source files the policy's include leaves out but nothing excludes or ignores, sorted: the rest of a monorepo,
   * which the scanned files may import (imported-files.ts). Empty when there is no include.
   */
  outside: string[];
  /** Every `tsconfig.json` outside the excluded directories (include does not apply: configs govern resolution). */
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
  const notifications: Notification[] = [];
  const enclosing = enclosingIgnores(root);
  const ignoredAbove = (relative: string) => enclosing?.ignores(relative) === true;
  const unreadable: string[] = [];
  // One walk over everything not excluded; include is applied afterwards so the walk also finds the tsconfigs.
  const included = include.length > 0 ? picomatch(include, { dot: true }) : () => true;
  for (;;) {
    try {
      const entries = await globby(["**"], {
        cwd: root,
        // the root's own .gitignore and those below it; an enclosing repository's are applied after (enclosingIgnores)
        ignoreFiles: [GITIGNORE_FILES],
        ignore: [...DEFAULT_EXCLUDES, ...exclude, ...unreadable.map((dir) => `${dir}/**`)],
        onlyFiles: false,
        objectMode: true,
        followSymbolicLinks: false,
        dot: true,
        suppressErrors: unreadable.length >= MAX_UNREADABLE_DIRECTORIES,
      });
      const files: string[] = [];
      const outside: string[] = [];
      const tsconfigs: string[] = [];
      const manifests: string[] = [];
      for (const entry of entries) {
        const relative = entry.path.replace(/\\/g, "/").replace(/\/$/, "");
        if (ignoredAbove(relative)) continue;
        if (entry.dirent.isSymbolicLink()) {
          const note = included(relative) ? symlinkNotification(root, relative) : undefined;
          if (note) notifications.push(note);
        } else if (entry.dirent.isFile()) {
          if (isSourceFile(relative)) (included(relative) ? files : outside).push(relative);
          else if (relative === "tsconfig.json" || relative.endsWith("/tsconfig.json")) tsconfigs.push(relative);
          else if (relative === "package.json" || relative.endsWith("/package.json")) manifests.push(relative);
        }
      }
      if (unreadable.length >= MAX_UNREADABLE_DIRECTORIES) {
        notifications.push({
          id: "unreadable-directory",
          level: "warning",
          message: `more than ${MAX_UNREADABLE_DIRECTORIES} directories could not be read; further ones were skipped without being named`,
        });
      }
      return {
        files: files.sort(compareStrings),
        outside: outside.sort(compareStrings),
        tsconfigs: tsconfigs.sort(compareStrings),
        manifests: manifests.sort(compareStrings),
        notifications,
      };
    } catch (error) {
      const failed = unreadablePath(error, root);
      if (failed === undefined) throw error;
      unreadable.push(failed);
      notifications.push({
        id: "unreadable-directory",
        level: "warning",
        message: `directory ${failed || "."} could not be read (${(error as NodeJS.ErrnoException).code}); its files were not scanned`,
      });
      if (failed === "") return { files: [], outside: [], tsconfigs: [], manifests: [], notifications };
    }
  }
}

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

/** The root-relative directory a walk error names, when the error is one we can skip past. */
function unreadablePath(error: unknown, root: string): string | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const failedPath = (error as NodeJS.ErrnoException | undefined)?.path;
  if (!failedPath || (code !== "EACCES" && code !== "EPERM" && code !== "ELOOP" && code !== "ENOTDIR")) return undefined;
  const relative = path.relative(root, path.resolve(root, failedPath)).replace(/\\/g, "/");
  if (relative.startsWith("..")) return undefined;
  try {
    lstatSync(path.join(root, relative));
  } catch {
    return undefined;
  }
  return relative;
}

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
