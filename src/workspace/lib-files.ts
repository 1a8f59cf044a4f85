import { createRequire } from "node:module";
import { ts } from "ts-morph";
import { lazy } from "../lazy.js";

/**
 * Where the program finds TypeScript's lib declaration files (`lib.es2023.d.ts`…): a virtual directory, outside every
 * scan root and outside any `node_modules`, whose files come from memory, never from disk.
 */
export const LIB_DIRECTORY = "/__flowgate__/typescript/lib";

interface LibText {
  fileName: string;
  text: string;
}

/**
 * The texts of TypeScript's lib files as ts-morph bundles them (the runtime has no `typescript/lib` folder on disk),
 * looked up through ts-morph's own dependency so it is the compiler version ts-morph runs.
 */
function bundledLibTexts(): ReadonlyMap<string, string> {
  const requireFromTsMorph = createRequire(createRequire(import.meta.url).resolve("ts-morph"));
  const common = requireFromTsMorph("@ts-morph/common") as { getLibFiles(): LibText[] };
  return new Map(common.getLibFiles().map((lib) => [lib.fileName, lib.text]));
}

/**
 * A source of parsed lib files for one program: each is parsed on first request only (the options name one lib, which
 * references the others it needs).
 */
export function libFileSource(): (fileName: string) => ts.SourceFile | undefined {
  const texts = lazy(bundledLibTexts);
  const parsed = new Map<string, ts.SourceFile | undefined>();
  const prefix = `${LIB_DIRECTORY}/`;
  return (fileName) => {
    if (!fileName.startsWith(prefix)) return undefined;
    if (!parsed.has(fileName)) {
      const text = texts().get(fileName.slice(prefix.length));
      parsed.set(fileName, text === undefined ? undefined : ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS));
    }
    return parsed.get(fileName);
  };
}
