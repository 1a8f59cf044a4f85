import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { ts } from "ts-morph";
import type { Notification } from "../result.js";
import { effectiveOptions } from "./compiler-options.js";
import { fileNotification } from "./notifications.js";
import type { WorkspacePackage } from "./own-packages.js";

/** tsconfig files beyond this size are not read (they are JSON settings; anything bigger is not a real config). */
const MAX_TSCONFIG_BYTES = 1024 * 1024;

/** Diagnostics that are normal for a scanner's use of a tsconfig and not worth a notification. */
const IGNORED_CONFIG_DIAGNOSTICS = new Set([
  18003, // "No inputs were found": we do our own file discovery and never let TypeScript list directories.
  5101, // "Option is deprecated": we still read its paths/baseUrl.
  5102, // "Option has been removed"
  5107, // "Option … is deprecated" (value)
  5108, // "Option … has been removed" (value)
  5110, // "Option 'module' must be set to …": we override module settings anyway.
]);

/** "No inputs were found": TypeScript's check of a config's own file list, made after its bases are read. */
const NO_INPUTS = 18003;

/**
 * The configs that configs extend (`extends`), each read once for all of them: novu's 26 package configs extend the root
 * config, which TypeScript's parser read again for each. A base is kept only from a config read without a problem
 * (besides its own file list's), so a base with a problem is read again — and its problem reported — by every config
 * extending it, as when each config is read on its own; a clean base's reading does not depend on which config
 * extends it (TypeScript's build mode shares these the same way).
 */
class ExtendedConfigs extends Map<string, ts.ExtendedConfigCacheEntry> {
  /** Forgets the bases first read after the map had `size` of them. */
  dropSince(size: number): void {
    for (const key of [...this.keys()].slice(size)) this.delete(key);
  }
}

/**
 * A config in strict JSON (most are: hoppscotch's 21 of 24, novu's 67 of 75), read with `JSON.parse`: the object
 * TypeScript's JSON parser makes of the same text, at a fraction of its cost. Anything else — comments, trailing
 * commas, a byte order mark, a root that is not an object, a `__proto__` key (which JSON.parse keeps as a property and
 * TypeScript's reader would set as the prototype), an unreadable file — is TypeScript's to read, with its diagnostics
 * (test/workspace/tsconfigs.test.ts holds both readings to the same options and problems).
 */
export function strictJsonObject(text: string | undefined): object | undefined {
  if (text === undefined || text.includes("__proto__")) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  return typeof value === "object" && value !== null && !Array.isArray(value) ? value : undefined;
}

export interface Tsconfigs {
  /** Options for the Project: the root tsconfig's (or none), with flowgate's forced options. */
  projectOptions: ts.CompilerOptions;
  /** Options for resolving imports of one file: those of the nearest tsconfig.json above it (its `paths`, `baseUrl`). */
  optionsFor(relativeFile: string): ts.CompilerOptions;
  /** Output directories (`outDir`) of the configs that lie inside the root, relative, so their contents are skipped. */
  outDirs: string[];
  notifications: Notification[];
}

/**
 * Reads the tsconfig.json files found in the tree (and the configs their project `references` name). A broken config
 * (invalid JSON, an `extends` cycle or a missing base, missing files) yields a notification and whatever part of it
 * TypeScript could read; an unreadable one falls back to defaults. A base named by package (`"extends":
 * "@acme/tsconfig/base.json"`) that is one of the tree's workspace packages is read from that package's folder when
 * no install linked it into node_modules. tsconfig is JSON: nothing in it is executed.
 * Its `include`/`files` do not decide what is scanned — the policy's include/exclude do.
 */
export function readTsconfigs(root: string, found: string[], packages: readonly WorkspacePackage[] = []): Tsconfigs {
  const notifications: Notification[] = [];
  const byDirectory = new Map<string, ts.CompilerOptions>();
  const rankOf = new Map<string, number>();
  const outDirs: string[] = [];
  const queue = [...found];
  const seen = new Set<string>();
  const host = configHost(root, packages);
  const bases = new ExtendedConfigs();
  while (queue.length > 0) {
    const relative = queue.shift() as string;
    if (seen.has(relative)) continue;
    seen.add(relative);
    const absolute = path.join(root, relative);
    const directory = path.posix.dirname(relative);
    const parsed = parseTsconfig(absolute, relative, root, host, notifications, bases);
    if (!parsed) continue;
    // A tsconfig.json governs its directory; else its jsconfig.json (a JavaScript project's tsconfig, as editors and
    // TypeScript's language service read it: its `paths` are how `@/helpers/x.js` imports resolve); else the first
    // config reached only through `references`.
    const key = directory === "." ? "" : directory;
    const rank = configRank(relative);
    if (rank > (rankOf.get(key) ?? -1)) {
      byDirectory.set(key, parsed.options);
      rankOf.set(key, rank);
    }
    const outDir = parsed.options.outDir && relativeInside(root, parsed.options.outDir);
    if (outDir && outDir !== key && !key.startsWith(`${outDir}/`)) outDirs.push(outDir);
    for (const reference of parsed.projectReferences ?? []) {
      const target = referencedConfig(root, reference.path);
      if (target === undefined) {
        notifications.push(
          fileNotification("tsconfig-error", "warning", relative, `project reference ${JSON.stringify(reference.originalPath ?? reference.path)} names no tsconfig inside the scan root; ignored`),
        );
      } else if (!seen.has(target)) {
        queue.push(target);
      }
    }
  }
  const memo = new Map<string, ts.CompilerOptions>();
  const optionsForDirectory = (directory: string): ts.CompilerOptions => {
    const cached = memo.get(directory);
    if (cached) return cached;
    const own = byDirectory.get(directory);
    const options = own
      ? effectiveOptions(own)
      : directory === ""
        ? effectiveOptions(undefined)
        : optionsForDirectory(parentDirectory(directory));
    memo.set(directory, options);
    return options;
  };
  return {
    projectOptions: optionsForDirectory(""),
    optionsFor: (relativeFile) => optionsForDirectory(parentDirectory(relativeFile)),
    outDirs: [...new Set(outDirs)].sort(),
    notifications,
  };
}

/** Which of a directory's configs governs it: tsconfig.json, then jsconfig.json, then one named by `references`. */
function configRank(relative: string): number {
  const name = path.posix.basename(relative);
  return name === "tsconfig.json" ? 2 : name === JSCONFIG ? 1 : 0;
}

/** A JavaScript project's tsconfig; TypeScript reads it with `allowJs` on (the rest flowgate forces anyway). */
const JSCONFIG = "jsconfig.json";

function parentDirectory(relative: string): string {
  const parent = path.posix.dirname(relative);
  return parent === "." ? "" : parent;
}

function parseTsconfig(
  absolute: string,
  relative: string,
  root: string,
  host: ts.ParseConfigHost,
  notifications: Notification[],
  bases: ExtendedConfigs,
): ts.ParsedCommandLine | undefined {
  const text = host.readFile(absolute);
  const strict = strictJsonObject(text);
  const read = strict !== undefined ? { config: strict, error: undefined } : ts.readConfigFile(absolute, () => text);
  if (read.error) {
    notifications.push(
      fileNotification("tsconfig-error", "warning", relative, `${diagnosticText(read.error, root)}; its settings are ignored and defaults are used`),
    );
    return undefined;
  }
  if (typeof read.config !== "object" || read.config === null || Array.isArray(read.config)) {
    notifications.push(fileNotification("tsconfig-error", "warning", relative, "is not a JSON object; its settings are ignored and defaults are used"));
    return undefined;
  }
  let parsed: ts.ParsedCommandLine;
  const mark = bases.size;
  try {
    const existing = path.posix.basename(relative) === JSCONFIG ? { allowJs: true } : undefined;
    parsed = ts.parseJsonConfigFileContent(read.config, host, path.dirname(absolute), existing, absolute, undefined, undefined, bases);
  } catch (error) {
    bases.dropSince(mark);
    // TypeScript's config parser is not meant to throw; if hostile input makes it, the scan still goes on.
    notifications.push(
      fileNotification("tsconfig-error", "warning", relative, `could not be interpreted (${(error as Error).message}); defaults are used`),
    );
    return undefined;
  }
  // a base read with a problem is read again by the next config extending it, which then reports the problem too
  if (parsed.errors.some((d) => d.code !== NO_INPUTS)) bases.dropSince(mark);
  const problems = parsed.errors.filter((d) => !IGNORED_CONFIG_DIAGNOSTICS.has(d.code));
  if (problems.length > 0) {
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? "s" : ""})` : "";
    notifications.push(
      fileNotification("tsconfig-error", "warning", relative, `${diagnosticText(problems[0] as ts.Diagnostic, root)}${more}; the readable settings are used`),
    );
  }
  return parsed;
}

/**
 * Reads configs (and the bases they extend) from disk, without listing directories: we do our own file discovery.
 * A monorepo's shared config package (`"extends": "@acme/tsconfig/next.json"`) is found through node_modules, where
 * the package manager links the workspace package; a reviewer's checkout is seldom installed, so a path under a
 * `node_modules/<name>/` that does not exist is read from the workspace package of that name, if the tree has one.
 */
function configHost(root: string, packages: readonly WorkspacePackage[]): ts.ParseConfigHost {
  const isFile = (file: string): boolean => {
    try {
      return statSync(file).isFile();
    } catch {
      return false;
    }
  };
  const read = (file: string): string | undefined => {
    try {
      if (statSync(file).size > MAX_TSCONFIG_BYTES) return undefined;
      return readFileSync(file, "utf8");
    } catch {
      return undefined;
    }
  };
  // the file itself when it exists, else the workspace package's copy of a `node_modules/<name>/…` path, if any
  const located = (file: string): string | undefined => (isFile(file) ? file : linkedWorkspaceFile(file, root, packages));
  return {
    useCaseSensitiveFileNames: ts.sys.useCaseSensitiveFileNames,
    readDirectory: () => [],
    fileExists: (file) => {
      const at = located(file);
      return at === file || (at !== undefined && isFile(at));
    },
    readFile: (file) => read(located(file) ?? file),
  };
}

/** `…/node_modules/@acme/tsconfig/next.json` → `<root>/packages/tsconfig/next.json` when `@acme/tsconfig` lives there. */
function linkedWorkspaceFile(file: string, root: string, packages: readonly WorkspacePackage[]): string | undefined {
  const normalised = file.split(path.sep).join("/");
  const at = normalised.lastIndexOf("/node_modules/");
  if (at < 0 || packages.length === 0) return undefined;
  const rest = normalised.slice(at + "/node_modules/".length);
  // a package name ends at the `/` after it: `@acme/tsconfig-next/…` is not `@acme/tsconfig`'s
  const owner = packages.find((p) => rest === p.name || rest.startsWith(`${p.name}/`));
  if (owner === undefined) return undefined;
  const inside = rest.slice(owner.name.length).replace(/^\//, "");
  if (inside.split("/").includes("..")) return undefined;
  return path.join(root, owner.directory, inside);
}

/** A referenced project: a directory (its tsconfig.json) or a config file; relative to the root, if inside it. */
function referencedConfig(root: string, referencePath: string): string | undefined {
  let file = referencePath;
  try {
    if (statSync(file).isDirectory()) file = path.join(file, "tsconfig.json");
  } catch {
    return undefined;
  }
  if (!existsSync(file)) return undefined;
  return relativeInside(root, file);
}

function relativeInside(root: string, absolute: string): string | undefined {
  const relative = path.relative(root, absolute).replace(/\\/g, "/");
  if (relative === "" || relative.startsWith("../") || relative === ".." || path.isAbsolute(relative)) return undefined;
  return relative;
}

/** A config diagnostic as a sentence, with absolute paths of this machine made relative to the scan root. */
function diagnosticText(diagnostic: ts.Diagnostic, root: string): string {
  const text = ts.flattenDiagnosticMessageText(diagnostic.messageText, " ");
  return text.replace(/(?<![\w.])(?:[A-Za-z]:)?[\\/][^\s'"`]*/g, (match) =>
    path.isAbsolute(match) ? path.relative(root, match).replace(/\\/g, "/") || "." : match,
  );
}
