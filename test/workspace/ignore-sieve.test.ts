import fc from "fast-check";
import ignore from "ignore";
import { describe, expect, it } from "vitest";
import { ruleSieve } from "../../src/workspace/ignore-sieve.js";
import { walkTree } from "../../src/workspace/walk-tree.js";
import { removeTree, writeTree } from "../support/temp-tree.js";

/** Whether the sieve lets `ignore` be asked about a path (relative to the rule file's folder; a folder ends in `/`). */
function candidate(text: string, path: string): boolean {
  const sieve = ruleSieve(text);
  const segments = path.replace(/\/$/, "").split("/");
  const name = segments.pop()!;
  return sieve.admits(segments.reduce((folder, segment) => sieve.enter(folder, segment), sieve.top), name);
}

/** Rules of the shapes `.gitignore` templates hold, near misses, and what the sieve leaves to `ignore`. */
const RULES = [
  "*.log", "npm-debug.log*", ".vscode/*", "!.vscode/settings.json", "/node_modules", "node_modules", "logs", "build/", "/build/", "dist",
  "*.ts", "*.d.ts", "/src/*.d.ts", "a*b", "a?c.ts", "*.JS", "Index.TS", "**/gen/**", "**/x.ts", "**/a/b/", "a/**/c", "src/**", "/*", "*",
  "!src/", "!*.ts", "!index.ts", "*.orig.*", "report.[0-9]*.json", "\\#hash.ts", "\\!bang.ts", "trailing.ts  ", "with space.ts", "#comment",
  "a#b.ts", "x.ts\r", "/a/b/c", "pkg/**/*.js", "**", "**/", "./x.ts", "a//b", "café.ts", "$x.ts", "(a).ts", "a+b.ts", "{a,b}.ts", "^a.ts",
  "[ab].ts", "x[!a].ts", "[[:digit:]]*.js", "*.py[cod]", "a]b.ts", "[a", "[a/b].ts", "![ab].ts", "x[^b]*", "*[", "]", "[]a].ts", "[a-c]*",
  "src/**.js", "*.ntvs*", "*.sw?", "src/helpers/graphql.ts", "!enterprise/packages/**/src", "a/b/*.ts", "a/*/c/", "src/gen?/x*.ts",
  "www/**/.yarn/*", "a/**/b/*", "a/b/**/c", "a/**/**/b", "src/**/gen?/x*", "/a/**/c/", "!a/**/x.ts", "pkg/**/**", "a/**/b/**/c",
];
/** Names of files and folders: what the rules name, near misses, other case, dots and glob characters taken literally. */
const NAMES = [
  "a", "b", "c", "src", "Src", "gen", "x.ts", "X.TS", "index.ts", "index.ts.bak", "a.log", "a.log.ts", "npm-debug.log.ts", "npm-debug.lo.ts",
  "node_modules", ".vscode", "settings.json", "logs", "build", "dist", "dist.ts", "ab", "axb.ts", "abc.ts", "a.js", "A.JS", "pkg", "y.js",
  "report.1.json", "#hash.ts", "!bang.ts", "trailing.ts", "with space.ts", "a#b.ts", "café.ts", "$x.ts", "(a).ts", "a+b.ts", "{a,b}.ts", "^a.ts",
  "a.orig.ts", "tsconfig.json", "package.json", "K.ts", "\u212a.ts",
  "a.ts", "b.ts", "xb.ts", "x!.ts", "xa.ts", "7.js", "a.pyc", "a.py", "a]b.ts", "[a", "[ab].ts", "x^b", "x[", "].ts", "a].ts", "c1",
  "helpers", "graphql.ts", "b.js", "a.ntvs.ts", "x.swp", "x.sw", "enterprise", "packages", "gen1", "x1.ts", "www", ".yarn", ".YARN",
];
const anyPath = fc.tuple(fc.array(fc.constantFrom(...NAMES), { minLength: 1, maxLength: 5 }), fc.boolean()).map(([names, folder]) => `${names.join("/")}${folder ? "/" : ""}`);

describe("the .gitignore sieve", () => {
  it("rules out only paths that no rule matches, themselves or their folders, as `ignore` answers (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...RULES), { minLength: 1, maxLength: 6 }), fc.array(anyPath, { minLength: 1, maxLength: 20 }), (rules, paths) => {
        const text = `${rules.join("\n")}\n`;
        const matcher = ignore().add(text);
        for (const path of paths) {
          if (candidate(text, path)) continue;
          expect([text, path, matcher.test(path)]).toEqual([text, path, { ignored: false, unignored: false }]);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("lets through the paths a template's rules name and rules out the rest", () => {
    const text = "# logs\nlogs\nnpm-debug.log*\n.vscode/*\n!.vscode/extensions.json\n/node_modules\n*.sln\n\n";
    expect(ruleSieve(text).top.hit).toBe(false);
    expect(candidate(text, "src/app/user.ts")).toBe(false);
    expect(candidate(text, "src/app/")).toBe(false);
    expect(candidate(text, "src/logs/a.ts")).toBe(true);
    expect(candidate(text, "npm-debug.log.ts")).toBe(true);
    expect(candidate(text, "NPM-DEBUG.LOG.TS")).toBe(true);
    expect(candidate(text, ".vscode/x.ts")).toBe(true);
    expect(candidate(text, "a/.vscode/x.ts")).toBe(false); // anchored: only at the file's own folder
    expect(candidate(text, "node_modules/")).toBe(true);
    // anchored with a `**`: below its first segments, only a path holding a name the segment after the `**` passes
    const yarn = { "www/docs/app/page/x.tsx": false, "www/docs/app/page/": false, "www/docs/.yarn/": true, "www/docs/.yarn/cache/x.js": true, "www/.yarn/x.js": true, "src/.yarn/x.js": false };
    expect(Object.fromEntries(Object.keys(yarn).map((path) => [path, candidate("www/**/.yarn/*\n", path)]))).toEqual(yarn);
    // what it does not read plainly makes every path a candidate
    expect(candidate("report.[0-9]*.[0-9]*.json\n", "report.1.2.json")).toBe(true);
    expect(candidate("report.[0-9]*.[0-9]*.json\n", "src/report.ts")).toBe(false);
    for (const rule of ["\\#x.ts", "with space", "café", "\ufefflogs", "a\rb", "a!b"]) expect(ruleSieve(`logs\n${rule}\n`).top.hit).toBe(true);
  });

  it("leaves the walk's listing as `ignore` gives it when no path is ruled out", () => {
    // the same tree and rules, once as they are and once with a bracket rule that matches nothing but makes the sieve
    // let every path through to `ignore`: the two listings must be the same
    const files = ["src/a.ts", "src/b.log.ts", "src/gen/x.ts", "src/.vscode/y.ts", ".vscode/z.ts", "logs/q.ts", "lib/npm-debug.log.js", "lib/c.ts", "pkg/p.js"];
    const rules = "logs\nnpm-debug.log*\n.vscode/*\n**/gen/**\n!src/gen/\n*.log.ts\n";
    const listing = (extra: string) => {
      const tree: Record<string, string> = { ".gitignore": `${rules}${extra}`, "src/.gitignore": `!b.log.ts\n/a.ts\n${extra}` };
      for (const file of files) tree[file] = "";
      const root = writeTree(tree, "flowgate-sieve-");
      try {
        return walkTree(root, { exclude: [], gitignore: true }).entries.map((entry) => entry.path).filter((p) => !p.endsWith(".gitignore")).sort();
      } finally {
        removeTree(root);
      }
    };
    const sieved = listing("");
    expect(sieved).toEqual(listing("[z]never\n"));
    expect(sieved).toEqual(["lib/c.ts", "pkg/p.js", "src/.vscode/y.ts", "src/b.log.ts"]);
  });
});
