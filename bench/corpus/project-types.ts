import path from "node:path";
import ts from "typescript";

/**
 * The type packages a project's tsconfig brings into its program, resolved as tsc resolves them for that tsconfig:
 * the ones its `types` names, or, without `types`, every package under the `node_modules/@types` folders above it.
 * tsc resolves both from the directory of the config it is given; the corpus gives it a generated config in a scratch
 * directory outside the checkout (nothing is written into the scanned tree), from where no package is found — each
 * named one is then a global error (TS2688) and tsc checks nothing, and the unnamed ones are silently left out. So the
 * generated config lists the declaration files found here and names in `types` only those no package answers (tsc
 * reports them as it would in the project).
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
  return { files, unresolved };
}
