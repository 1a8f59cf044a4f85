import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ts } from "ts-morph";
import { jsDocNeed } from "../../src/workspace/jsdoc-tags.js";
import { loadWorkspace, type WorkspaceScope } from "../../src/workspace/load-workspace.js";
import type { Workspace } from "../../src/workspace/workspace.js";
import { removeTree, writeTree } from "../support/temp-tree.js";

/** The JSDoc comments the parser attached to the first declaration named `name` in `file` (0: left unparsed). */
function jsDocCount(workspace: Workspace, file: string, name: string): number {
  const sourceFile = workspace.loaded.find((f) => f.fileName.endsWith(`/${file}`))?.sourceFile;
  if (sourceFile === undefined) throw new Error(`${file} is not loaded`);
  let found: ts.Node | undefined;
  const visit = (node: ts.Node): void => {
    const declared = (node as { name?: ts.Node }).name;
    if (found === undefined && declared !== undefined && ts.isIdentifier(declared) && declared.text === name) found = node;
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  if (found === undefined) throw new Error(`no ${name} in ${file}`);
  return (found as { jsDoc?: readonly ts.JSDoc[] }).jsDoc?.length ?? 0;
}

describe("which files' JSDoc a scan reads", () => {
  const policy = { classTags: ["restricted"], dataClasses: [{ tags: ["@PII"] }] };

  it("is every file's when the scope names no tag readers, else a file whose text has one of the tags", () => {
    expect(jsDocNeed({})("interface A { x: string }")).toBe(true);
    const needs = jsDocNeed(policy);
    expect(needs("/** The caller's number. @deprecated */ phone: string")).toBe(false);
    expect(needs("/** @Restricted phone */ device: string")).toBe(true);
    expect(needs("/** @pii */ phone: string")).toBe(true);
    // the JSDoc scanner decodes escapes in a tag's name
    expect(needs("/** @p\\u0069i */ phone: string")).toBe(true);
    expect(jsDocNeed({ classTags: [], dataClasses: [] })("/** @restricted */ phone: string")).toBe(false);
    // a non-ASCII tag name may lowercase by context: every file is read
    expect(jsDocNeed({ classTags: ["persönlich"], dataClasses: [] })("interface A { x: string }")).toBe(true);
  });

  describe("loading", () => {
    let root: string;
    beforeAll(() => {
      root = writeTree({
        "src/tagged.ts": "export interface Contact {\n  /** @pii */\n  phone: string;\n}\n",
        "src/plain.ts": "export interface Device {\n  /** The owner's number, E.164. @deprecated */\n  ownerPhone: string;\n}\n",
        "src/legacy.js": "/** @param {string} id */\nexport function findDevice(id) {\n  return id;\n}\n",
      });
    });
    afterAll(() => removeTree(root));
    const scope = (readers: Partial<WorkspaceScope>): WorkspaceScope => ({ include: ["src/**"], exclude: [], ...readers });

    it("parses a TypeScript file's JSDoc only when its text has a tag the policy reads; a JavaScript file's always", async () => {
      const workspace = await loadWorkspace(root, scope(policy));
      expect(jsDocCount(workspace, "src/tagged.ts", "phone")).toBe(1);
      expect(jsDocCount(workspace, "src/plain.ts", "ownerPhone")).toBe(0);
      expect(jsDocCount(workspace, "src/legacy.js", "findDevice")).toBe(1);
      const notPolicy = await loadWorkspace(root, scope({}));
      expect(jsDocCount(notPolicy, "src/plain.ts", "ownerPhone")).toBe(1);
    });

    it("does not share a file parsed without its JSDoc with a workspace whose policy reads a tag in it", async () => {
      const noTags = await loadWorkspace(root, scope({ classTags: [], dataClasses: [] }));
      expect(jsDocCount(noTags, "src/tagged.ts", "phone")).toBe(0);
      const tags = await loadWorkspace(root, scope(policy), { reuse: noTags });
      expect(jsDocCount(tags, "src/tagged.ts", "phone")).toBe(1);
      const byName = (w: Workspace, file: string) => w.loaded.find((f) => f.fileName.endsWith(file))?.sourceFile;
      expect(byName(tags, "src/tagged.ts")).not.toBe(byName(noTags, "src/tagged.ts"));
      expect(byName(tags, "src/plain.ts")).toBe(byName(noTags, "src/plain.ts"));
    });
  });
});
