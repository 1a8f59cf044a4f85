import fs from "node:fs";
import path from "node:path";
import { ts } from "ts-morph";
import { describe, expect, it } from "vitest";
import { constructionBodies } from "../../src/dataflow/construction-methods.js";
import { analyzeFiles, flowLines, runsOf } from "../support/engine-harness.js";
import { REPO_ROOT } from "../support/paths.js";

/** The names of the bodies that build an instance of the class declared in `text` (`constructor` for its own). */
function buildingBodies(text: string): string[] {
  const file = ts.createSourceFile("m.ts", text, ts.ScriptTarget.Latest, true);
  const cls = file.statements.find(ts.isClassDeclaration)!;
  return [...constructionBodies(cls)].map((n) => (ts.isConstructorDeclaration(n) ? "constructor" : (n as ts.MethodDeclaration).name.getText())).sort();
}

describe("the bodies that build an instance (construction-methods.ts)", () => {
  it("are the constructor and the private methods only its own body calls on `this`", () => {
    expect(buildingBodies("class C { constructor() { this.init(); this.#wire(); } private init() {} #wire() {} }")).toEqual(["#wire", "constructor", "init"]);
  });

  it("leave out a method called anywhere else, read as a value, called on another receiver or in a closure", () => {
    expect(buildingBodies("class C { constructor() { this.init(); } private init() {} reset() { this.init(); } }")).toEqual(["constructor"]);
    expect(buildingBodies("class C { constructor() { this.init(); } private init() {} copy(o: C) { o.init(); } }")).toEqual(["constructor"]);
    expect(buildingBodies("class C { constructor(bus: any) { bus.on('x', () => this.init()); } private init() {} }")).toEqual(["constructor"]);
    expect(buildingBodies("class C { constructor() { this.init(); const f = this.init; } private init() {} }")).toEqual(["constructor"]);
    expect(buildingBodies("class C { constructor() { this.init(); this['init'](); } private init() {} }")).toEqual(["constructor"]);
  });

  it("leave out public and static methods, and a class without a constructor has none", () => {
    expect(buildingBodies("class C { constructor() { this.init(); } init() {} }")).toEqual(["constructor"]);
    expect(buildingBodies("class C { constructor() { C.init(); } private static init() {} }")).toEqual(["constructor"]);
    expect(buildingBodies("class C { private init() {} }")).toEqual([]);
  });
});

/** An engine fixture's sources, by their path in the harness's workspace. */
function fixture(name: string): Record<string, string> {
  const dir = path.join(REPO_ROOT, `fixtures/engine/${name}/src`);
  return Object.fromEntries(fs.readdirSync(dir).map((f) => [`/src/${f}`, fs.readFileSync(path.join(dir, f), "utf8")]));
}

// A request context whose constructor builds its models in a private method (growthbook's `ReqContextClass.initModels`):
// the method reads `this` as the constructor does, so what other builders' `new` built does not reach the models.
describe("a private method only the constructor calls", () => {
  const files = fixture("construction-methods");
  const result = analyzeFiles(files);
  const runs = runsOf(result);

  it("does not give a job's context the signed-in user's address through its models", () => {
    const line = (file: string, text: string) => files[file]!.split("\n").findIndex((l) => l.includes(text)) + 1;
    expect(flowLines(result, "/src/handlers.ts")).toEqual([`${line("/src/handlers.ts", '"signed in as"')}:email-address:console.info`]);
    expect(flowLines(result, "/src/jobs.ts")).toEqual([]);
  });

  it("settles the context before its readers run: each builder and handler is analysed once", () => {
    // read as a method reads `this`, each builder's `new` changed what initModels stored and so what every builder
    // returns: the builders and the handlers that read them were analysed again
    expect(runs["contextFromRequest"]).toBe(1);
    expect(runs["contextForJob"]).toBe(1);
    expect(runs["listProjects"]).toBe(1);
    expect(runs["whoAmI"]).toBe(1);
  });
});
