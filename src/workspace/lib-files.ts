import { ts } from "ts-morph";
import { oncePerName } from "../config/shipped.js";
import { lazy } from "../lazy.js";
import { compilerPackage } from "./compiler-package.js";

/**
 * Where the program finds TypeScript's lib declaration files (`lib.es2023.d.ts`…): a virtual directory, outside every
 * scan root and outside any `node_modules`, whose files come from memory, never from disk.
 */
export const LIB_DIRECTORY = "/__flowgate__/typescript/lib";

/**
 * TypeScript's lib files as ts-morph bundles them, for the compiler version ts-morph runs. A lib's `text` is read only
 * when that lib is parsed: in the startup snapshot's bundle it comes from a file (src/startup/lib-texts.ts).
 */
const bundledLibs = lazy(
  (): ReadonlyMap<string, { readonly text: string }> => new Map(compilerPackage().getLibFiles().map((lib) => [lib.fileName, lib])),
);

/**
 * Each lib file parsed once per process, on first request (the options name one lib, which references the others it
 * needs). The programs of one process — an update review creates two or three, a startup snapshot one to warm up
 * (src/startup) — share these SourceFile objects, as TypeScript's language service shares them between projects: the
 * binder binds a file once and each checker keeps its own links, so sharing changes no answer, and it saves the parse
 * and bind of ~56k lines of declarations per program. The options are flowgate's own (compiler-options.ts), the same
 * for every program.
 */
const parsedLibFile = oncePerName((baseName): ts.SourceFile | undefined => {
  const lib = bundledLibs().get(baseName);
  return lib === undefined
    ? undefined
    : ts.createSourceFile(`${LIB_DIRECTORY}/${baseName}`, lib.text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
});

/** The parsed lib file for a name in {@link LIB_DIRECTORY}; undefined for any other name or a lib that does not exist. */
export function libFile(fileName: string): ts.SourceFile | undefined {
  const prefix = `${LIB_DIRECTORY}/`;
  return fileName.startsWith(prefix) ? parsedLibFile(fileName.slice(prefix.length)) : undefined;
}
