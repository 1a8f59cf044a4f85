import { builtinModules } from "node:module";
import { describe, expect, it } from "vitest";
import { isBuiltinWithoutScheme } from "../../src/vocabulary/builtin-modules.js";

// isBuiltin stands in for builtinModules, which a startup snapshot's builder does not have (src/startup/warm-up-scan.ts):
// the two must answer alike for every name a policy or an import can spell.
describe("isBuiltinWithoutScheme", () => {
  it("answers as module.builtinModules lists: every listed name, none with its scheme", () => {
    for (const name of builtinModules) {
      expect(isBuiltinWithoutScheme(name), name).toBe(true);
      expect(isBuiltinWithoutScheme(`node:${name}`), `node:${name}`).toBe(false);
    }
  });

  it("refuses near misses: names that exist only with the scheme, subpaths that do not exist, packages", () => {
    for (const name of ["test", "sea", "node:test", "node:node:fs", "fs/nosuch", "fs/", "FS", "axios", "", "node:"]) {
      expect(isBuiltinWithoutScheme(name), name).toBe(builtinModules.includes(name));
      expect(isBuiltinWithoutScheme(name), name).toBe(false);
    }
  });
});
