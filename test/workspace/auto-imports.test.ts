import { describe, expect, it } from "vitest";
import { parseSource } from "../../src/workspace/program.js";
import { autoImports } from "../../src/workspace/auto-imports.js";

// Nitro's auto-imports of the project's own code, decided from the scanned file set and the configs' syntax
// (workspace/auto-imports.ts).
describe("a framework's auto-imports", () => {
  const configs: Record<string, string> = {
    "apps/web/nuxt.config.ts": `export default defineNuxtConfig({ nitro: { imports: { dirs: ["./server/services", "server/repositories/**", "~/elsewhere"] } } });`,
    "services/collector/nitro.config.ts": `export default defineNitroConfig({ srcDir: "server" });`,
  };
  const rule = autoImports(
    [...Object.keys(configs), "apps/web/server/api/visit.post.ts", "apps/web/components/Visit.ts", "packages/cli/src/index.ts", "services/collector/server/routes/hit.ts"],
    (relative) => (configs[relative] !== undefined ? parseSource(`/p/${relative}`, configs[relative]) : undefined),
  );
  const route = "apps/web/server/api/visit.post.ts";

  it("give a Nuxt app's server files its server and shared utilities' top-level files", () => {
    expect(rule.visibleIn(route, "apps/web/server/utils/visits.ts")).toBe(true);
    expect(rule.visibleIn(route, "apps/web/shared/utils/format.ts")).toBe(true);
    expect(rule.visibleIn(route, "apps/web/server/utils/deep/more.ts")).toBe(false);
    expect(rule.visibleIn("apps/web/components/Visit.ts", "apps/web/server/utils/visits.ts")).toBe(false);
    expect(rule.visibleIn("packages/cli/src/index.ts", "apps/web/server/utils/visits.ts")).toBe(false);
  });

  it("add the folders the config lists in imports.dirs: a folder's top-level files, or with /** all below it", () => {
    expect(rule.visibleIn(route, "apps/web/server/services/mailer.ts")).toBe(true);
    expect(rule.visibleIn(route, "apps/web/server/services/nested/deep.ts")).toBe(false);
    expect(rule.visibleIn(route, "apps/web/server/repositories/users/user.repository.ts")).toBe(true);
    expect(rule.visibleIn(route, "apps/web/elsewhere/thing.ts")).toBe(false);
  });

  it("give a standalone Nitro server's files the utilities of its source directory", () => {
    expect(rule.visibleIn("services/collector/server/routes/hit.ts", "services/collector/server/utils/forward.ts")).toBe(true);
    expect(rule.visibleIn("services/collector/server/routes/hit.ts", "services/collector/utils/forward.ts")).toBe(false);
  });

  it("name the files other files read without an import, and the configs that decide which", () => {
    expect(rule.isAutoImported("apps/web/server/utils/visits.ts")).toBe(true);
    expect(rule.isAutoImported("apps/web/server/repositories/users/user.repository.ts")).toBe(true);
    expect(rule.isAutoImported("apps/web/nuxt.config.ts")).toBe(true);
    expect(rule.isAutoImported("apps/web/server/utils/types.d.ts")).toBe(false);
    expect(rule.isAutoImported(route)).toBe(false);
  });

  it("are none without a framework's config", () => {
    const none = autoImports(["server/utils/visits.ts", "server/api/visit.post.ts"], () => undefined);
    expect(none.visibleIn("server/api/visit.post.ts", "server/utils/visits.ts")).toBe(false);
    expect(none.isAutoImported("server/utils/visits.ts")).toBe(false);
  });
});
