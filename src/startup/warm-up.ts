import { ts } from "ts-morph";
import { knownModels, knownPacks, loadShippedModel, loadShippedPack } from "../config/packs.js";
import { shippedSchemas } from "../config/schema-validation.js";
import { engineIdentity } from "../cache/cache-key.js";
import { loadRuleCatalog } from "../findings/rule-catalog.js";
import { effectiveOptions } from "../workspace/compiler-options.js";
import { lazyProgram } from "../workspace/program.js";

/**
 * What every scan computes first, computed once into the startup snapshot (bundle.ts) so a process started from it
 * begins past it: the shipped schemas compiled, every built-in pack and library model and the rule catalogue loaded
 * (each through its per-process memo, config/shipped.ts), and ECMAScript's lib files parsed and bound (lib-files.ts) by
 * the checker of a program over one empty file, and the hash of flowgate's own code and rules that names a cache
 * entry's environment (cache-key.ts). Only flowgate's own files are read; nothing of a scanned project.
 */
export function warmUp(): void {
  const schemas = shippedSchemas();
  void [schemas["flowgate.config"], schemas.pack, schemas.model];
  for (const name of knownPacks()) loadShippedPack(name);
  for (const name of knownModels()) loadShippedModel(name);
  loadRuleCatalog();
  engineIdentity();
  bindLibFiles();
}

function bindLibFiles(): void {
  const root = "/__flowgate__/warm-up";
  const empty = ts.createSourceFile(`${root}/empty.ts`, "export {};\n", ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const access = lazyProgram({
    root,
    files: [{ fileName: empty.fileName, sourceFile: empty }],
    options: effectiveOptions(undefined),
    resolve: (specifiers) => specifiers.map(() => undefined),
  });
  // Creating the checker binds every file of the program, the lib files among them, and merges their globals.
  access.checker();
}
