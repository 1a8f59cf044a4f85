import { statSync } from "node:fs";
import path from "node:path";
import { Project, ts } from "ts-morph";
import { UsageError } from "../errors.js";
import type { Notification } from "../result.js";
import { compareStrings, findFiles, isDeclarationFile } from "./find-files.js";
import { projectOnlyResolution } from "./module-resolution.js";
import { fileNotification } from "./notifications.js";
import { MAX_FILE_BYTES, readSource } from "./read-source.js";
import { readTsconfigs } from "./tsconfigs.js";
import { MAX_NESTING_DEPTH, MAX_TREE_DEPTH, nestingDepth, treeDepth } from "./nesting.js";
import type { ScannedFile, Workspace } from "./workspace.js";

export interface WorkspaceScope {
  include: string[];
  exclude: string[];
}

export interface WorkspaceOptions {
  /** Files larger than this many bytes are skipped with a notification (default MAX_FILE_BYTES, 5 MB). */
  maxFileBytes?: number;
}

/**
 * Finds the files in scope and builds one ts-morph Project over them, without the scanned project's dependencies:
 * it works on a bare checkout (no `npm install`, no build, no network). Problems with single files or configs become
 * notifications and the rest is still loaded; only a root that is not a directory stops the scan (UsageError).
 */
export async function loadWorkspace(root: string, scope: WorkspaceScope, options: WorkspaceOptions = {}): Promise<Workspace> {
  assertDirectory(root);
  const found = await findFiles(root, scope.include, scope.exclude);
  const tsconfigs = readTsconfigs(root, found.tsconfigs);
  const notifications: Notification[] = [...found.notifications, ...tsconfigs.notifications];
  const inScope = found.files.filter((file) => !tsconfigs.outDirs.some((dir) => file.startsWith(`${dir}/`)));

  const texts = new Map<string, string>();
  for (const relative of inScope) {
    const read = readSource(path.join(root, relative), relative, options.maxFileBytes ?? MAX_FILE_BYTES);
    if (read.notification) notifications.push(read.notification);
    if (!read.ok) continue;
    // nesting deeper than the parser's stack allows: skipped, named, never a crash (docs/hardening.md)
    const depth = nestingDepth(read.text);
    if (depth > MAX_NESTING_DEPTH) {
      notifications.push(tooDeep(relative, `nests brackets ${depth} levels deep, over the limit of ${MAX_NESTING_DEPTH}`));
    } else {
      texts.set(relative, read.text);
    }
  }

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
    filesSkipped: inScope.length - loaded.length,
    notifications: notifications.sort(compareNotifications),
  };
}

function tooDeep(relative: string, why: string): Notification {
  return fileNotification("nesting-too-deep", "warning", relative, `${why}; not scanned`);
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
