import path from "node:path";
import { ts } from "ts-morph";

/** Module names of one file → the project files they resolve to (undefined: a dependency or nothing). */
export type ProjectResolver = (moduleNames: readonly string[], containingFile: string) => (ts.ResolvedModuleFull | undefined)[];

/**
 * Resolves imports between the scanned files only. The resolver sees a file system that holds exactly the files in
 * scope (and their directories), so `import "./user"`, `require("../db")` and tsconfig `paths` aliases connect project
 * files, while `axios` or `express` resolve to nothing: dependencies are recognised by provenance, never loaded, and
 * nothing outside the scan is read. Each file resolves with the options of its nearest tsconfig (its own `paths`).
 * The workspace's program resolves with it, and update review builds its import graph with it.
 */
export function createProjectResolver(
  root: string,
  relativeFiles: Iterable<string>,
  optionsFor: (relativeFile: string) => ts.CompilerOptions,
): ProjectResolver {
  const files = new Set<string>();
  const directories = new Set<string>();
  for (const relative of relativeFiles) {
    const absolute = path.join(root, relative);
    files.add(absolute);
    for (let dir = path.dirname(absolute); !directories.has(dir); dir = path.dirname(dir)) {
      directories.add(dir);
      if (path.dirname(dir) === dir) break;
    }
  }
  const host: ts.ModuleResolutionHost = {
    fileExists: (file) => files.has(path.resolve(file)),
    readFile: () => undefined, // no package.json, no file contents: resolution decides on existence alone
    directoryExists: (dir) => directories.has(path.resolve(dir)),
    realpath: (file) => file,
    getCurrentDirectory: () => root,
  };
  // One cache per options object: files under the same tsconfig share it.
  const caches = new Map<ts.CompilerOptions, ts.ModuleResolutionCache>();
  const cacheFor = (options: ts.CompilerOptions): ts.ModuleResolutionCache => {
    let cache = caches.get(options);
    if (!cache) {
      cache = ts.createModuleResolutionCache(root, (name) => name, options);
      caches.set(options, cache);
    }
    return cache;
  };
  return (moduleNames, containingFile) => {
    const relative = path.relative(root, containingFile).replace(/\\/g, "/");
    const options = optionsFor(relative);
    const cache = cacheFor(options);
    return moduleNames.map((name) => ts.resolveModuleName(name, containingFile, options, host, cache).resolvedModule);
  };
}
