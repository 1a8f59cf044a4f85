import { ts } from "ts-morph";
import { declaresAmbient } from "./import-graph.js";
import type { ScannedFile } from "./scanned-file.js";

/**
 * Whether other files see the file's declarations without importing it — a declaration file, a script (not an ES
 * module), a module that declares ambient modules or globals — so that the checker's answers about any file may depend
 * on it (narrow-checker.ts reads every such file up front).
 */
export function seenWithoutImport(sf: ts.SourceFile): boolean {
  return sf.isDeclarationFile || !ts.isExternalModule(sf) || declaresAmbient(sf);
}

/**
 * The verdict memoised per loaded file: taken from `known` (a cache entry's, for a file whose text it was computed
 * from) when it has it — the file's tree is then not read —, else read from the file's tree. The verdict depends on the
 * file's text and name alone (its parse: program.ts `parseSource`), so an entry's holds for the same text.
 */
export function seenWithoutImportMemo(known: (file: ScannedFile) => boolean | undefined = () => undefined): (file: ScannedFile) => boolean {
  const verdicts = new Map<ScannedFile, boolean>();
  return (file) => {
    let verdict = verdicts.get(file);
    if (verdict === undefined) verdicts.set(file, (verdict = known(file) ?? seenWithoutImport(file.sourceFile)));
    return verdict;
  };
}
