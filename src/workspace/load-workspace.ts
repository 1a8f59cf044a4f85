import { statSync } from "node:fs";
import path from "node:path";
import { Project, ts } from "ts-morph";
import { UsageError } from "../errors.js";
import type { Notification } from "../result.js";
import { compareStrings, isDeclarationFile } from "./find-files.js";
import { projectOnlyResolution } from "./module-resolution.js";
import { MAX_TREE_DEPTH, treeDepth } from "./nesting.js";
import { fileNotification } from "./notifications.js";
import { readSourceSet, tooDeep, type SourceSet, type SourceSetOptions, type WorkspaceScope } from "./source-set.js";
import type { ScannedFile, Workspace } from "./workspace.js";

export type { WorkspaceScope } from "./source-set.js";

export interface WorkspaceOptions extends SourceSetOptions {
  /** The files in scope, already read (update review reads them first to decide what to load). */
  sources?: SourceSet;
}

/**
 * Finds the files in scope and builds one ts-morph Project over them, without the scanned project's dependencies:
 * it works on a bare checkout (no `npm install`, no build, no network). Problems with single files or configs become
 * notifications and the rest is still loaded; only a root that is not a directory stops the scan (UsageError).
 * With `only`, just those files are loaded (update review's scope); `filesSkipped` counts what could not be loaded.
 */
export async function loadWorkspace(root: string, scope: WorkspaceScope, options: WorkspaceOptions = {}): Promise<Workspace> {
  assertDirectory(root);
  const sources = options.sources ?? (await readSourceSet(root, scope, options));
  const { tsconfigs } = sources;
  const notifications = [...sources.notifications];
  const texts = options.only === undefined ? sources.texts : new Map([...sources.texts].filter(([file]) => options.only?.has(file)));
  const wanted = options.only === undefined ? sources.inScope : sources.inScope.filter((file) => options.only?.has(file));

  const loaded = [...texts.keys()];
  const project = new Project({
    compilerOptions: tsconfigs.projectOptions,
    skipAddingFilesFromTsConfig: true,
    skipFileDependencyResolution: true,
    resolutionHost: projectOnlyResolution(root, loaded, tsconfigs.optionsFor),
  });
  const files: ScannedFile[] = [];
  for (const relative of [...loaded]) {
    let sourceFile;
    try {
      sourceFile = project.createSourceFile(path.join(root, relative), texts.get(relative) as string, { overwrite: true });
    } catch (error) {
      // other deep shapes (chains of arrows, braceless ifs) can still exhaust the parser's stack
      if (!(error instanceof RangeError)) throw error;
      notifications.push(tooDeep(relative, "nests too deeply for the parser"));
      loaded.splice(loaded.indexOf(relative), 1);
      continue;
    }
    const depth = treeDepth(sourceFile.compilerNode);
    if (depth > MAX_TREE_DEPTH) {
      notifications.push(tooDeep(relative, `nests too deeply: its syntax tree is over ${MAX_TREE_DEPTH} levels deep`));
      project.removeSourceFile(sourceFile);
      loaded.splice(loaded.indexOf(relative), 1);
      continue;
    }
    if (!isDeclarationFile(relative)) files.push({ path: relative, sourceFile: sourceFile.compilerNode });
  }
  const program = project.getProgram().compilerObject;
  for (const file of files) {
    const problem = program.getSyntacticDiagnostics(file.sourceFile)[0];
    if (problem) notifications.push(parseErrorNotification(file, problem));
  }
  return {
    root,
    project,
    files: files.sort((a, b) => compareStrings(a.path, b.path)),
    filesSkipped: wanted.length - loaded.length,
    notifications: notifications.sort(compareNotifications),
  };
}

function assertDirectory(root: string): void {
  let isDirectory = false;
  try {
    isDirectory = statSync(root).isDirectory();
  } catch {
    throw new UsageError(`scan root ${root} does not exist`);
  }
  if (!isDirectory) throw new UsageError(`scan root ${root} is not a directory`);
}

/** A syntax error: the parser recovers, so the file is still analysed as far as it could be read. */
function parseErrorNotification(file: ScannedFile, diagnostic: ts.DiagnosticWithLocation): Notification {
  const position = file.sourceFile.getLineAndCharacterOfPosition(diagnostic.start);
  const line = position.line + 1;
  const column = position.character + 1;
  const reason = ts.flattenDiagnosticMessageText(diagnostic.messageText, " ");
  const base = fileNotification("parse-error", "warning", file.path, "");
  return {
    ...base,
    message: `${file.path}:${line}:${column}: does not parse (${reason}); analysed as far as the parser recovered`,
    location: { file: file.path, startLine: line, startColumn: column, endLine: line, endColumn: column },
  };
}

function compareNotifications(a: Notification, b: Notification): number {
  const fileA = a.location?.file ?? "";
  const fileB = b.location?.file ?? "";
  return (
    compareStrings(fileA, fileB) ||
    (a.location?.startLine ?? 0) - (b.location?.startLine ?? 0) ||
    compareStrings(a.id, b.id) ||
    compareStrings(a.message, b.message)
  );
}
