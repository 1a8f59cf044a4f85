import { describe, expect, it } from "vitest";
import { effectiveOptions } from "../../src/workspace/compiler-options.js";
import path from "node:path";
import { createProjectResolver, pathIndex } from "../../src/workspace/module-resolution.js";

// A package name's answer is kept per options object, not per asking directory, when no node_modules folder is in
// scope (module-resolution.ts): these are the cases where that must and must not hold.

const ROOT = "/project";

function resolved(files: string[], options = effectiveOptions(undefined)) {
  const resolve = createProjectResolver(ROOT, files, () => options);
  return (name: string, from: string) => resolve([name], `${ROOT}/${from}`)[0]?.resolvedFileName;
}

describe("project-only module resolution", () => {
  it("resolves a `paths` alias the same from every folder", () => {
    const options = effectiveOptions({ paths: { "@shared/*": ["./libs/shared/*"] }, pathsBasePath: ROOT });
    const resolve = resolved(["libs/shared/mail.ts", "apps/api/src/users/user.service.ts", "apps/worker/job.ts"], options);
    expect(resolve("@shared/mail", "apps/api/src/users/user.service.ts")).toBe(`${ROOT}/libs/shared/mail.ts`);
    expect(resolve("@shared/mail", "apps/worker/job.ts")).toBe(`${ROOT}/libs/shared/mail.ts`);
    expect(resolve("axios", "apps/worker/job.ts")).toBeUndefined();
  });

  it("resolves a package name to the nearest node_modules folder of the asking file when one is in scope", () => {
    // two vendored copies of one package: the answer depends on where it is asked from, so it is not shared
    const resolve = resolved([
      "apps/a/node_modules/mailer/index.ts",
      "apps/a/src/send.ts",
      "apps/b/node_modules/mailer/index.ts",
      "apps/b/src/send.ts",
    ]);
    expect(resolve("mailer", "apps/a/src/send.ts")).toBe(`${ROOT}/apps/a/node_modules/mailer/index.ts`);
    expect(resolve("mailer", "apps/b/src/send.ts")).toBe(`${ROOT}/apps/b/node_modules/mailer/index.ts`);
  });

  it("keeps relative specifiers per folder", () => {
    const resolve = resolved(["a/util.ts", "a/x.ts", "b/util.ts", "b/x.ts"]);
    expect(resolve("./util", "a/x.ts")).toBe(`${ROOT}/a/util.ts`);
    expect(resolve("./util", "b/x.ts")).toBe(`${ROOT}/b/util.ts`);
  });

  it("resolves the folder's own barrel and its parent's (`.`, `..`, `./`, `../`)", () => {
    const resolve = resolved(["presenters/index.ts", "presenters/user.ts", "index.ts"]);
    expect(resolve(".", "presenters/user.ts")).toBe(`${ROOT}/presenters/index.ts`);
    expect(resolve("./", "presenters/user.ts")).toBe(`${ROOT}/presenters/index.ts`);
    expect(resolve("..", "presenters/user.ts")).toBe(`${ROOT}/index.ts`);
    expect(resolve("../", "presenters/user.ts")).toBe(`${ROOT}/index.ts`);
  });
});

describe("the resolver's index of paths", () => {
  /** The index as `path.join` and `path.dirname` make it, path by path: what pathIndex's string operations must equal. */
  function byPathModule(root: string, relatives: readonly string[]): { files: string[]; directories: string[] } {
    const slashes = (p: string) => p.replace(/\\/g, "/");
    const files = new Set<string>();
    const directories = new Set<string>();
    for (const relative of relatives) {
      const absolute = path.join(root, relative);
      files.add(slashes(absolute));
      for (let dir = path.dirname(absolute); !directories.has(slashes(dir)); dir = path.dirname(dir)) {
        directories.add(slashes(dir));
        if (path.dirname(dir) === dir) break;
      }
    }
    return { files: [...files], directories: [...directories] };
  }

  it("spells every file and folder as path.join and path.dirname do, in the same order", () => {
    const segments = ["src", "a", "b.ts", "index.ts", ".", "..", "", "...", ".hidden", "x\\y.ts", "node_modules", "é.ts"];
    const roots = ["/work/tree", "/work/tree/", "/", "/work//tree", "/work/./tree", "/work/tr\\ee", "relative/root"];
    let seed = 7; // mulberry32
    const random = (n: number): number => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return (((t ^ (t >>> 14)) >>> 0) / 2 ** 32) * n | 0;
    };
    for (let draw = 0; draw < 1000; draw++) {
      const root = roots[random(roots.length)]!;
      const relatives = Array.from({ length: 1 + random(6) }, () => {
        const parts = Array.from({ length: 1 + random(4) }, () => segments[random(segments.length)]!);
        return (random(8) === 0 ? "/" : "") + parts.join("/") + (random(8) === 0 ? "/" : "");
      });
      const index = pathIndex(root, relatives);
      expect({ files: [...index.files], directories: [...index.directories] }, `${root} ${relatives.join(" ")}`).toEqual(byPathModule(root, relatives));
    }
  });
});
