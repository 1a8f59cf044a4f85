import { readFileSync, existsSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseChangedFiles } from "../../src/diff/changed-lines.js";
import { baseTextOf, materializeBeforePatch } from "../../src/diff/reverse-patch.js";
import { createRepo } from "./support/git-repo.js";

const lines = (n: number) => Array.from({ length: n }, (_, i) => `line ${i + 1}`).join("\n") + "\n";

/** The base text rebuilt from the head text and a real git diff between the two, at several context sizes. */
function roundTrip(base: string, head: string, context: number): string {
  const repo = createRepo({ "f.ts": base });
  try {
    const from = repo.git("rev-parse", "HEAD").trim();
    repo.commit("head", { "f.ts": head });
    const diff = repo.git("diff", "--no-color", `--unified=${context}`, from, "HEAD");
    const file = parseChangedFiles(diff).get("f.ts");
    return baseTextOf(head, file?.chunks ?? [], "f.ts", "test.patch");
  } finally {
    repo.remove();
  }
}

describe("baseTextOf", () => {
  const base = lines(30);
  const head = base
    .replace("line 1\n", "line 0\nline 1\n") // insertion at the top
    .replace("line 10\nline 11\n", "line ten\n") // replacement of two lines by one
    .replace("line 20\n", "") // deletion
    .replace("line 30\n", "line 30\nline 31\n"); // append at the end

  it.each([0, 3])("rebuilds the base from the head and a diff with %i lines of context", (context) => {
    expect(roundTrip(base, head, context)).toBe(base);
  });

  it("keeps a base without a final newline", () => {
    expect(roundTrip("a\nb", "a\nB\nb", 0)).toBe("a\nb");
  });

  it("rebuilds a file emptied by the update", () => {
    expect(roundTrip(lines(3), "", 0)).toBe(lines(3));
  });

  it("refuses a patch that does not match the scanned file, naming the line", () => {
    const repo = createRepo({ "f.ts": lines(5) });
    try {
      const from = repo.git("rev-parse", "HEAD").trim();
      repo.commit("head", { "f.ts": lines(5).replace("line 3", "line three") });
      const file = parseChangedFiles(repo.git("diff", "--unified=1", from, "HEAD")).get("f.ts");
      expect(() => baseTextOf(lines(5), file?.chunks ?? [], "f.ts", "update.patch")).toThrow(
        /update\.patch does not match the scanned f\.ts at line 3/,
      );
    } finally {
      repo.remove();
    }
  });
});

describe("materializeBeforePatch", () => {
  const repo = createRepo({ "src/a.ts": lines(4), "src/old-name.ts": lines(2), "src/deleted.ts": lines(2) });
  afterAll(() => repo.remove());

  it("takes the patch out of a copy: edits reverted, added files gone, renamed and deleted files back", () => {
    const from = repo.git("rev-parse", "HEAD").trim();
    repo.commit("update", {
      "src/a.ts": lines(4).replace("line 2", "line two"),
      "src/added.ts": "export {};\n",
      "src/old-name.ts": null,
      "src/new-name.ts": lines(2),
      "src/deleted.ts": null,
    });
    const changes = parseChangedFiles(repo.git("diff", "--find-renames", "--unified=0", from, "HEAD"));
    const tree = materializeBeforePatch(repo.dir, changes, "update.patch");
    try {
      const read = (f: string) => readFileSync(path.join(tree.dir, f), "utf8");
      expect(read("src/a.ts")).toBe(lines(4));
      expect(existsSync(path.join(tree.dir, "src/added.ts"))).toBe(false);
      expect(existsSync(path.join(tree.dir, "src/new-name.ts"))).toBe(false);
      expect(read("src/old-name.ts")).toBe(lines(2));
      expect(read("src/deleted.ts")).toBe(lines(2));
      expect(existsSync(path.join(tree.dir, ".git"))).toBe(false);
    } finally {
      tree.dispose();
    }
  });
});

describe("baseTextOf at the end of the file", () => {
  it("restores a final newline the update added or removed", () => {
    expect(roundTrip("a\nb", "a\nb\n", 0)).toBe("a\nb");
    expect(roundTrip("a\nb\n", "a\nb", 0)).toBe("a\nb\n");
    expect(roundTrip("a\nb", "a\nc\nb", 1)).toBe("a\nb");
  });
});
