import fc from "fast-check";
import picomatch from "picomatch";
import { describe, expect, it } from "vitest";
import { DEFAULT_EXCLUDES } from "../../src/workspace/find-files.js";
import { pathGlobs } from "../../src/workspace/path-globs.js";

/** The globs of the corpus's policies and the defaults: every one of a shape answered by names. */
const POLICY_EXCLUDES = ["**/*.test.ts", "**/*.spec.tsx", "**/__tests__/**", "**/test/**", "**/e2e/**", "**/*.e2e-spec.ts"];
const INCLUDES = ["npm/src/**", "apps/web/lib/api/**", "server/**"];
/** Near misses of the shapes, and globs of no shape (picomatch answers them). */
const OTHERS = ["src/**/*.ts", "**/*.{js,cjs}", "**/[a-c]*/**", "!**/keep/**", "./lib/**", "**/gen?/**", "a/../b/**", "**/x/**/y", "*.js", "lib", "**/.env*"];

/** Names that make near misses: a shape's literal with a character more or less, dot names, nested repeats. */
const NAMES = ["node_modules", "xnode_modules", "node_modulesx", ".git", "test", "tests", "__tests__", "e2e", "a.test.ts", ".test.ts", "a.test.tsx",
  "a.spec.tsx", "x.e2e-spec.ts", ".pnp.cjs", "x.pnp.cjs", "a.min.js", ".min.js", "npm", "src", "server", "serverx", "apps", "web", "lib", "api",
  "keep", "gen1", "b", "x", "y", "index.ts", "a.js", "b.cjs", ".env", ".env.local"];

const anyPath = fc.array(fc.constantFrom(...NAMES), { minLength: 1, maxLength: 6 }).map((names) => names.join("/"));

function samePaths(globs: string[], paths: readonly string[]): void {
  const ours = pathGlobs(globs);
  const theirs = picomatch(globs, { dot: true });
  for (const relative of paths) expect([relative, ours(relative)]).toEqual([relative, theirs(relative)]);
}

describe("pathGlobs", () => {
  it("answers the default excludes and the corpus's policy globs as picomatch does", () => {
    samePaths([...DEFAULT_EXCLUDES, ...POLICY_EXCLUDES], [
      "node_modules", "a/node_modules", "a/node_modules/b.ts", "a/xnode_modules/b.ts", ".git/config", "src/.pnp.cjs", "src/x.pnp.cjs",
      ".test.ts", "a/.test.ts", "a/b.test.ts", "a/b.test.tsx", "a/b.test.ts.bak", "a/test", "a/tests/b.ts", "a/__tests__", "x.min.js", ".min.js",
    ]);
    samePaths(INCLUDES, ["npm/src", "npm/src/a.ts", "npm/srcx/a.ts", "npm", "server", "server/a/b.ts", "serverx/a.ts", "apps/web/lib/api/x.ts"]);
  });

  it("answers every path as picomatch does, for the shapes, their near misses and globs of no shape (property)", () => {
    const globs = fc.subarray([...DEFAULT_EXCLUDES, ...POLICY_EXCLUDES, ...INCLUDES, ...OTHERS], { minLength: 1 });
    fc.assert(
      fc.property(globs, fc.array(anyPath, { minLength: 1, maxLength: 20 }), (chosen, paths) => {
        const ours = pathGlobs(chosen);
        const theirs = picomatch(chosen, { dot: true });
        return paths.every((relative) => ours(relative) === theirs(relative));
      }),
      { numRuns: 500 },
    );
  });

  it("matches nothing it should not when a glob's literal holds glob syntax", () => {
    // `**/[ab]/**` is a class, not the name `[ab]`: picomatch's answer, not a name test
    samePaths(["**/[ab]/**", "**/*.{ts,js}", "**/(x)/**"], ["a/c.ts", "[ab]/c.ts", "b", "c.js", "c.{ts,js}", "(x)/y", "x/y"]);
  });
});
