import path from "node:path";
import ts from "typescript";

/**
 * The declarations a project's tsconfig brings into its program besides the code, which the corpus's generated
 * project (the scanned files only) would otherwise lack, found as tsc finds them for that tsconfig:
 * - the type packages its `types` names, or, without `types`, every package under the `node_modules/@types` folders
 *   above it. tsc resolves both from the directory of the config it is given; the corpus gives it a generated config
 *   in a scratch directory outside the checkout (nothing is written into the scanned tree), from where no package is
 *   found — each named one is then a global error (TS2688) and tsc checks nothing, and the unnamed ones are silently
 *   left out. Names no package answers are returned apart, for `types` (tsc reports them as it would in the project);
 * - the project's own declaration files among its `include` (outline's `app/typings/*.d.ts` type its styled-components
 *   theme for every file; without them each use of the theme is an error, 500 of outline's with its dependencies).
 */
export function projectTypes(tsconfig: string): { files: string[]; unresolved: string[] } {
  const parsed = ts.getParsedCommandLineOfConfigFile(tsconfig, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
  if (!parsed) return { files: [], unresolved: [] };
  const options = parsed.options;
  const names = options.types ?? ts.getAutomaticTypeDirectiveNames(options, ts.sys);
  // The file tsc resolves a config's type names from: a made-up one in the config's own directory.
  const from = path.join(path.dirname(tsconfig), "__inferred type names__.ts");
  const files: string[] = [];
  const unresolved: string[] = [];
  for (const name of names) {
    const resolved = ts.resolveTypeReferenceDirective(name, from, options, ts.sys).resolvedTypeReferenceDirective?.resolvedFileName;
    if (resolved) files.push(resolved);
    else unresolved.push(name);
  }
  const ownDeclarations = parsed.fileNames.filter((file) => /\.d\.[cm]?ts$/.test(file) && !file.split(/[\\/]/).includes("node_modules"));
  return { files: [...files, ...ownDeclarations], unresolved };
}
