import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import ignore from "ignore";
import picomatch from "picomatch";

/** A rule of an enclosing repository's .gitignore that names the scan root or a directory above it. */
export interface DroppedRule {
  /** The .gitignore file, absolute. */
  file: string;
  pattern: string;
}

/**
 * The ignore rules of the repository that encloses the scan root, from the .gitignore files above the root (its own
 * and those below it are read by the walk itself). The scan root is what the user asked for: a rule that names the
 * root or one of its ancestors (`vendor/` in an audit workspace that keeps the gateway's checkout in
 * `vendor/gateway`) does not empty it; a rule that selects files inside the root (`*.log`, `/vendor/gateway/tmp/`)
 * still applies, rebased onto the root. docs/workspace.md states the rule.
 */
export interface EnclosingIgnores {
  /** Whether a path relative to the root (forward slashes) is ignored by an enclosing repository's rule. */
  ignores(relative: string): boolean;
  /** The .gitignore files above the root that were read, outermost first. */
  files: string[];
  /** Their rules that name the root or an ancestor, which were left out. */
  dropped: DroppedRule[];
}

/** The enclosing repository's rules for `root`, or undefined when the root is not inside a repository (or is one). */
export function enclosingIgnores(root: string): EnclosingIgnores | undefined {
  const repository = enclosingRepository(root);
  if (repository === undefined) return undefined;
  const rules = ignore();
  const files: string[] = [];
  const dropped: DroppedRule[] = [];
  // From the repository's top down to the root's parent: git reads deeper files later, and they win.
  const between = path.relative(repository, root).split(path.sep);
  for (let depth = 0; depth < between.length; depth++) {
    const directory = path.join(repository, ...between.slice(0, depth));
    const file = path.join(directory, ".gitignore");
    const text = readText(file);
    if (text === undefined) continue;
    files.push(file);
    const rootSegments = between.slice(depth); // the root, relative to this file's directory
    for (const pattern of gitignoreLines(text)) {
      const rebased = rebase(pattern, rootSegments);
      if (rebased.namesRoot) dropped.push({ file, pattern });
      if (rebased.rule !== undefined) rules.add(rebased.rule);
    }
  }
  return { ignores: (relative) => relative !== "" && rules.ignores(relative), files, dropped };
}

/** The nearest directory above `root` that holds a `.git` (directory or file); none when the root has its own. */
function enclosingRepository(root: string): string | undefined {
  if (existsSync(path.join(root, ".git"))) return undefined;
  for (let dir = path.dirname(root); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, ".git"))) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return undefined; // no .gitignore in this directory (or unreadable: git would not read it either)
  }
}

/** The pattern lines of a .gitignore: no blanks, no comments; trailing spaces dropped unless escaped. */
function gitignoreLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.replace(/(?<!\\)\s+$/, ""))
    .filter((line) => line !== "" && !line.startsWith("#"));
}

/**
 * A rule of a .gitignore in a directory above the root, as a rule relative to the root (`rootSegments`: the root's
 * path from that directory): `rule` is what still applies inside the root (none when nothing inside can match),
 * `namesRoot` whether the rule matches the root or one of its ancestors — that part is what is left out.
 */
export function rebase(pattern: string, rootSegments: readonly string[]): { rule?: string; namesRoot: boolean } {
  const negated = pattern.startsWith("!");
  const body = negated ? pattern.slice(1) : pattern;
  const directoryOnly = body.endsWith("/");
  const core = directoryOnly ? body.slice(0, -1) : body;
  const not = negated ? "!" : "";
  const tail = directoryOnly ? "/" : "";
  if (!core.startsWith("/") && !core.includes("/")) {
    // a name matched at any depth: inside the root it means the same (`*.log`, a nested `vendor/`)
    return { rule: pattern, namesRoot: !negated && rootSegments.some((segment) => segmentMatches(segment, core)) };
  }
  const segments = core.replace(/^\//, "").split("/");
  let at = 0;
  for (const segment of rootSegments) {
    const glob = segments[at];
    if (glob === undefined) return { namesRoot: !negated }; // the rule ended above the root: it names an ancestor
    if (glob === "**") {
      // `/vendor/**` covers the root and all in it (left out); `/vendor/**/tmp/` still reaches tmp/ at any depth inside
      const rest = segments.slice(at + 1);
      return rest.length === 0 ? { namesRoot: !negated } : { rule: `${not}**/${rest.join("/")}${tail}`, namesRoot: false };
    }
    if (!segmentMatches(segment, glob)) return { namesRoot: false };
    at++;
  }
  if (at === segments.length) return { namesRoot: !negated }; // the rule names the root itself
  return { rule: `${not}/${segments.slice(at).join("/")}${tail}`, namesRoot: false };
}

function segmentMatches(segment: string, glob: string): boolean {
  return picomatch.isMatch(segment, glob, { dot: true });
}
