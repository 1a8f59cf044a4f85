import picomatch from "picomatch";

/**
 * A test of relative paths (forward slashes, no empty, `.` or `..` segment, no trailing slash: what the listing makes)
 * against picomatch globs with dot files included — true when any glob matches, exactly as `picomatch(globs, { dot: true
 * })` answers such a path. The listing asks it of every file and folder it meets (walk-tree.ts, find-files.ts), and the
 * globs policies write are nearly all of four shapes a path's names answer without a regular expression:
 * `**\/NAME` (the last name is NAME), `**\/NAME/**` (some name is NAME), `**\/*SUFFIX` (the last name ends with SUFFIX;
 * `*` matches no character too) and `DIR/**` (the path is DIR or below it), NAME, SUFFIX and DIR written out with no
 * character a glob treats specially. Any other glob is compiled by picomatch and asked as before. Besides the regular
 * expression's test per path, picomatch's compiling of the default excludes and a policy's excludes into one
 * expression, which V8 then compiles on first use, is spared to every scan (`test/workspace/path-globs.test.ts` compares
 * the answers with picomatch's).
 */
export function pathGlobs(globs: readonly string[]): (relative: string) => boolean {
  const names = new Set<string>();
  const anyNames = new Set<string>();
  const suffixes: string[] = [];
  const folders: string[] = [];
  const others: string[] = [];
  for (const glob of globs) {
    const shape = SHAPES.find(({ pattern }) => pattern.test(glob));
    const literal = shape && glob.slice(shape.prefix, glob.length - shape.suffix);
    if (shape === undefined || literal === undefined || !isLiteral(literal, shape.kind === "folder")) others.push(glob);
    else if (shape.kind === "name") names.add(literal);
    else if (shape.kind === "anyName") anyNames.add(literal);
    else if (shape.kind === "suffix") suffixes.push(literal);
    else folders.push(literal);
  }
  const rest = others.length > 0 ? picomatch(others, { dot: true }) : undefined;
  // some folder of the path is NAME (its last name is asked by name below): it begins `NAME/` or holds `/NAME/` — asked
  // without splitting the path into its names (a list per file and folder the walk meets)
  const firsts = [...anyNames].map((name) => `${name}/`);
  const inners = [...anyNames].map((name) => `/${name}/`);
  const inFolderNamed = (relative: string): boolean => {
    for (let i = 0; i < firsts.length; i++) if (relative.startsWith(firsts[i]!) || relative.includes(inners[i]!)) return true;
    return false;
  };
  return (relative) => {
    const slash = relative.lastIndexOf("/");
    const name = slash < 0 ? relative : relative.slice(slash + 1);
    if (names.has(name)) return true;
    if (anyNames.size > 0 && (anyNames.has(name) || inFolderNamed(relative))) return true;
    // indexed loops: a `for…of` allocates an iterator's result per step in code that runs once (a review's listing)
    for (let i = 0; i < suffixes.length; i++) if (name.endsWith(suffixes[i]!)) return true;
    for (let i = 0; i < folders.length; i++) {
      const folder = folders[i]!;
      if (relative === folder || (relative.startsWith(folder) && relative.charCodeAt(folder.length) === SLASH)) return true;
    }
    return rest !== undefined && rest(relative);
  };
}

const SLASH = 0x2f;

/** The shapes answered by names: what the glob must look like, and how many characters around its literal part. */
const SHAPES: readonly { kind: "name" | "anyName" | "suffix" | "folder"; pattern: RegExp; prefix: number; suffix: number }[] = [
  { kind: "anyName", pattern: /^\*\*\/[^/]+\/\*\*$/, prefix: 3, suffix: 3 },
  { kind: "suffix", pattern: /^\*\*\/\*[^/]+$/, prefix: 4, suffix: 0 },
  { kind: "name", pattern: /^\*\*\/[^/]+$/, prefix: 3, suffix: 0 },
  { kind: "folder", pattern: /^[^/].*\/\*\*$/, prefix: 0, suffix: 3 },
];

/**
 * Whether a glob's part stands for itself: none of the characters picomatch reads as syntax (wildcards, classes,
 * braces, extglobs, negation, escapes, a leading `./`), and for a folder path, names that are neither empty nor `.`
 * nor `..`.
 */
function isLiteral(part: string, path: boolean): boolean {
  if (part === "" || /[*?[\]{}()!+@\\|^$,]/.test(part)) return false;
  const segments = path ? part.split("/") : [part];
  return segments.every((segment) => segment !== "" && segment !== "." && segment !== "..");
}
