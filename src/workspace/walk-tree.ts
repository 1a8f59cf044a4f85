import { readdirSync, readFileSync, type Dirent } from "node:fs";
import path from "node:path";
import ignore, { type Ignore } from "ignore";
import { ruleSieve, type RuleSieve, type SieveState } from "./ignore-sieve.js";
import { pathGlobs } from "./path-globs.js";

/** What the walk keeps: a regular file, or a symbolic link (never followed: the caller reports it). */
export interface TreeEntry {
  /** Relative to the root, forward slashes. */
  path: string;
  kind: "file" | "symlink";
}

export interface WalkedTree {
  /** In walk order; the caller sorts what it keeps. */
  entries: TreeEntry[];
  /** Directories that could not be listed (relative; "" is the root), with the error code; their subtrees are skipped. */
  unreadable: { path: string; code: string }[];
  /** The `.gitignore` files that were read (relative), in walk order: those of directories the walk entered. */
  ignoreFiles: string[];
}

export interface WalkOptions {
  /** Globs (picomatch, dotfiles included) of paths to leave out; a directory they match is not entered. */
  exclude: readonly string[];
  /** Honour the `.gitignore` files at and below the root, as git does. */
  gitignore: boolean;
  /** Paths an enclosing repository's rules ignore (enclosing-ignores.ts); a directory is asked with a trailing `/`. */
  ignoredAbove?: (relative: string) => boolean;
  /**
   * The regular files the caller keeps, by name; the others are neither listed nor asked about (exclude, `.gitignore`):
   * half of a checkout's files are images, styles and documents no scan reads. Default: every file.
   */
  keepFile?: (name: string) => boolean;
}

/** The rules of one `.gitignore`, and the directory (relative to the root) its patterns are relative to. */
interface IgnoreScope {
  base: string;
  /**
   * The file's rules as `ignore` compiles them, made when the sieve first lets a path through: most `.gitignore` files
   * of a tree have no rule that could match a path the walk meets (hoppscotch's 2,161 pairs of a file and a scope, none;
   * session 51), and compiling their rules was 5-7 of the walk's 23-55 sampled ms in its cached review (session 52).
   */
  rules: () => Ignore;
  /** Which paths a rule could match (ignore-sieve.ts): the others are not asked of `rules`. */
  sieve: RuleSieve;
}

interface PendingDirectory {
  relative: string;
  /** The `.gitignore` scopes that apply inside it, outermost first. */
  scopes: readonly IgnoreScope[];
  /** What each scope's sieve knows of it (those of `scopes` whose file is above it). */
  sieved: ReadonlyMap<IgnoreScope, SieveState>;
}

const SKIPPABLE_DIRECTORY_ERRORS = new Set(["EACCES", "EPERM", "ENOTDIR", "ELOOP"]);

/**
 * Lists a tree the way git sees it, without following symbolic links. Each `.gitignore` is matched only against the
 * paths below its own directory, deepest file first (the first file with a matching rule decides, as in git, where
 * deeper files override shallower ones), and an excluded or ignored directory is never entered — git never
 * re-includes a file whose directory is excluded. This is what made it worth writing: a walk that tests every path
 * against every `.gitignore` of a monorepo at once (globby's `ignoreFiles`) cost 0.26–5.4 s of CPU on the corpus's
 * checkouts, up to a quarter of a whole scan; this walk costs 0.05–0.6 s, most of it the kernel's `readdir`.
 *
 * One case is resolved toward scanning more: inside a directory that a deeper `.gitignore` re-includes (`!build/`)
 * after a shallower one excluded it, the shallower file's other rules are not applied (`ignore` answers a path below a
 * directory it excludes as excluded, whatever its own rules say), so a file git would still ignore there is listed.
 */
export function walkTree(root: string, options: WalkOptions): WalkedTree {
  const excluded = options.exclude.length > 0 ? pathGlobs(options.exclude) : () => false;
  const ignoredAbove = options.ignoredAbove ?? (() => false);
  const keepFile = options.keepFile ?? (() => true);
  const tree: WalkedTree = { entries: [], unreadable: [], ignoreFiles: [] };
  const pending: PendingDirectory[] = [{ relative: "", scopes: [], sieved: new Map() }];
  for (let directory = pending.pop(); directory !== undefined; directory = pending.pop()) {
    let dirents: Dirent[];
    try {
      dirents = readdirSync(path.join(root, directory.relative), { withFileTypes: true });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? "";
      if (!SKIPPABLE_DIRECTORY_ERRORS.has(code)) throw error;
      tree.unreadable.push({ path: directory.relative, code });
      continue;
    }
    const scopes = options.gitignore ? withOwnIgnoreFile(root, directory, dirents, tree.ignoreFiles) : directory.scopes;
    const sieved = scopes === directory.scopes ? directory.sieved : new Map([...directory.sieved, [scopes.at(-1)!, scopes.at(-1)!.sieve.top]]);
    for (const dirent of dirents) {
      const relative = directory.relative === "" ? dirent.name : `${directory.relative}/${dirent.name}`;
      const isDirectory = dirent.isDirectory();
      if (!isDirectory && dirent.isFile() && !keepFile(dirent.name)) continue;
      if (excluded(relative) || ignoredAbove(isDirectory ? `${relative}/` : relative)) continue;
      const verdict = gitignoreVerdict(scopes, { relative, name: dirent.name, sieved, isDirectory });
      if (verdict.ignored) continue;
      if (dirent.isSymbolicLink()) tree.entries.push({ path: relative, kind: "symlink" });
      else if (isDirectory) {
        const below = new Map(verdict.scopesBelow.map((scope) => [scope, scope.sieve.enter(sieved.get(scope)!, dirent.name)]));
        pending.push({ relative, scopes: verdict.scopesBelow, sieved: below });
      }
      else if (dirent.isFile()) tree.entries.push({ path: relative, kind: "file" });
    }
  }
  return tree;
}

/** The scopes inside a directory: those it inherits, plus its own `.gitignore` if it has a readable one. */
function withOwnIgnoreFile(root: string, directory: PendingDirectory, dirents: readonly Dirent[], read: string[]): readonly IgnoreScope[] {
  if (!dirents.some((dirent) => dirent.name === ".gitignore" && dirent.isFile())) return directory.scopes;
  const relative = directory.relative === "" ? ".gitignore" : `${directory.relative}/.gitignore`;
  let text: string;
  try {
    text = readFileSync(path.join(root, relative), "utf8");
  } catch {
    return directory.scopes; // unreadable: git does not apply it either
  }
  read.push(relative);
  let rules: Ignore | undefined;
  return [...directory.scopes, { base: directory.relative, rules: () => (rules ??= ignore().add(text)), sieve: ruleSieve(text) }];
}

/** A path the walk asks about: relative to the root, its name, whether it is a directory, and its folder's sieve states. */
interface Asked {
  relative: string;
  name: string;
  isDirectory: boolean;
  sieved: ReadonlyMap<IgnoreScope, SieveState>;
}

/**
 * The scope's verdict on a path: `ignore`'s, when some rule could match it (ignore-sieve.ts); else none — no rule
 * matches the path, and none its folders, since the walk entered them (see gitignoreVerdict).
 */
function tested(scope: IgnoreScope, path: Asked, isDirectory: boolean): { ignored: boolean; unignored: boolean } {
  return scope.sieve.admits(path.sieved.get(scope)!, path.name) ? scope.rules().test(asked(scope, path.relative, isDirectory)) : NO_VERDICT;
}

const NO_VERDICT = { ignored: false, unignored: false } as const;

/**
 * Whether git ignores a path, and for a directory the scopes that apply inside it: the deepest `.gitignore` with a
 * rule matching the path decides. When a negation re-includes a directory, the shallower files that exclude it are
 * dropped for its subtree (see walkTree). So every scope a folder inherits has answered the folder "not ignored" (none
 * matched it, or a deeper one re-included it and those that exclude it were dropped): `ignore`'s answer on a path in
 * it, which asks the path's folders first, is its rules' answer on the path alone, and a path no rule could match
 * (ignore-sieve.ts) needs no asking.
 */
function gitignoreVerdict(scopes: readonly IgnoreScope[], path: Asked): { ignored: boolean; scopesBelow: readonly IgnoreScope[] } {
  const { isDirectory } = path;
  for (let index = scopes.length - 1; index >= 0; index--) {
    const { ignored, unignored } = tested(scopes[index]!, path, isDirectory);
    if (ignored) return { ignored: true, scopesBelow: scopes };
    if (unignored) {
      if (!isDirectory) break;
      const shallower = scopes.slice(0, index).filter((scope) => !tested(scope, path, true).ignored);
      return { ignored: false, scopesBelow: [...shallower, ...scopes.slice(index)] };
    }
  }
  return { ignored: false, scopesBelow: scopes };
}

/** The path as a scope's rules are asked about it: relative to the scope's directory, a directory with a trailing `/`. */
function asked(scope: IgnoreScope, relative: string, isDirectory: boolean): string {
  const inScope = scope.base === "" ? relative : relative.slice(scope.base.length + 1);
  return isDirectory ? `${inScope}/` : inScope;
}
