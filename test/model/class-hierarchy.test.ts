import { ts } from "ts-morph";
import { afterAll, describe, expect, it } from "vitest";
import { scan } from "../../src/index.js";
import { createClassHierarchy, heritageNames, type ProjectType } from "../../src/model/class-hierarchy.js";
import { buildLibraryIndex } from "../../src/model/library-index.js";
import { createProvenanceResolver } from "../../src/model/provenance.js";
import { decodeOutline, encodeOutline } from "../../src/cache/outline-codec.js";
import type { ScannedFile } from "../../src/workspace/scanned-file.js";
import { memoryWorkspace } from "../support/memory-workspace.js";
import { removeTree, writeTree } from "../support/temp-tree.js";

/*
 * Calls through a declared project type reach the implementations below it (src/model/class-hierarchy.ts), bounded by
 * the `implementationsPerCall` budget (docs/engine.md). The fixture case fixtures/engine/dispatch shows the idioms;
 * this pins the bound and its notification.
 */
const sender = (name: string) =>
  `import type { Sender } from "./sender";\nexport class ${name} implements Sender {\n  send(to: string) {\n    console.log("${name}", to);\n  }\n}\n`;

const root = writeTree({
  "flowgate.config.yaml": "extends: recommended\n",
  "src/sender.ts": "export interface Sender {\n  send(to: string): void;\n}\n",
  "src/a.ts": sender("A"),
  "src/b.ts": sender("B"),
  "src/c.ts": sender("C"),
  "src/use.ts": `import type { Sender } from "./sender";\nexport function notify(s: Sender, user: { phone: string }) {\n  s.send(user.phone);\n}\n`,
});
afterAll(() => removeTree(root));

describe("class-hierarchy dispatch", () => {
  it("reaches every implementation of the declared interface, with the caller's source in the path", async () => {
    const result = await scan({ root });
    expect(result.findings.map((f) => f.location.file).sort()).toEqual(["src/a.ts", "src/b.ts", "src/c.ts"]);
    expect(result.findings.every((f) => f.flows?.every((flow) => flow.source.location.file === "src/use.ts"))).toBe(true);
    expect(result.notifications.filter((n) => n.id === "budget-dispatch")).toEqual([]);
  });

  it("follows at most implementationsPerCall bodies per call, and says so", async () => {
    const result = await scan({ root, budgets: { implementationsPerCall: 2 } });
    expect(result.findings.map((f) => f.location.file).sort()).toEqual(["src/a.ts", "src/b.ts"]);
    const note = result.notifications.find((n) => n.id === "budget-dispatch");
    expect(note?.message).toBe("send() in src/use.ts#notify may run 3 implementations: only the first 2 are followed");
    expect(note?.location?.file).toBe("src/use.ts");
  });
});

describe("the class hierarchy's candidates, by the names files list", () => {
  const FILES = {
    "src/sender.ts": "export interface Sender {\n  send(to: string): void;\n}\n",
    // listed by the name it writes and by the name it imports (an alias)
    "src/sms.ts": `import type { Sender as Outbound } from "./sender";\nexport class Sms implements Outbound {\n  send(to: string) {\n    console.log(to);\n  }\n}\n`,
    "src/loud.ts": `import { Sms } from "./sms";\nexport class Loud extends Sms {\n  send(to: string) {\n    console.warn(to);\n  }\n}\n`,
    "src/queue.ts": `import { EventEmitter } from "node:events";\nexport class Queue extends EventEmitter {}\n`,
    "src/plain.ts": "export const limit = 3;\n",
  };

  it("lists each file's classes by the names their clauses write and import", () => {
    const workspace = memoryWorkspace("/project", FILES);
    const names = (file: string) => heritageNames(workspace.files.find((f) => f.path === file)!.sourceFile);
    expect(names("src/sms.ts").sort()).toEqual(["Outbound", "Sender"]);
    expect(names("src/loud.ts")).toEqual(["Sms"]);
    expect(names("src/plain.ts")).toEqual([]);
  });

  it("from names a cache entry kept, reads only the files listing a name looked up, and finds what every file's walk finds", () => {
    const walked = memoryWorkspace("/project", FILES);
    const kept = new Map(walked.loaded.map((f) => [f.path, JSON.parse(JSON.stringify(encodeOutline({ global: false, heritage: heritageNames(f.sourceFile) }))) as ReturnType<typeof encodeOutline>]));
    // the files whose trees the hierarchy reads (the resolver reads others: its checker's program holds every file)
    const read = new Set<string>();
    const bodies = (workspace: ReturnType<typeof memoryWorkspace>, namesOf?: (file: ScannedFile) => readonly string[]) => {
      const tracked = workspace.loaded.map((file) => new Proxy(file, { get: (target, property) => (property === "sourceFile" && read.add(target.path), Reflect.get(target, property, target)) }));
      const hierarchy = createClassHierarchy(() => tracked, createProvenanceResolver({ ...workspace, hasDependencyTypes: () => false, declaredMemberNames: () => new Set(["send"]), autoImported: () => [] }, buildLibraryIndex([])), namesOf);
      const sender = workspace.files.find((f) => f.path === "src/sender.ts")!.sourceFile.statements[0] as ProjectType;
      return hierarchy.implementations(sender, "send").map((body) => `${body.getSourceFile().fileName}:${ts.getLineAndCharacterOfPosition(body.getSourceFile(), body.getStart()).line}`);
    };
    const expected = bodies(walked);
    expect(expected).toEqual(["/project/src/loud.ts:2", "/project/src/sms.ts:2"]);
    expect(read.size).toBe(walked.loaded.length);

    read.clear();
    const fromEntry = memoryWorkspace("/project", FILES, undefined, false);
    expect(bodies(fromEntry, (file) => decodeOutline(kept.get(file.path)!).heritage)).toEqual(expected);
    // the files listing the interface's name or its subclass's; not the class extending a package's, nor the others
    expect([...read].sort()).toEqual(["src/loud.ts", "src/sms.ts"]);
  });
});

describe("the class hierarchy's subtypes, wherever their files come in the loaded order", () => {
  const impl = (name: string, base: string, from: string) =>
    `import { ${base} } from "./${from}";\nexport class ${name} ${base === "Port" ? "implements" : "extends"} ${base} {\n  send(to: string) {\n    console.log(to);\n  }\n}\n`;
  const FILES = {
    // a subclass in a file before its base's, two classes in one file, a subtype in the last file of all
    "src/a-deep.ts": impl("Deep", "Mid", "m-mid"),
    "src/b-plain.ts": "export class Plain {\n  send(to: string) {}\n}\n",
    "src/m-mid.ts": impl("Mid", "Port", "port"),
    "src/n-pair.ts": `${impl("One", "Port", "port")}export class Two implements Port {\n  send(to: string) {}\n}\n`,
    "src/port.ts": "export interface Port {\n  send(to: string): void;\n}\nexport interface Other {\n  send(to: string): void;\n}\n",
    "src/z-last.ts": impl("Last", "Port", "port"),
    "src/zz-other.ts": `import type { Other } from "./port";\nexport class Late implements Other {\n  send(to: string) {}\n}\n`,
  };

  it("finds every subtype, transitively, for names asked before and after the first", () => {
    const workspace = memoryWorkspace("/project", FILES);
    const hierarchy = createClassHierarchy(() => workspace.loaded, createProvenanceResolver({ ...workspace, hasDependencyTypes: () => false, declaredMemberNames: () => new Set(["send"]), autoImported: () => [] }, buildLibraryIndex([])));
    const port = workspace.files.find((f) => f.path === "src/port.ts")!.sourceFile;
    const owners = (type: ProjectType) => hierarchy.implementations(type, "send").map((body) => (body.parent as ts.ClassDeclaration).name!.text);
    expect(owners(port.statements[0] as ProjectType)).toEqual(["Deep", "Mid", "One", "Two", "Last"]);
    expect(owners(port.statements[1] as ProjectType)).toEqual(["Late"]);
  });
});
