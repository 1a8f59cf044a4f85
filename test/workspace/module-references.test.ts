import { ts } from "ts-morph";
import { describe, expect, it } from "vitest";
import { effectiveOptions } from "../../src/workspace/compiler-options.js";
import { moduleNamesOf, moduleReferencesOf, type ModuleReferences } from "../../src/workspace/module-references.js";
import { parseSource } from "../../src/workspace/program.js";

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

function program(files: ReadonlyMap<string, ts.SourceFile>, options: ts.CompilerOptions): ts.Program {
  const host: ts.CompilerHost = {
    getSourceFile: (fileName) => files.get(fileName),
    getDefaultLibFileName: () => "/lib/lib.d.ts",
    writeFile: () => undefined,
    getCurrentDirectory: () => "/p",
    getCanonicalFileName: (fileName) => fileName,
    useCaseSensitiveFileNames: () => true,
    getNewLine: () => "\n",
    fileExists: (fileName) => files.has(fileName),
    readFile: () => undefined,
    resolveModuleNameLiterals: (literals) => literals.map(() => ({ resolvedModule: undefined })),
  };
  return ts.createProgram({ rootNames: [...files.keys()], options: { ...options, noLib: true }, host });
}

/** What a comparison sees of the references: texts, whether synthetic, and each name's resolution mode. */
function shape(file: ts.SourceFile, references: ModuleReferences, options: ts.CompilerOptions) {
  return {
    imports: references.imports.map((name) => [name.text, name.pos < 0, ts.getModeForUsageLocation(file, name, options)]),
    moduleAugmentations: references.moduleAugmentations.map((name) => name.text),
    ambientModuleNames: [...references.ambientModuleNames],
    names: moduleNamesOf(references).map((name) => name.text),
  };
}

function parsedAll(): Map<string, ts.SourceFile> {
  return new Map(Object.entries(FILES).map(([fileName, text]) => [fileName, parseSource(fileName, text)]));
}

describe("a file's module references, collected as the program collects them", () => {
  for (const [label, extra] of [
    ["flowgate's options", {}],
    ["the automatic JSX runtime and importHelpers", { jsx: ts.JsxEmit.ReactJSX, importHelpers: true }],
    ["isolatedModules", { isolatedModules: true, jsx: ts.JsxEmit.ReactJSXDev, jsxImportSource: "preact" }],
  ] as const) {
    it(`with ${label}`, () => {
      const options = { ...effectiveOptions(undefined), ...extra } as ts.CompilerOptions;
      const byProgram = parsedAll();
      program(byProgram, options);
      const byHand = parsedAll();
      for (const [fileName, file] of byHand) {
        const theirs = byProgram.get(fileName)!;
        expect(shape(file, moduleReferencesOf(file, options), options), fileName).toEqual(shape(theirs, theirs as unknown as ModuleReferences, options));
      }
      const view = moduleReferencesOf(byHand.get("/p/src/view.tsx")!, options);
      if ("jsx" in extra) expect(view.imports.some((name) => name.pos < 0)).toBe(true);
    });
  }
});
