import { existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { knownModels, knownPacks, loadModel, loadPack, loadShippedModel, loadShippedPack, shippedRuleFiles } from "../../src/config/packs.js";
import { SNAPSHOT_FILE, snapshotData } from "../../src/config/rules-snapshot.js";
import { compileSchemas } from "../../src/config/schema-validation.js";
import { CHECKS_DIR, loadRuleCatalog, shippedCheckFiles } from "../../src/findings/rule-catalog.js";

// `npm test` builds first, so the snapshot the build writes is there.
describe("the built-in rules snapshot", () => {
  const schemas = compileSchemas();

  it("serves every built-in pack and model exactly as its YAML reads", () => {
    expect(existsSync(SNAPSHOT_FILE)).toBe(true);
    const files = shippedRuleFiles(schemas);
    expect(files.length).toBe(knownPacks().length + knownModels().length);
    for (const [absolute, { text, data }] of files) expect(snapshotData(absolute, text)?.data, absolute).toEqual(data);
    for (const name of knownModels()) expect(loadShippedModel(name).model).toEqual(loadModel(name, schemas).model);
    for (const name of knownPacks()) expect(loadShippedPack(name).dataClasses).toEqual(loadPack(name, schemas).dataClasses);
    for (const [absolute, { text, data }] of shippedCheckFiles()) expect(snapshotData(absolute, text)?.data, absolute).toEqual(data);
    // the shipped catalogue (from the snapshot) equals the same directory read from its YAML (another spelling of it)
    expect(loadRuleCatalog()).toEqual(loadRuleCatalog(`${CHECKS_DIR}${path.sep}`));
  });

  it("is not used for a file whose text changed since the build", () => {
    const [absolute, { text }] = shippedRuleFiles(schemas)[0]!;
    expect(snapshotData(absolute, `${text}\n# edited`)).toBeUndefined();
  });

  it("still names places in a built-in file when an error needs one", () => {
    const name = knownModels().find((m) => loadModel(m, schemas).model.sources.length > 0)!;
    const { document } = loadShippedModel(name);
    expect(document.error(["sources", 0, "dataClass"], "x").message).toMatch(new RegExp(`${name}\\.yaml:\\d+:\\d+`));
  });
});
