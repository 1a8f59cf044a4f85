import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { starterPolicy } from "../../src/cli/starter-policy.js";
import type { DataClassSpec } from "../../src/config/policy.js";
import { compileDataClasses } from "../../src/model/data-classes.js";

// The starter file is what a new user reads first: the examples in its comments must be what flowgate really does.
const starter = starterPolicy("node_modules/flowgate/rules/schema/flowgate.config.schema.json");

/** The starter with its commented-out keys uncommented (the comment claims stay as YAML comments). */
function uncommented(): { dataClasses: DataClassSpec[] } {
  const text = starter
    .split("\n")
    .map((line) => line.replace(/^# (?!yaml-language-server)( *[A-Za-z-]+:|  +- )/, "$1"))
    .join("\n");
  return parse(text) as { dataClasses: DataClassSpec[] };
}

/** `# … matches a, b, c; not d, e` after a `names:` line → the identifiers claimed to match and not to match. */
function nameClaims(): { matches: string[]; not: string[] }[] {
  return starter
    .split("\n")
    .filter((line) => /^#\s+names:/.test(line))
    .map((line) => {
      const comment = line.slice(line.indexOf("#", 1));
      const list = (word: string) =>
        (new RegExp(`\\b${word} ([^;]+)`).exec(comment)?.[1] ?? "")
          .split(",")
          .map((s) => s.trim().replace(/…$/, ""))
          .filter(Boolean);
      return { matches: list("matches"), not: list("not") };
    });
}

describe("the starter policy's comments", () => {
  it("make claims about name matching", () => {
    const claims = nameClaims();
    expect(claims.length).toBeGreaterThan(0);
    for (const claim of claims) {
      expect(claim.matches.length).toBeGreaterThan(0);
      expect(claim.not.length).toBeGreaterThan(0);
    }
  });

  it("claim only what the name matcher does", () => {
    const spec = uncommented().dataClasses[0]!;
    const matcher = compileDataClasses([{ ...spec, names: spec.names ?? [], types: spec.types ?? [], tags: spec.tags ?? [] }]);
    const matched = (name: string) => matcher.byName(name).some((hit) => hit.dataClass === spec.id);
    for (const claim of nameClaims()) {
      for (const name of claim.matches) expect(matched(name), `${name} should match ${spec.id}`).toBe(true);
      for (const name of claim.not) expect(matched(name), `${name} should not match ${spec.id}`).toBe(false);
    }
  });
});
