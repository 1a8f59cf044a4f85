import { describe, expect, it } from "vitest";
import { knownModels, loadModel } from "../../src/config/packs.js";
import { compileSchemas } from "../../src/config/schema-validation.js";

// The shipped schemas are the contract for rules/ YAML and for editors: near misses must fail, documented shapes pass.
const schemas = compileSchemas();

describe("rules/schema/model.schema.json", () => {
  const model = {
    description: "axios",
    sinks: [
      {
        id: "axios-post",
        kind: "network",
        call: "axios#default.post",
        arguments: [1],
        destination: { argument: 0 },
        label: "axios.post",
      },
      { id: "console-log", kind: "log", call: "global#console.log", arguments: "all" },
    ],
    sources: [{ id: "express-ip", dataClass: "ip-address", access: "express#Request.ip" }],
    sanitizers: [{ id: "hash", call: "node:crypto#createHash().update().digest" }],
    instances: [{ call: "axios#default.create", returns: "axios#default", config: { argument: 0, baseUrl: ["baseURL"] } }],
    propagators: [
      { call: "global#JSON.stringify", from: "arg:0", to: "return" },
      { call: "lodash#pick", from: "args", to: "return.data" },
    ],
  };

  it("accepts every row kind of a library model", () => {
    expect(schemas.model(model), JSON.stringify(schemas.model.errors)).toBe(true);
  });

  it("rejects near misses", () => {
    const variants: unknown[] = [
      { sinks: [{ ...model.sinks[0], kind: "http" }] },
      { sinks: [{ ...model.sinks[0], arguments: "some" }] },
      { sinks: [{ ...model.sinks[0], call: "axios.post" }] },
      { propagators: [{ call: "global#JSON.stringify", from: "argument:0", to: "return" }] },
      { sources: [{ id: "x", dataClass: "ip-address" }] },
      { sinkz: [] },
    ];
    for (const variant of variants) expect(schemas.model(variant), JSON.stringify(variant)).toBe(false);
  });

  it("validates every model that ships in rules/models/", () => {
    for (const name of knownModels()) expect(loadModel(name, schemas).model.id).toBe(name);
  });
});

describe("rules/schema/pack.schema.json", () => {
  it("accepts data classes and model names, and nothing else", () => {
    expect(schemas.pack({ dataClasses: [{ id: "phone-number", names: ["phone"] }], models: ["axios"] })).toBe(true);
    expect(schemas.pack({ models: ["Axios Client"] })).toBe(false);
    expect(schemas.pack({ sinks: [] })).toBe(false);
  });
});
