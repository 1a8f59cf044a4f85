import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scan } from "../../src/scan.js";
import type { ScanResult } from "../../src/result.js";
import { createRepo, type TestRepo } from "../diff/support/git-repo.js";

// Paths through an owner's part back to the owner are placed at the owner (src/dataflow/back-references.ts) when every
// file's syntax says the part leads back. A file that is not the owner, the model or the reader can undo that (here a
// new file replaces the context's models), and what a function analysed under it found must not be taken over.

const TREE: Record<string, string> = {
  "flowgate.config.yaml": "extends: recommended\n",
  "tsconfig.json": `{ "compilerOptions": { "strict": true, "target": "ES2022", "module": "commonjs" } }\n`,
  "src/context.ts": [
    'import { TeamModel } from "./models";',
    "export class Context {",
    "  public models!: { teams: TeamModel };",
    "  public owner: { contact: string } | null = null;",
    "  constructor(public user: { email: string }) {",
    "    this.models = { teams: new TeamModel(this) };",
    "  }",
    "}",
    "",
  ].join("\n"),
  "src/models.ts": [
    'import type { Context } from "./context";',
    "export class TeamModel {",
    "  constructor(protected context: Context) {}",
    "  async lookUpOwner() {",
    "    this.context.owner = { contact: this.context.user.email };",
    "  }",
    "}",
    "",
  ].join("\n"),
  "src/handler.ts": [
    'import { Context } from "./context";',
    "async function ownerLine(context: Context) {",
    "  await context.models.teams.lookUpOwner();",
    '  console.log("owner", context.owner);',
    "}",
    "export async function handle(user: { email: string }) {",
    "  await ownerLine(new Context(user));",
    "}",
    "",
  ].join("\n"),
};

let repo: TestRepo;
let scratch: string;

beforeAll(() => {
  repo = createRepo(TREE);
  repo.commit("models replaced from outside", { "src/reset.ts": "export function reset(c: { models: unknown }): void {\n  c.models = {};\n}\n" });
  scratch = mkdtempSync(path.join(os.tmpdir(), "flowgate-back-references-"));
});

afterAll(() => {
  repo.remove();
  rmSync(scratch, { recursive: true, force: true });
});

function summary(result: ScanResult): string[] {
  return result.findings.map((f) => `${f.ruleId} ${f.location.file}:${f.location.startLine} ${f.fingerprint}`);
}

describe("back-references and the analysis cache", () => {
  it("a scan from an entry analysed under back-references a change undid finds what a scan without the cache finds", async () => {
    const cache = { dir: path.join(scratch, "entry") };
    repo.git("checkout", "-q", "HEAD~1");
    const before = await scan({ root: repo.dir, cache });
    // the model's write through the context it keeps is the context's own: logged by the function handed the context
    expect(summary(before).some((s) => s.includes("src/handler.ts:4"))).toBe(true);
    repo.git("checkout", "-q", "main");
    const plain = await scan({ root: repo.dir });
    expect(summary(plain).some((s) => s.includes("src/handler.ts:4"))).toBe(false);
    const cached = await scan({ root: repo.dir, cache: { ...cache, readOnly: true } });
    expect(summary(cached)).toEqual(summary(plain));
  });
});
