import { describe, expect, it } from "vitest";
import { backReferenceFacts, findBackReferences, type BackReferences } from "../../src/dataflow/back-references.js";
import { decodeBackReferenceFacts, encodeBackReferenceFacts, type EncodedBackReferenceFacts } from "../../src/cache/back-reference-facts-codec.js";
import { ScannedFile } from "../../src/workspace/scanned-file.js";
import { analyzeFiles, flowLines } from "../support/engine-harness.js";

/** The files as a scan loads them: each parsed when its tree is first read. */
const loaded = (files: Record<string, string>) => Object.entries(files).map(([name, text]) => new ScannedFile(name, name, text, false));

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

const named = (found: BackReferences) => [...found.triples].flatMap(([g, byKey]) => [...byKey].map(([k, f]) => `${g}.${k}.${f}`));

/**
 * The files' facts as a cache entry keeps them (through its JSON), and the files a run from the entry loads: none of
 * them parsed yet.
 */
function fromEntry(files: Record<string, string>): { scanned: ScannedFile[]; facts: (file: ScannedFile) => ReturnType<typeof backReferenceFacts> } {
  const kept = new Map(loaded(files).map((f) => [f.path, JSON.parse(JSON.stringify(encodeBackReferenceFacts(backReferenceFacts(f.sourceFile)))) as EncodedBackReferenceFacts]));
  return { scanned: loaded(files), facts: (file) => decodeBackReferenceFacts(kept.get(file.path)!) };
}

/** The triples found from every file's walk, which the facts kept by an entry must give too. */
function triples(files: Record<string, string>): string[] {
  const walked = named(findBackReferences(loaded(files), (f) => backReferenceFacts(f.sourceFile)));
  const { scanned, facts } = fromEntry(files);
  expect(named(findBackReferences(scanned, facts))).toEqual(walked);
  return walked;
}

/** The files whose trees finding the back-references reads, given every file's facts. */
function parsedBy(files: Record<string, string>): string[] {
  const { scanned, facts } = fromEntry(files);
  findBackReferences(scanned, facts);
  return scanned.filter((f) => f.parsed).map((f) => f.path);
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

  it("reads the trees an owner's parts involve, and none when no file has an owner", () => {
    const others = {
      // a computed key on no member, a class field's literal with no part built with the object
      "/util.ts": "export function put(o: any, k: string) { o[k] = 1; return o; }",
      "/config.ts": "export class Config { options = { retries: 3, client: new Map() }; }",
    };
    expect(parsedBy({ ...others, "/handler.ts": "export function go(c: any) { c.models = {}; }" })).toEqual([]);
    // the owner's file, and the model's (the class it builds, the member keeping the owner); not the others
    expect(parsedBy({ ...others, "/context.ts": CONTEXT, "/models.ts": MODELS })).toEqual(["/context.ts", "/models.ts"]);
    expect(triples({ ...others, "/context.ts": CONTEXT, "/models.ts": MODELS })).toEqual(["models.teams.context"]);
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
