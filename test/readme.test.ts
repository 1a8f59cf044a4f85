import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadRuleCatalog } from "../src/findings/rule-catalog.js";
import { REPO_ROOT } from "./support/paths.js";

// The README is the first thing a user reads: these are the promises it makes that can drift from the code.
const readme = readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");

describe("README", () => {
  it("lists every rule in the catalogue with its default level", () => {
    for (const rule of loadRuleCatalog()) {
      expect(readme, rule.id).toContain(`| \`${rule.id}\` | ${rule.level} |`);
    }
  });

  it("gives the two set-up commands on its first screen", () => {
    const firstScreen = readme.split("\n").slice(0, 25).join("\n");
    expect(firstScreen).toContain("npm ci && npx flowgate scan fixtures/demo-gateway");
    expect(firstScreen).toContain("npm test");
  });
});
