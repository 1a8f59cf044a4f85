import { describe, expect, it } from "vitest";
import type { LibraryModel } from "../../src/config/policy.js";
import { buildLibraryIndex } from "../../src/model/library-index.js";

/* How model rows are looked up by canonical key: exact first, then `*` (any last member), then `**` (any path below). */
const model = (sinks: { call: string; id: string }[]): LibraryModel => ({
  id: "m",
  file: "m.yaml",
  sinks: sinks.map((s) => ({ ...s, kind: "network", arguments: [0] })),
  sources: [],
  sanitizers: [],
  instances: [],
  propagators: [],
});
const index = buildLibraryIndex([
  model([
    { id: "deep", call: "pkg#load().**" },
    { id: "any-member", call: "pkg#load().users.*" },
    { id: "exact", call: "pkg#load().users.UserService" },
    { id: "default-deep", call: "client#default.**" },
  ]),
]);
const ids = (key: string) => index.sinks(key).map((s) => s.id);

describe("library index", () => {
  it("prefers an exact row, then `*`, then `**`", () => {
    expect(ids("pkg#load().users.UserService")).toEqual(["exact"]);
    expect(ids("pkg#load().users.GroupService")).toEqual(["any-member"]);
    expect(ids("pkg#load().billing.v1.InvoiceService")).toEqual(["deep"]);
  });

  it("`**` needs at least one member below its prefix, and the prefix itself", () => {
    expect(ids("pkg#load()")).toEqual([]);
    expect(ids("pkg#load")).toEqual([]);
    expect(ids("pkg#other().users.UserService")).toEqual([]);
  });

  it("`**` below a default export matches any member path of the instance or module", () => {
    // `new Client().messages.send(…)` on `import Client from "client"`: the default export's members are the module's
    expect(ids("client#messages.send")).toEqual(["default-deep"]);
    expect(ids("client#messages")).toEqual(["default-deep"]);
    expect(ids("client#")).toEqual([]);
  });
});
