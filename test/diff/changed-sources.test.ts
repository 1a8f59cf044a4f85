import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { materializeRevision, modifiedSourceObjects, readObjects } from "../../src/diff/base-tree.js";
import { parseChangedFiles, type ChangedFiles } from "../../src/diff/changed-lines.js";
import { openRepository, type Repository } from "../../src/diff/git.js";
import { gitPolicySource } from "../../src/diff/git-policy-source.js";
import { RevisionObjects } from "../../src/diff/revision-objects.js";
import { findUserFile } from "../../src/config/load-policy.js";
import { countingGit } from "./support/git-runs.js";
import type { Notification } from "../../src/result.js";
import { readSourceSet, sourceSetOfChanged, type SourceSet, type WorkspaceScope } from "../../src/workspace/source-set.js";
import { createRepo, type TestRepo } from "./support/git-repo.js";

// The base versions of the files an update modified are read from git's object store (no tree written) when the update
// changed nothing that decides scope or resolution. They must be read exactly as readSourceSet reads them from a tree
// of only the changed files (with the JSON and .gitignore files), which update review used before: selected, imported
// from outside the include, excluded, ignored, unreadable, by the same rules.

const SCOPE: WorkspaceScope = { include: ["svc/**"], exclude: ["**/*.test.ts"] };

const BASE: Record<string, string> = {
  ".gitignore": "svc/generated/\n",
  "package.json": `{ "name": "root", "private": true, "workspaces": ["lib/*"] }\n`,
  "lib/pkg/package.json": `{ "name": "@acme/lib", "main": "index.ts" }\n`,
  "lib/pkg/index.ts": `export * from "./util";\n`,
  "lib/pkg/util.ts": `export const util = 1;\n`,
  "lib/pkg/extra.ts": `export const extra = 1;\n`,
  "lib/pkg/unused.ts": `export const unused = 1;\n`,
  // the base's a.ts imports extra.ts, which the head's no longer does; both change
  "svc/a.ts": `import { util } from "@acme/lib";\nimport { extra } from "../lib/pkg/extra";\nexport const a = util + extra;\n`,
  "svc/b.ts": `export const b = 2;\n`,
  "svc/a.test.ts": `export const t = 1;\n`,
  "svc/generated/g.ts": `export const g = 1;\n`,
  "README.md": "base\n",
};

const HEAD: Record<string, string | null> = {
  "svc/a.ts": `import { util } from "@acme/lib";\nexport const a = util;\n`,
  "lib/pkg/extra.ts": `export const extra = 2;\n`,
  "lib/pkg/unused.ts": `export const unused = 2;\n`,
  "svc/a.test.ts": `export const t = 2;\n`,
  "svc/generated/g.ts": `export const g = 2;\n`,
  "svc/new.ts": `export const n = 1;\n`,
  "README.md": "head\n",
};

let repo: TestRepo;
let git: Repository;
let base: string;

beforeAll(() => {
  repo = createRepo(BASE);
  repo.git("add", "-f", "svc/generated/g.ts");
  // a base version the reader warns about: not valid UTF-8
  writeFileSync(path.join(repo.dir, "svc/latin1.ts"), Buffer.from([...Buffer.from("export const s = '"), 0xe9, ...Buffer.from("';\n")]));
  repo.git("add", "-A");
  repo.git("commit", "-q", "-m", "base, tracked generated file and a Latin-1 file");
  base = repo.git("rev-parse", "HEAD").trim();
  repo.commit("head", { ...HEAD, "svc/latin1.ts": "export const s = 'e';\n" });
  repo.git("add", "-f", "svc/generated/g.ts");
  repo.git("commit", "-q", "--allow-empty", "-m", "head, generated file");
  git = openRepository(repo.dir);
});

afterAll(() => repo.remove());

function changes(): ChangedFiles {
  return parseChangedFiles(repo.git("diff", "--no-color", "--find-renames", "--unified=0", "--full-index", base, "HEAD"));
}

/** What overlay() takes from a changed-files source set: everything about the touched files. */
function aboutChanged(set: SourceSet, changed: ChangedFiles) {
  const touched = (n: Notification) => n.location !== undefined && changed.has(n.location.file);
  return {
    inScope: set.inScope,
    imported: set.imported,
    texts: [...set.texts],
    notifications: set.notifications.filter(touched).map((n) => [n.id, n.message, n.location?.file]),
  };
}

describe("the base versions of modified source files, from the object store", () => {
  it("are read as readSourceSet reads a tree of only the changed files", async () => {
    const changed = changes();
    const objects = modifiedSourceObjects(changed);
    expect(objects && [...objects.keys()].sort()).toEqual(["lib/pkg/extra.ts", "lib/pkg/unused.ts", "svc/a.test.ts", "svc/a.ts", "svc/generated/g.ts", "svc/latin1.ts"]);
    const head = await readSourceSet(repo.dir, SCOPE);
    expect(head.imported).toEqual(["lib/pkg/index.ts", "lib/pkg/util.ts"]);
    const bytes = readObjects(git, [...objects!.values()], base);
    const fromObjects = sourceSetOfChanged(repo.dir, SCOPE, head, new Map([...objects!.keys()].map((file, i) => [file, bytes[i]!])));

    const onlyChanged = new Set([...changed.values()].filter((c) => c.status !== "added").map((c) => c.path));
    const tree = materializeRevision(git, base, onlyChanged);
    try {
      const fromTree = await readSourceSet(tree.dir, SCOPE, { alsoInclude: head.imported });
      expect(aboutChanged(fromObjects, changed)).toEqual(aboutChanged(fromTree, changed));
    } finally {
      tree.dispose();
    }
    // what the comparison covers: the base's a.ts imports extra.ts, a changed file outside the include; the excluded,
    // ignored and unimported files are left out; the Latin-1 file is read with a warning
    expect(fromObjects.inScope).toEqual(["lib/pkg/extra.ts", "svc/a.ts", "svc/latin1.ts"]);
    expect(fromObjects.imported).toEqual(["lib/pkg/extra.ts"]);
    expect(fromObjects.notifications.map((n) => [n.id, n.location?.file])).toContainEqual(["invalid-encoding", "svc/latin1.ts"]);
  });

  it("are not used when the update deletes or renames a source file, or changes a file that decides scope", () => {
    const with_ = (diff: Record<string, string | null>) => {
      const before = repo.git("rev-parse", "HEAD").trim();
      repo.commit("more", diff);
      const found = parseChangedFiles(repo.git("diff", "--no-color", "--find-renames", "--unified=0", "--full-index", before, "HEAD"));
      repo.git("reset", "-q", "--hard", before);
      return modifiedSourceObjects(found);
    };
    expect(with_({ "svc/b.ts": "export const b = 3;\n" })).toBeDefined();
    expect(with_({ "svc/b.ts": null })).toBeUndefined();
    expect(with_({ "svc/b.ts": null, "svc/c.ts": BASE["svc/b.ts"]! })).toBeUndefined();
    expect(with_({ "lib/pkg/package.json": `{ "name": "@acme/other" }\n` })).toBeUndefined();
    expect(with_({ ".gitignore": "" })).toBeUndefined();
  });
});

describe("the trusted policy, read from the base revision", () => {
  it("reads a file in one git process, says when the name is a folder, and answers nothing for a file it lacks", () => {
    const source = gitPolicySource(git, base);
    expect(source.read("README.md")).toBe("base\n");
    expect(source.read("svc/latin1.ts")).toBeDefined();
    expect(source.read("svc/new.ts")).toBeUndefined();
    expect(() => source.read("svc")).toThrow(/is not a file in/);
  });

  it("reads the policy and the changed files' base versions in one process, and tries every policy name in it", () => {
    const counting = countingGit();
    try {
      const objects = modifiedSourceObjects(changes())!;
      const { value, runs } = counting.during(() => {
        const revision = new RevisionObjects(git.top, base);
        revision.expect(objects.values());
        const policy = gitPolicySource(git, base, revision);
        const readme = policy.read("README.md");
        const sources = revision.get([...objects.values()]).map((o) => o?.bytes.toString("utf8"));
        // no policy file at the root: findUserFile tries each name, and the refused code files, all read already
        const user = findUserFile(repo.dir, policy, undefined);
        return { readme, sources, user };
      });
      expect(runs.map((r) => r.split(" ").filter((w) => !w.startsWith("-c") && !w.includes("=")).join(" "))).toEqual(["cat-file --batch"]);
      expect(value.readme).toBe("base\n");
      expect(value.sources).toEqual(readObjects(git, [...objects.values()], base).map((b) => b.toString("utf8")));
      expect(value.sources).toContain(BASE["svc/a.ts"]);
      expect(value.user).toBeUndefined();
    } finally {
      counting.remove();
    }
  });
});
