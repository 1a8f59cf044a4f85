import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseChangedFiles, touchesChange, type ChangedFiles } from "../../src/diff/changed-lines.js";
import { createRepo, type TestRepo } from "./support/git-repo.js";

// One real repository, one update touching every kind of file change git reports.
let repo: TestRepo;
let diffText: string;
let changes: ChangedFiles;

const lines = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `export const ${prefix}${i} = ${i};`).join("\n") + "\n";

beforeAll(() => {
  repo = createRepo({
    "src/kept.ts": lines(10, "k"),
    "src/moved.ts": lines(12, "m"),
    "src/renamed-edited.ts": lines(12, "r"),
    "src/gone.ts": lines(3, "g"),
    "assets/logo.bin": "\u0000\u0001binary\u0000",
    "svc/a/inner.ts": lines(4, "i"),
  });
  const base = repo.git("rev-parse", "HEAD").trim();
  const edited = lines(10, "k").replace("export const k2 = 2;", "export const k2 = 22;").replace("export const k7 = 7;\n", "export const k7 = 7;\nexport const extra = 1;\n");
  repo.commit("update", {
    "src/kept.ts": edited,
    "src/moved.ts": null,
    "src/moved-here.ts": lines(12, "m"),
    "src/renamed-edited.ts": null,
    "lib/renamed-edited.ts": lines(12, "r").replace("export const r5 = 5;", "export const r5 = 55;"),
    "src/gone.ts": null,
    "src/new.ts": "export const fresh = 1;\nexport const again = 2;\n",
    "assets/logo.bin": "\u0000\u0002binary!\u0000",
    "svc/a/inner.ts": lines(4, "i").replace("i3 = 3", "i3 = 33"),
  });
  diffText = repo.git("-c", "core.quotePath=false", "diff", "--no-color", "--find-renames", "--unified=0", base, "HEAD");
  changes = parseChangedFiles(diffText);
});

afterAll(() => repo.remove());

describe("parseChangedFiles over git diff output", () => {
  it("records added and modified head lines, and removed base lines, of a modified file", () => {
    const kept = changes.get("src/kept.ts");
    expect(kept?.status).toBe("modified");
    expect([...(kept?.addedLines ?? [])].sort((a, b) => a - b)).toEqual([3, 9]);
    expect([...(kept?.removedLines ?? [])]).toEqual([3]);
  });

  it("maps a pure rename to its base path with no changed lines", () => {
    const moved = changes.get("src/moved-here.ts");
    expect(moved).toMatchObject({ status: "renamed", basePath: "src/moved.ts" });
    expect(moved?.addedLines.size).toBe(0);
    expect(changes.has("src/moved.ts")).toBe(false);
  });

  it("keeps the edited lines of a renamed and edited file", () => {
    const file = changes.get("lib/renamed-edited.ts");
    expect(file).toMatchObject({ status: "renamed", basePath: "src/renamed-edited.ts" });
    expect([...(file?.addedLines ?? [])]).toEqual([6]);
  });

  it("lists deleted files by their base path, and added files as wholly added", () => {
    expect(changes.get("src/gone.ts")).toMatchObject({ status: "deleted" });
    expect(changes.get("src/gone.ts")?.removedLines.size).toBe(3);
    expect(changes.get("src/new.ts")).toMatchObject({ status: "added" });
    expect(touchesChange(changes, "src/new.ts", 2, 2)).toBe(true);
    expect(touchesChange(changes, "src/gone.ts", 1, 1)).toBe(false);
  });

  it("marks binary changes without lines", () => {
    expect(changes.get("assets/logo.bin")).toMatchObject({ status: "modified", binary: true });
    expect(changes.get("assets/logo.bin")?.addedLines.size).toBe(0);
  });

  it("touches a location only on its own changed lines", () => {
    expect(touchesChange(changes, "src/kept.ts", 3, 3)).toBe(true);
    expect(touchesChange(changes, "src/kept.ts", 4, 8)).toBe(false);
    expect(touchesChange(changes, "src/kept.ts", 8, 9)).toBe(true);
    expect(touchesChange(changes, "src/untouched.ts", 1, 100)).toBe(false);
  });

  it("takes paths relative to a scan root inside the repository, leaving out files outside it", () => {
    const scoped = parseChangedFiles(diffText, "svc/a/");
    expect([...scoped.keys()]).toEqual(["inner.ts"]);
    expect([...(scoped.get("inner.ts")?.addedLines ?? [])]).toEqual([4]);
  });

  it("reads nothing from text that is not a diff", () => {
    expect(parseChangedFiles("just some words\n").size).toBe(0);
  });
});
