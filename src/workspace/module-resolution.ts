import path from "node:path";
import { ts } from "ts-morph";
import type { WorkspacePackage } from "./own-packages.js";

/** Module names of one file → the project files they resolve to (undefined: a dependency or nothing). */
export type ProjectResolver = (moduleNames: readonly string[], containingFile: string) => (ts.ResolvedModuleFull | undefined)[];

/**
 * Resolves imports between the scanned files only. The resolver sees a file system that holds exactly the files in
 * scope (and their directories), so `import "./user"`, `require("../db")` and tsconfig `paths` aliases connect project
 * files, while `axios` or `express` resolve to nothing: dependencies are recognised by provenance, never loaded, and
 * nothing outside the scan is read. Each file resolves with the options of its nearest tsconfig (its own `paths`).
 * The workspace's program resolves with it, and update review builds its import graph with it.
 *
 * A monorepo's own packages are imported by name (`@acme/lib/transporter`), which TypeScript resolves through the
 * node_modules links an install creates; a reviewer's checkout seldom has them. What TypeScript cannot resolve and
 * names a package of the scanned tree is looked for in that package's folder: the subpath as a module there or under
 * its `src/` (`./transporter`, `./src/transporter`), the bare name at the manifest's entry points, `index`, or
 * `src/index`.
 */
export function createProjectResolver(
  root: string,
  relativeFiles: Iterable<string>,
  optionsFor: (relativeFile: string) => ts.CompilerOptions,
  packages: readonly WorkspacePackage[] = [],
): ProjectResolver {
  // Paths as TypeScript spells them when it asks (absolute, normalized, forward slashes), so a look-up is one Set probe.
  const { files, directories } = pathIndex(root, relativeFiles);
  // A package name (`@nestjs/common`, a `paths` alias, a workspace package) resolves the same from every directory when
  // no `node_modules` folder is in scope: the only part of its resolution that depends on where it is asked from is the
  // walk up the directories looking for one (`paths` are relative to the tsconfig, package.json files are never read).
  // Then its answer is kept per options object alone, not per directory: novu's included files name 169 packages from
  // 518 folders, 1,878 resolutions before, one per package and tsconfig now.
  const bareByOptions = [...directories].some((dir) => path.posix.basename(dir) === "node_modules")
    ? undefined
    : new Map<ts.CompilerOptions, Map<string, ts.ResolvedModuleFull | undefined>>();
  const host: ts.ModuleResolutionHost = {
    fileExists: (file) => files.has(file),
    readFile: () => undefined, // no package.json, no file contents: resolution decides on existence alone
    // `import { presentUser } from "."` (the folder's own barrel) and `from ".."`: TypeScript asks for the folder with
    // a trailing slash (`/src/presenters/`), which the set spells without; unanswered, such an import was a package no
    // model knows, so its calls were unknown and carried their arguments whole
    directoryExists: (dir) => directories.has(dir.length > 1 && dir.endsWith("/") ? dir.slice(0, -1) : dir),
    realpath: (file) => file,
    getCurrentDirectory: () => root,
  };
  // Answers by options object (files under one tsconfig share it), containing directory and specifier. Only the
  // resolved file is kept: TypeScript's own resolution cache also keeps every failed lookup location of every answer,
  // megabytes at 50k lines, for nothing a scan needs.
  const answers = new Map<ts.CompilerOptions, Map<string, ts.ResolvedModuleFull | undefined>>();
  return (moduleNames, containingFile) => {
    const options = optionsFor(forwardSlashes(path.relative(root, containingFile)));
    let known = answers.get(options);
    if (!known) answers.set(options, (known = new Map()));
    let bare = bareByOptions?.get(options);
    if (bareByOptions !== undefined && bare === undefined) bareByOptions.set(options, (bare = new Map()));
    const directory = path.dirname(containingFile);
    return moduleNames.map((name) => {
      // a package name's answer per options object when no node_modules folder is in scope, else per directory
      const byName = bare !== undefined && !ts.isExternalModuleNameRelative(name);
      const cache = byName ? bare! : known;
      const key = byName ? name : `${directory}\0${name}`;
      if (cache.has(key)) return cache.get(key);
      const answer = ts.resolveModuleName(name, containingFile, options, host).resolvedModule ?? inWorkspacePackage(name);
      cache.set(key, answer);
      return answer;
    });
  };

  function inWorkspacePackage(name: string): ts.ResolvedModuleFull | undefined {
    if (name.startsWith(".") || packages.length === 0) return undefined;
    const owner = packages.find((p) => name === p.name || name.startsWith(`${p.name}/`)); // longest name first
    if (owner === undefined) return undefined;
    const folder = path.join(root, owner.directory);
    const from = path.join(folder, "package.json");
    const options = optionsFor(forwardSlashes(path.join(owner.directory, "index.ts")));
    const subpath = name.slice(owner.name.length + 1);
    const candidates = subpath.length > 0
      ? [`./${subpath}`, `./src/${subpath}`]
      : [...owner.entries.map((entry) => `./${entry.replace(/^\.\//, "")}`), "./index", "./src/index"];
    for (const candidate of candidates) {
      const found = ts.resolveModuleName(candidate, from, options, host).resolvedModule;
      if (found !== undefined) return found;
    }
    return undefined;
  }
}

/** The files, and every folder above them, as TypeScript spells paths when it asks (absolute, normalized, `/`). */
export function pathIndex(root: string, relativeFiles: Iterable<string>): { files: Set<string>; directories: Set<string> } {
  const files = new Set<string>();
  const directories = new Set<string>();
  const prefix = plainPrefix(root);
  for (const relative of relativeFiles) {
    if (prefix !== undefined && isPlainRelative(relative)) {
      // `path.join` and `path.dirname` spelled as string operations where they are those: a review builds several
      // resolvers, each over every file of the tree (hoppscotch: 11-23 sampled ms; docs/performance.md, session 52)
      const absolute = prefix + relative;
      files.add(absolute);
      for (let end = absolute.lastIndexOf("/"); ; end = absolute.lastIndexOf("/", end - 1)) {
        const dir = end === 0 ? "/" : absolute.slice(0, end);
        if (directories.has(dir)) break;
        directories.add(dir);
        if (end === 0) break;
      }
      continue;
    }
    const absolute = path.join(root, relative);
    files.add(forwardSlashes(absolute));
    for (let dir = path.dirname(absolute); !directories.has(forwardSlashes(dir)); dir = path.dirname(dir)) {
      directories.add(forwardSlashes(dir));
      if (path.dirname(dir) === dir) break;
    }
  }
  return { files, directories };
}

/**
 * The root with a slash after it, when joining a plain relative path to it is writing one after the other: on a system
 * whose separator is `/`, for an absolute root without a backslash that `path.join` leaves as it is.
 */
function plainPrefix(root: string): string | undefined {
  if (path.sep !== "/" || !path.isAbsolute(root) || root.includes("\\") || path.join(root) !== root) return undefined;
  return root.endsWith("/") ? root : `${root}/`;
}

/** A relative path `path.join` leaves as it is: no empty, `.` or `..` segment, no leading or trailing slash, no backslash. */
function isPlainRelative(relative: string): boolean {
  return relative.length > 0 && !relative.includes("\\") && !/(?:^|\/)\.{0,2}(?:\/|$)/.test(relative);
}

function forwardSlashes(file: string): string {
  return file.replace(/\\/g, "/");
}
