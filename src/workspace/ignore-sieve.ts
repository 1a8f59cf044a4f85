/**
 * A necessary condition for a `.gitignore`'s rules to match a path, answered from the path's names with string
 * comparisons, so that the walk (walk-tree.ts) asks `ignore`'s regular expressions only about the paths some rule could
 * match. A monorepo's `.gitignore` files are mostly a template's rules (`npm-debug.log*`, `*.sln`, `.vscode/*`,
 * `/node_modules`) that no source file's path meets, and running each rule's expression on every file and folder the
 * walk keeps was the largest part of a cached review's listing (session 51).
 *
 * A rule's expression matches whole segments of a path. A rule without a slash (`*.log`, `build/`) matches one segment
 * at any depth; so does the first other segment of a rule led by `**` (`**\/gen/**`). A rule with a slash
 * (`/src/*.d.ts`, `.vscode/*`, `src/helpers/graphql.ts`) is anchored at the rule file's folder: its segments up to a
 * `**` must match the path's first segments, one by one, and the segment after the `**` some later name of the path
 * (`www/**\/.yarn/*`, medusa's: a folder `.yarn` somewhere below `www`; before session 55 every path below `www` was a
 * candidate — 6,984 folders of medusa's docs site asked of `ignore`, about a sixth of its listing's CPU). A segment's glob is answered by its literal parts: the whole
 * name, or the parts outside its wildcards (`*`, `?`, a bracket): `npm-debug.log*` needs a name starting
 * `npm-debug.log`, `*.sw?` one holding `.sw`, `report.[0-9]*.json` one starting `report.` and ending `.json` — compared
 * lower-cased, as `ignore` matches without case. What the sieve does not read plainly (an escape, white space, a
 * character outside printable ASCII, a bracket that is not a plain class) makes every path a candidate, and the answer
 * is then `ignore`'s, as before. So a path the sieve rules out is one that no rule of the file matches, nor any of its
 * folders (test/workspace/ignore-sieve.test.ts holds this to `ignore` on random rules and paths).
 */
export interface RuleSieve {
  /** The rule file's own folder. */
  readonly top: SieveState;
  /** Whether some rule could match a path of this name in a folder (or a folder above it). */
  admits(folder: SieveState, name: string): boolean;
  /** The state of a folder's subfolder of this name. */
  enter(folder: SieveState, name: string): SieveState;
}

/** What the sieve knows of a folder, relative to the rule file's. */
export interface SieveState {
  /** Some rule could match the folder or a folder above it: every path inside is a candidate. */
  readonly hit: boolean;
  /** Segments from the rule file's folder. */
  readonly depth: number;
  /** The anchored rules whose first `depth` segments the folder's names pass, with segments left to match. */
  readonly alive: readonly AnchoredRule[];
  /**
   * The first segments after the `**` of anchored rules whose segments before it the folder's path has passed: some
   * name inside, at any depth, must pass one of them for such a rule to match.
   */
  readonly inside: readonly SegmentTest[];
}

/** What one segment of a rule's glob requires of a name: the name itself, or its literal parts. */
interface SegmentTest {
  /** A segment without wildcards: the name, lower-cased. */
  literal?: string;
  prefix: string;
  suffix: string;
  /** The literal parts between wildcards, each of which the name holds. */
  inner: readonly string[];
}

/** An anchored rule: its segments before any `**`, and the first segment after it (none when the rule ends there). */
interface AnchoredRule {
  segments: readonly SegmentTest[];
  within?: SegmentTest;
}

/** A `.gitignore`'s text as a sieve. */
export function ruleSieve(text: string): RuleSieve {
  const anywhere: SegmentTest[] = [];
  const anchored: AnchoredRule[] = [];
  let always = false;
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.replace(/ +$/, "");
    if (line === "" || line.startsWith("#")) continue;
    const read = readRule(line);
    if (read === undefined) {
      always = true;
      break;
    }
    if ("anywhere" in read) anywhere.push(read.anywhere);
    else anchored.push(read);
  }
  // a name is asked of every rule of every scope above it (hoppscotch's review: 194,377 tests for 3,180 names, most of
  // them a template's literal names), so the literal segments are one set, and the tests are indexed loops: a closure
  // per name and test, or an iterator's result per step of a `for…of` in code that runs once (a review's), is garbage
  const names = new Set(anywhere.flatMap((test) => (test.literal !== undefined ? [test.literal] : [])));
  const patterns = anywhere.filter((test) => test.literal === undefined);
  const any = (folder: SieveState, name: string): boolean => names.has(name) || passesOne(patterns, name) || passesOne(folder.inside, name);
  // whether a rule's last anchored segment passes this name, at this depth; `ends` asks it of every name listed, so it
  // loops without the array `filter` makes for `enter`, which needs the rules themselves
  const ends = (folder: SieveState, name: string): boolean => {
    const { alive } = folder;
    for (let i = 0; i < alive.length; i++) if (endsAt(alive[i]!, folder.depth, name)) return true;
    return false;
  };
  const ending = (folder: SieveState, name: string) => folder.alive.filter((rule) => endsAt(rule, folder.depth, name));
  return {
    top: { hit: always, depth: 0, alive: anchored, inside: [] },
    admits: (folder, name) => {
      if (folder.hit) return true;
      const lower = name.toLowerCase();
      return any(folder, lower) || ends(folder, lower);
    },
    enter: (folder, name) => {
      if (folder.hit) return folder;
      const lower = name.toLowerCase();
      const depth = folder.depth + 1;
      if (any(folder, lower)) return { hit: true, depth, alive: [], inside: [] };
      // a rule ending here matches the folder (every path inside is a candidate), or, with a `**` after these segments
      // (`www/**/.yarn/*`: `**` is any number of folders, none too), a path inside only through a name its next segment
      // passes
      const ended = ending(folder, lower);
      if (ended.some((rule) => rule.within === undefined)) return { hit: true, depth, alive: [], inside: [] };
      const inside = ended.length > 0 ? [...folder.inside, ...ended.map((rule) => rule.within!)] : folder.inside;
      return { hit: false, depth, alive: folder.alive.filter((rule) => rule.segments.length > depth && passes(rule.segments[folder.depth]!, lower)), inside };
    },
  };
}

/** Whether the rule's last anchored segment is at this depth and passes the name. */
function endsAt(rule: AnchoredRule, depth: number, name: string): boolean {
  return rule.segments.length === depth + 1 && passes(rule.segments[depth]!, name);
}

function passes(test: SegmentTest, name: string): boolean {
  if (test.literal !== undefined) return name === test.literal;
  if (name.length < test.prefix.length + test.suffix.length || !name.startsWith(test.prefix) || !name.endsWith(test.suffix)) return false;
  const { inner } = test;
  for (let i = 0; i < inner.length; i++) if (!name.includes(inner[i]!)) return false;
  return true;
}

/** Whether the name passes one of the tests. */
function passesOne(tests: readonly SegmentTest[], name: string): boolean {
  for (let i = 0; i < tests.length; i++) if (passes(tests[i]!, name)) return true;
  return false;
}

/**
 * What a rule's match must cover: one segment anywhere, or the anchored segments; undefined when the rule is not read
 * plainly (every path is then a candidate).
 */
function readRule(line: string): { anywhere: SegmentTest } | AnchoredRule | undefined {
  // printable ASCII without white space or escapes; brackets only as plain classes within a segment (`[0-9]`, `[!a]`),
  // and `!` only there and as the negation's mark
  let body = line.startsWith("!") ? line.slice(1) : line;
  if (!/^[\x21-\x7e]+$/.test(body) || body.includes("\\") || /[[\]!]/.test(body.replace(/\[[^[\]/]+\]/g, ""))) return undefined;
  if (body.endsWith("/")) body = body.slice(0, -1); // a directory's rule: the same segments
  let isAnchored = body.includes("/");
  if (body.startsWith("/")) body = body.slice(1);
  const segments = body.split("/");
  if (segments.some((segment) => segment === "" || segment === "." || segment === "..")) return undefined;
  // a leading `**` reaches any depth: its first other segment may be any of the path's
  let first = 0;
  while (segments[first] === "**") first++;
  if (first > 0) isAnchored = false;
  if (first === segments.length) return undefined;
  if (!isAnchored) return { anywhere: segmentTest(segments[first]!) };
  const before = segments.indexOf("**");
  if (before < 0) return { segments: segments.map(segmentTest) };
  let after = before;
  while (segments[after] === "**") after++;
  const next = segments[after];
  return { segments: segments.slice(0, before).map(segmentTest), ...(next !== undefined ? { within: segmentTest(next) } : {}) };
}

/** What may stand for characters other than itself: `*`, `?` and a bracket's class (`[0-9]`, `[!a]`). */
const WILDCARDS = /\*+|\?|\[[^\]]*\]/;

function segmentTest(segment: string): SegmentTest {
  const lower = segment.toLowerCase();
  const parts = lower.split(WILDCARDS);
  if (parts.length === 1) return { literal: lower, prefix: "", suffix: "", inner: [] };
  return { prefix: parts[0]!, suffix: parts[parts.length - 1]!, inner: parts.slice(1, -1).filter((part) => part !== "") };
}
