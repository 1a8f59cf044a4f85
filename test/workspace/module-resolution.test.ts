import { describe, expect, it } from "vitest";
import { effectiveOptions } from "../../src/workspace/compiler-options.js";
import { createProjectResolver } from "../../src/workspace/module-resolution.js";

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
