import path from "node:path";
import type { ts } from "ts-morph";
import { effectiveOptions } from "../../src/workspace/compiler-options.js";
import { parseSource, workspaceOver } from "../../src/workspace/program.js";
import type { Workspace } from "../../src/workspace/workspace.js";

/**
 * A workspace over in-memory files (paths relative to `root`), built the way loadWorkspace builds one: each file parsed
 * once, flowgate's forced compiler options over `compilerOptions`, project-only module resolution, the program lazy.
 * Declaration files (`node_modules/x/index.d.ts`) join the program only, like a project's own .d.ts files.
 */
export function memoryWorkspace(root: string, files: Record<string, string>, compilerOptions?: ts.CompilerOptions): Workspace {
  const options = effectiveOptions(compilerOptions);
  const loaded = new Map<string, ts.SourceFile>();
  for (const relative of Object.keys(files).sort()) loaded.set(relative, parseSource(path.posix.join(root, relative), files[relative] as string));
  return workspaceOver({ root, loaded, projectOptions: options, optionsFor: () => options, notifications: [] });
}
