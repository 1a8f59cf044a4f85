import path from "node:path";
import { ts } from "ts-morph";
import { lazy } from "../lazy.js";
import { exportedOptions, objectAt, propertyOf, stringAt } from "./framework-config.js";

/**
 * A framework's auto-imports of the project's own code: Nitro (standalone, and as Nuxt's `server/` directory) puts
 * every export of the files of its utilities folders into every server file, so a route calls `requireUserTeam(event)`
 * with no import and no declaration the program could see (Nuxt writes the declarations into `.nuxt/` at build time,
 * which a checkout does not have). A directory holding a scanned `nuxt.config.*` or `nitro.config.*` is a framework
 * root R:
 *
 * - Nuxt: files under `R/server/` see the exports of `R/server/utils/*` and `R/shared/utils/*`;
 * - Nitro: files under R see the exports of `R/<srcDir>/utils/*` (srcDir `.` unless the config names one);
 * - both: and of the folders the config lists in `imports.dirs` (Nuxt: `nitro.imports.dirs`), relative to R — `x`
 *   its top-level files, `x/**` every file below it.
 *
 * The config is read as syntax only, like a tsconfig: string literals at those keys of the object it exports (or
 * passes to `defineNuxtConfig`/`defineNitroConfig`); it is never run, and what it computes is not seen. A Nuxt layer's
 * utilities (`extends`) are not followed. Paths are relative to the scan root, with forward slashes.
 */
export interface AutoImports {
  /** Whether `provider`'s exports are in `file`'s scope without an import. */
  visibleIn(file: string, provider: string): boolean;
  /** Whether other files see this file's exports without importing it, or its presence decides which do (a config). */
  isAutoImported(relative: string): boolean;
}

interface FrameworkRoot {
  /** The directory holding the config, "" for the scan root. */
  dir: string;
  /** Files under this prefix are the framework's ("" for every file under the scan root). */
  served: string;
  /** Folders whose top-level files are auto-imported, and folders whose every file is. */
  flat: string[];
  deep: string[];
}

/** A root's folders are read from its config on the first question about a file below it. */
interface LazyRoot {
  dir: string;
  folders: () => FrameworkRoot;
}

const CONFIG = /^(nuxt|nitro)\.config\.(ts|mts|cts|js|mjs|cjs)$/;
const SOURCE = /\.(ts|mts|cts|tsx|js|mjs|cjs|jsx)$/;
const DECLARATION = /\.d\.(ts|mts|cts)$/;

const NONE: AutoImports = { visibleIn: () => false, isAutoImported: () => false };

/** The rule over a scanned file set; `tree` gives a config file's syntax tree (undefined: its defaults). */
export function autoImports(paths: Iterable<string>, tree: (relative: string) => ts.SourceFile | undefined): AutoImports {
  const roots: LazyRoot[] = [];
  const configs = new Set<string>();
  for (const relative of paths) {
    const match = CONFIG.exec(path.posix.basename(relative));
    if (match === null) continue;
    configs.add(relative);
    const dir = path.posix.dirname(relative);
    roots.push({ dir: dir === "." ? "" : dir, folders: lazy(() => frameworkRoot(relative, match[1] === "nuxt", tree(relative))) });
  }
  if (roots.length === 0) return NONE;
  const under = (prefix: string, relative: string) => prefix === "" || relative.startsWith(`${prefix}/`);
  // the folders lie below the root (those outside it are not followed), so a file elsewhere needs no config read
  const provides = (root: LazyRoot, relative: string) => {
    if (!SOURCE.test(relative) || DECLARATION.test(relative) || !under(root.dir, relative)) return false;
    const { flat, deep } = root.folders();
    return flat.includes(path.posix.dirname(relative)) || deep.some((folder) => under(folder, relative));
  };
  return {
    visibleIn: (file, provider) => roots.some((root) => under(root.dir, file) && under(root.folders().served, file) && provides(root, provider)),
    isAutoImported: (relative) => configs.has(relative) || roots.some((root) => provides(root, relative)),
  };
}

function frameworkRoot(config: string, nuxt: boolean, sf: ts.SourceFile | undefined): FrameworkRoot {
  const parent = path.posix.dirname(config);
  const dir = parent === "." ? "" : parent;
  const join = (sub: string) => path.posix.normalize(dir === "" ? sub : `${dir}/${sub}`).replace(/\/$/, "").replace(/^\.$/, "");
  const options = sf !== undefined ? exportedOptions(sf) : undefined;
  const nitro = nuxt ? objectAt(options, "nitro") : options;
  const srcDir = nuxt ? "server" : (stringAt(nitro, "srcDir") ?? ".");
  const flat = nuxt ? [join("server/utils"), join("shared/utils")] : [join(`${srcDir}/utils`)];
  const deep: string[] = [];
  const dirs = propertyOf(objectAt(nitro, "imports"), "dirs");
  if (dirs !== undefined && ts.isArrayLiteralExpression(dirs)) {
    for (const element of dirs.elements) {
      if (!ts.isStringLiteralLike(element)) continue;
      const recursive = /\/\*\*(\/\*)?$/.exec(element.text);
      const folder = recursive ? element.text.slice(0, recursive.index) : element.text;
      if (folder.includes("*") || path.posix.isAbsolute(folder) || folder.startsWith("~")) continue; // aliases and globs: not followed
      const joined = join(folder);
      if (joined.startsWith("..") || (dir !== "" && joined !== dir && !joined.startsWith(`${dir}/`))) continue;
      (recursive ? deep : flat).push(joined);
    }
  }
  return { dir, served: nuxt ? join("server") : dir, flat, deep };
}
