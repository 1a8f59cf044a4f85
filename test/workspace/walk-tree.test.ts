import { execFileSync } from "node:child_process";
import { symlinkSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { walkTree } from "../../src/workspace/walk-tree.js";
import { removeTree, writeTree, type Tree } from "../support/temp-tree.js";

/** The files git lists as untracked and not ignored: git's own reading of the tree's `.gitignore` files. */
function gitListing(root: string): string[] {
  const git = (...args: string[]) =>
    execFileSync("git", args, { cwd: root, encoding: "utf8", env: { ...process.env, GIT_CONFIG_NOSYSTEM: "1", HOME: root, XDG_CONFIG_HOME: root } });
  git("init", "-q");
  return git("ls-files", "--others", "--exclude-standard", "-z")
    .split("\0")
    .filter((file) => file !== "")
    .sort();
}

function walkedFiles(root: string, exclude: string[] = []): string[] {
  return walkTree(root, { exclude: [".git/**", ...exclude], gitignore: true })
    .entries.filter((entry) => entry.kind === "file")
    .map((entry) => entry.path)
    .sort();
}

function withTree<T>(tree: Tree, body: (root: string) => T): T {
  const root = writeTree(tree, "flowgate-walk-");
  try {
    return body(root);
  } finally {
    removeTree(root);
  }
}

describe("walking a tree as git sees it", () => {
  it("applies each .gitignore below its own directory, deeper files overriding shallower ones", () => {
    const tree: Tree = {
      ".gitignore": "*.log\nbuild/\n/anchored.ts\nsrc/generated/\nsecret*\n",
      "anchored.ts": "",
      "app.log": "",
      "build/out.ts": "",
      "src/anchored.ts": "",
      "src/main.ts": "",
      "src/generated/api.ts": "",
      "src/secret.ts": "",
      "packages/a/.gitignore": "!keep.log\n/local/\n*.ts\n!index.ts\n",
      "packages/a/keep.log": "",
      "packages/a/other.log": "",
      "packages/a/index.ts": "",
      "packages/a/util.ts": "",
      "packages/a/local/x.js": "",
      "packages/a/src/local/y.js": "",
      "packages/a/build/z.js": "",
      "packages/b/.gitignore": "!build/\n",
      "packages/b/build/kept.js": "",
    };
    withTree(tree, (root) => {
      const walked = walkedFiles(root);
      expect(walked).toEqual(gitListing(root));
      // what the assertion above covers, spelled out
      expect(walked).toContain("packages/a/keep.log");
      expect(walked).toContain("packages/b/build/kept.js");
      expect(walked).not.toContain("packages/a/util.ts");
      expect(walked).not.toContain("src/generated/api.ts");
    });
  });

  it("does not enter excluded directories and keeps symbolic links unfollowed", () => {
    withTree({ "src/a.ts": "", "node_modules/lib/index.js": "", "src/deep/b.min.js": "" }, (root) => {
      symlinkSync(path.join(root, "src"), path.join(root, "linked"));
      const tree = walkTree(root, { exclude: ["**/node_modules/**", "**/*.min.js"], gitignore: true });
      expect(tree.entries.sort((a, b) => a.path.localeCompare(b.path))).toEqual([
        { path: "linked", kind: "symlink" },
        { path: "src/a.ts", kind: "file" },
      ]);
    });
  });

  it("lists only the regular files the caller keeps, still entering every directory and listing every link", () => {
    const tree: Tree = { "src/a.ts": "", "src/logo.png": "", "docs/b.md": "", "docs/deep/c.ts": "", ".gitignore": "docs/deep/c.ts\n" };
    withTree(tree, (root) => {
      symlinkSync(path.join(root, "docs", "b.md"), path.join(root, "linked.md"));
      const kept = walkTree(root, { exclude: [], gitignore: true, keepFile: (name) => name.endsWith(".ts") });
      expect(kept.entries.sort((a, b) => a.path.localeCompare(b.path))).toEqual([
        { path: "linked.md", kind: "symlink" },
        { path: "src/a.ts", kind: "file" },
      ]);
      // without the filter the same walk lists the others too: the filter is what left them out
      const all = walkTree(root, { exclude: [], gitignore: true }).entries.map((entry) => entry.path);
      expect(all).toEqual(expect.arrayContaining(["src/logo.png", "docs/b.md", ".gitignore"]));
      expect(all).not.toContain("docs/deep/c.ts");
    });
  });

  it("names the .gitignore files it read, and reads none without `gitignore`", () => {
    withTree({ ".gitignore": "x/\n", "x/.gitignore": "", "y/.gitignore": "*.ts\n", "y/a.ts": "" }, (root) => {
      expect(walkTree(root, { exclude: [], gitignore: true }).ignoreFiles.sort()).toEqual([".gitignore", "y/.gitignore"]);
      const plain = walkTree(root, { exclude: [], gitignore: false });
      expect(plain.ignoreFiles).toEqual([]);
      expect(plain.entries.map((entry) => entry.path)).toContain("y/a.ts");
    });
  });

  // Random trees and .gitignore files against git itself. Without negations the walk lists exactly what git lists;
  // with them it may list more (a directory re-included below one a shallower file excluded: walk-tree.ts), never less.
  const segment = fc.constantFrom("a", "b", "build", "src", "gen");
  const fileName = fc.constantFrom("x.ts", "y.js", "z.log", "index.ts", ".env.ts");
  const filePath = fc.tuple(fc.array(segment, { maxLength: 3 }), fileName).map(([dirs, name]) => [...dirs, name].join("/"));
  const pattern = fc.oneof(
    fc.constantFrom("*.log", "build/", "/src", "gen", "a/b/", "**/x.ts", "*.js", "src/**/y.js", "b/*", "/a/", "index.ts", "**/gen/**"),
    fc.constantFrom("!build/", "!x.ts", "!*.js", "!/src", "!index.ts", "!b/"),
  );
  const ignoreFile = fc.tuple(fc.array(segment, { maxLength: 2 }), fc.array(pattern, { minLength: 1, maxLength: 4 }));
  const scenario = fc.record({ files: fc.uniqueArray(filePath, { minLength: 1, maxLength: 12 }), ignores: fc.array(ignoreFile, { maxLength: 3 }) });

  it("agrees with git ls-files on random trees", () => {
    fc.assert(
      fc.property(scenario, ({ files, ignores }) => {
        const tree: Tree = {};
        for (const file of files) tree[file] = "";
        for (const [dirs, patterns] of ignores) tree[[...dirs, ".gitignore"].join("/")] = `${patterns.join("\n")}\n`;
        // a path used both as a file and as a directory cannot be written; skip such draws
        const paths = Object.keys(tree);
        if (paths.some((p) => paths.some((q) => q.startsWith(`${p}/`)))) return;
        withTree(tree, (root) => {
          const git = gitListing(root);
          const walked = walkedFiles(root);
          const negated = Object.values(tree).some((text) => typeof text === "string" && /^!/m.test(text));
          if (negated) expect(walked).toEqual(expect.arrayContaining(git));
          else expect(walked).toEqual(git);
        });
      }),
      { numRuns: 60 },
    );
  });
});
