import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { analyze } from "../../src/dataflow/analyze.js";
import { DEFAULT_BUDGETS } from "../../src/dataflow/budgets.js";
import { decodeState, encodeState, type EncodedState } from "../../src/cache/state-codec.js";
import type { FileRef } from "../../src/dataflow/trace.js";
import { ModelProject } from "../model/support/model-project.js";
import { flowLines } from "../support/engine-harness.js";
import { REPO_ROOT } from "../support/paths.js";

// The general record of an abstract class's method is the join of its receiver variants (src/dataflow/joined-variants.ts):
// a query runner's base whose methods call one another through `this`, two runners, one leaking through its override.
const dir = path.join(REPO_ROOT, "fixtures/engine/joined-variants/src");
const files = Object.fromEntries(fs.readdirSync(dir).map((f) => [`/src/${f}`, fs.readFileSync(path.join(dir, f), "utf8")]));

const projectOf = (sources: Record<string, string>) =>
  new ModelProject(
    { ...sources, "/node_modules/axios/index.d.ts": "declare const axios: any; export default axios;" },
    { models: ["axios", "console"], dataClasses: [{ id: "email-address", names: ["email"], types: [], tags: [] }] },
  );

describe("general records of an abstract class joined from its subclasses' variants", () => {
  const project = projectOf(files);
  const result = analyze(project.workspace, project.question, DEFAULT_BUDGETS);
  const records = [...result.state.records.values()];
  const general = (name: string) => records.find((r) => r.name.endsWith(`#QueryRunner.${name}`))!;

  it("finds the contact runner's leak through its override, and none at the audit runner's log", () => {
    const runners = files["/src/runners.ts"]!.split("\n");
    const post = runners.findIndex((l) => l.includes("axios.post")) + 1;
    expect(flowLines(result)).toEqual([`${post}:email-address:axios.post`]);
  });

  it("gives callers that do not know the runner the join of the runners' own summaries", () => {
    // each sink entry of the general summary: the symbolic fact and the sink's label
    const entries = general("startAnalysis").summary!.sinks.map((e) => `${e.fact.key}>${e.site.hit.label}`);
    expect(entries).toContain("s|p0|recipient>axios.post");
    // one body of its own joined every runner's model at `this.updateModel()`, and the audit runner's log had the
    // contact runner's recipient too
    expect(entries.filter((e) => e.endsWith(">console.log") && e.includes("recipient"))).toEqual([]);
  });
});

// A later analysis keeps no variant (reuse.ts): a change to one runner's override must still redo the base's joined
// records and the callers that read them, though nothing the joined records kept came from the changed file.
describe("a joined record in a later analysis", () => {
  const contact = files["/src/runners.ts"]!.slice(0, files["/src/runners.ts"]!.indexOf("// Keeps only the id"));
  const audit = (model: string, logged: string) => `import { QueryRunner, type Model, type Params } from "./runner";
export class AuditRunner extends QueryRunner {
  protected async startQueries(params: Params) {
    return [\`audit:\${params.id}\`];
  }
  protected async updateModel(params: Params): Promise<Model> {
    return ${model};
  }
  protected async runAnalysis(model: Model) {
    console.log("audit run finished", ${logged});
  }
}
`;
  const before = { ...files, "/src/runners.ts": contact, "/src/audit.ts": audit("{}", "Object.keys(model).length") };
  // the audit runner keeps the recipient in its model now, and logs the model
  const after = { ...before, "/src/audit.ts": audit("{ contact: params.recipient }", "model") };

  it("is analysed again when a subclass's override changed, and finds what a fresh analysis finds", () => {
    const base = projectOf(before);
    const pathOf = (file: FileRef) => base.workspace.files.find((f) => f === file)?.path;
    const entry = JSON.parse(JSON.stringify(encodeState(analyze(base.workspace, base.question, DEFAULT_BUDGETS).state, pathOf))) as EncodedState;
    const head = projectOf(after);
    const prior = decodeState(entry, (p) => (p === "src/audit.ts" ? undefined : head.workspace.files.find((f) => f.path === p))).state;
    const reviewed = analyze(head.workspace, head.question, DEFAULT_BUDGETS, undefined, { prior, affectedFiles: new Set(["src/audit.ts"]), cutOff: true, sameTree: false });
    const fresh = projectOf(after);
    const expected = flowLines(analyze(fresh.workspace, fresh.question, DEFAULT_BUDGETS));
    const log = after["/src/audit.ts"].split("\n").findIndex((l) => l.includes("console.log")) + 1;
    expect(expected).toContain(`${log}:email-address:console.log`);
    expect(flowLines(reviewed)).toEqual(expected);
  });
});
