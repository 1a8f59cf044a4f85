import path from "node:path";
import type { ts } from "ts-morph";
import { effectiveOptions } from "../../src/workspace/compiler-options.js";
import { parseSource, workspaceOver } from "../../src/workspace/program.js";
import { ScannedFile } from "../../src/workspace/scanned-file.js";
import type { Workspace } from "../../src/workspace/workspace.js";

/**
 * A workspace over in-memory files (paths relative to `root`), built the way loadWorkspace builds one: each file parsed
 * once, flowgate's forced compiler options over `compilerOptions`, project-only module resolution, the program lazy.
 * Declaration files (`node_modules/x/index.d.ts`) join the program only, like a project's own .d.ts files. `parsed`
 * false: each file is parsed when its tree is first read, as loadWorkspace loads a file whose parse verdict it knows.
 */
export function memoryWorkspace(root: string, files: Record<string, string>, compilerOptions?: ts.CompilerOptions, parsed = true): Workspace {
  const options = effectiveOptions(compilerOptions);
  const loaded = new Map<string, ScannedFile>();
  for (const relative of Object.keys(files).sort()) {
    const fileName = path.posix.join(root, relative);
    const text = files[relative] as string;
    loaded.set(relative, new ScannedFile(relative, fileName, text, true, parsed ? parseSource(fileName, text) : undefined));
  }
  return workspaceOver({ root, loaded, projectOptions: options, optionsFor: () => options, notifications: [] });
}
