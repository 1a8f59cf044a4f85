import { ts } from "ts-morph";
import { describe, expect, it } from "vitest";
import { effectiveOptions } from "../../src/workspace/compiler-options.js";
import { moduleNamesOf, moduleReferencesOf, type ModuleReferences } from "../../src/workspace/module-references.js";
import { memoryWorkspace } from "../support/memory-workspace.js";

// A checker that reads a file when it first reaches it collects the file's module references itself, as the program
// collects them when it is created (module-references.ts transcribes the compiler's collection): the same specifiers,
// synthetic imports, augmentations and ambient module names, in the same order, for every kind of file.

const FILES: Record<string, string> = {
  "/p/src/module.ts": `import a from "./a";
import type { B } from "@lib/b";
export * from "./c";
export { d } from "./d";
import e = require("./e");
const f = await import("./f");
type G = import("./g").G;
declare module "./a" { interface A { extra: 1 } }
declare global { interface Window { x: 1 } }
export const all = [a, e, f] as const;
`,
  "/p/src/view.tsx": `import { helper } from "./helper";\nexport const view = <div>{helper()}</div>;\n`,
  "/p/src/script.ts": `declare const GLOBAL: 1;\nfunction later() { return import("./lazy"); }\n`,
  "/p/src/types.d.ts": `declare module "ambient-one" { import { x } from "ambient-two"; import { y } from "./relative"; export const z: typeof x; }
declare module "ambient-two" { export const x: 1 }
declare module "*.svg" { const url: string; export default url; }
`,
  "/p/src/augment.d.ts": `import "./base";\ndeclare module "./base" { interface Base { more: 1 } }\ndeclare module "pkg" { export const p: 1 }\n`,
  "/p/src/legacy.js": `const util = require("./util");\nconst { x } = require("pkg");\nmodule.exports = async () => import("./late");\n`,
  "/p/src/empty.ts": ``,
};

/** What a comparison sees of the references: texts, whether synthetic, and each name's resolution mode. */
function shape(file: ts.SourceFile, references: ModuleReferences, options: ts.CompilerOptions) {
  return {
    imports: references.imports.map((name) => [name.text, name.pos < 0, ts.getModeForUsageLocation(file, name, options)]),
    moduleAugmentations: references.moduleAugmentations.map((name) => name.text),
    ambientModuleNames: [...references.ambientModuleNames],
    names: moduleNamesOf(references).map((name) => name.text),
  };
}

/** The files as a workspace holds them (flowgate's forced options over `options`), every tree parsed. */
function workspaceOf(options: ts.CompilerOptions) {
  const relative = Object.fromEntries(Object.entries(FILES).map(([fileName, text]) => [fileName.slice("/p/".length), text]));
  return memoryWorkspace("/p", relative, options);
}

describe("a file's module references, collected as the program collects them", () => {
  for (const [label, extra] of [
    ["flowgate's options", {}],
    ["the automatic JSX runtime and importHelpers", { jsx: ts.JsxEmit.ReactJSX, importHelpers: true }],
    ["a JSX import source", { jsx: ts.JsxEmit.ReactJSXDev, jsxImportSource: "preact" }],
  ] as const) {
    it(`with ${label}`, () => {
      const options = effectiveOptions(extra);
      // the program collects every file's references when it is created
      const byProgram = workspaceOf(extra);
      byProgram.program();
      const byHand = workspaceOf(extra);
      for (const file of byHand.loaded) {
        const theirs = byProgram.loaded.find((f) => f.path === file.path)!.sourceFile;
        const tree = file.sourceFile;
        expect(shape(tree, moduleReferencesOf(tree, options), options), file.path).toEqual(shape(theirs, theirs as unknown as ModuleReferences, options));
      }
      const view = moduleReferencesOf(byHand.loaded.find((f) => f.path === "src/view.tsx")!.sourceFile, options);
      expect(view.imports.some((name) => name.pos < 0)).toBe("jsx" in extra);
    });
  }
});
