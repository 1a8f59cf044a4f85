import { ts } from "ts-morph";
import { describe, expect, it } from "vitest";
import { findBackReferences } from "../../src/dataflow/back-references.js";
import { analyzeFiles, flowLines } from "../support/engine-harness.js";

const file = (name: string, text: string) => ts.createSourceFile(name, text, ts.ScriptTarget.ESNext, true);

/** The request context of fixture engine/back-references, cut down: it builds its models with itself. */
const CONTEXT = [
  'import { TeamModel } from "./models";',
  "export class Context {",
  "  public models!: { teams: TeamModel };",
  "  public owner: { contact: string } | null = null;",
  "  constructor(public user: { phone: string }) {",
  "    this.initModels();",
  "  }",
  "  private initModels() {",
  "    this.models = { teams: new TeamModel(this) };",
  "  }",
  "}",
].join("\n");

const MODELS = [
  'import type { Context } from "./context";',
  "export abstract class BaseModel {",
  "  protected context: Context;",
  "  constructor(context: Context) {",
  "    this.context = context;",
  "  }",
  "}",
  "export class TeamModel extends BaseModel {",
  "  async lookUpOwner() {",
  "    this.context.owner = { contact: this.context.user.phone };",
  "  }",
  "}",
].join("\n");

function triples(files: Record<string, string>): string[] {
  const found = findBackReferences(Object.entries(files).map(([name, text]) => file(name, text)));
  return [...found.triples].flatMap(([g, byKey]) => [...byKey].map(([k, f]) => `${g}.${k}.${f}`));
}

describe("back-references placed at their owner", () => {
  it("finds the owner's part that keeps the owner: `this.models = { teams: new TeamModel(this) }`, kept in `this.context`", () => {
    expect(triples({ "/context.ts": CONTEXT, "/models.ts": MODELS })).toEqual(["models.teams.context"]);
  });

  it("follows a base class that a function returns (a class factory)", () => {
    const factory = MODELS.replace(
      "export class TeamModel extends BaseModel {",
      "export function MakeModel() {\n  abstract class Model extends BaseModel {}\n  return Model;\n}\nconst Base = MakeModel();\nexport class TeamModel extends Base {",
    );
    expect(triples({ "/context.ts": CONTEXT, "/models.ts": factory })).toEqual(["models.teams.context"]);
  });

  it("finds none where the path may lead elsewhere", () => {
    const base = { "/context.ts": CONTEXT, "/models.ts": MODELS };
    // the parts are replaced from outside the owner
    expect(triples({ ...base, "/test.ts": "export function swap(c: any) { c.models = {}; }" })).toEqual([]);
    // one part is, by name or by a computed key
    expect(triples({ ...base, "/test.ts": "export function swap(c: any) { c.models.teams = null; }" })).toEqual([]);
    expect(triples({ ...base, "/test.ts": "export function swap(c: any, k: string) { c.models[k] = null; }" })).toEqual([]);
    // a spread in the owner's literal may replace the part
    expect(triples({ ...base, "/context.ts": CONTEXT.replace("teams: new TeamModel(this) }", "teams: new TeamModel(this), ...Context.overrides }") })).toEqual([]);
    // the model's field is written again by its own code
    expect(triples({ ...base, "/models.ts": MODELS.replace("async lookUpOwner() {", "async move(other: Context) {\n    this.context = other;\n  }\n  async lookUpOwner() {") })).toEqual([]);
    // the model is built with another object than its owner
    expect(triples({ ...base, "/context.ts": CONTEXT.replace("new TeamModel(this)", "new TeamModel(Context.root)") })).toEqual([]);
    // a public field anyone can write, and something does
    const open = MODELS.replace("protected context: Context;", "public context: Context;");
    expect(triples({ ...base, "/models.ts": open, "/mw.ts": "export function use(req: any, c: any) { req.context = c; }" })).toEqual([]);
    // a protected field written outside its class is another class's member
    expect(triples({ ...base, "/mw.ts": "export function use(req: any, c: any) { req.context = c; }" })).toEqual(["models.teams.context"]);
  });

  it("a model's write through the context it keeps is the context's own: read where the context was handed in", () => {
    const r = analyzeFiles({
      "src/context.ts": CONTEXT,
      "src/models.ts": MODELS,
      "src/handler.ts": [
        'import { Context } from "./context";',
        "async function ownerLine(context: Context) {",
        "  await context.models.teams.lookUpOwner();",
        "  console.log(context.owner);",
        "}",
        "export async function handle(user: { phone: string }) {",
        "  await ownerLine(new Context(user));",
        "}",
      ].join("\n"),
    });
    expect(flowLines(r, "src/handler.ts")).toEqual(["4:phone-number:console.log"]);
  });
});
