import { statSync } from "node:fs";
import path from "node:path";
import { ts } from "ts-morph";
import { UsageError } from "../errors.js";
import type { Notification } from "../result.js";
import { compareStrings } from "./find-files.js";
import { MAX_TREE_DEPTH, treeDepth } from "./nesting.js";
import { fileNotification } from "./notifications.js";
import { jsDocNeed } from "./jsdoc-tags.js";
import { parseSource, parsedWithoutJsDoc, scriptKindOf, workspaceOver } from "./program.js";
import { readSourceSet, tooDeep, type SourceSet, type SourceSetOptions, type WorkspaceScope } from "./source-set.js";
import type { ScannedFile, Workspace } from "./workspace.js";

export type { WorkspaceScope } from "./source-set.js";

export interface WorkspaceOptions extends SourceSetOptions {
  /** The files in scope, already read (update review reads them first to decide what to load). */
  sources?: SourceSet;
  /**
   * An earlier workspace over mostly the same files (update review: the head's, when loading the base under the same
   * root): a file with the same name and text is not parsed again but shared, so analyses keyed by syntax node can
   * recognise it.
   */
  reuse?: Workspace;
}

/**
 * Finds the files in scope and parses each once; the program over them (for the type checker) is created only when
 * something asks for it. Without the scanned project's dependencies, it works on a bare checkout (no `npm install`, no
 * build, no network). Problems with single files or configs become notifications and the rest is still loaded; only a
 * root that is not a directory stops the scan (UsageError).
 */
export async function loadWorkspace(root: string, scope: WorkspaceScope, options: WorkspaceOptions = {}): Promise<Workspace> {
  assertDirectory(root);
  const sources = options.sources ?? (await readSourceSet(root, scope, options));
  const { tsconfigs } = sources;
  const notifications = [...sources.notifications];
  const texts = sources.texts;
  const earlier = new Map((options.reuse?.sourceFiles ?? []).map((sf) => [sf.fileName, sf]));

  const needsJsDoc = jsDocNeed(scope);

  const loaded = new Map<string, ts.SourceFile>();
  for (const [relative, text] of texts) {
    const fileName = path.join(root, relative);
    const same = earlier.get(fileName);
    const withJsDoc = needsJsDoc(text);
    // the earlier workspace's policy may read other tags (update review: the base's policy judges the head)
    if (same !== undefined && same.text === text && !(withJsDoc && parsedWithoutJsDoc(same))) {
      loaded.set(relative, same);
      continue;
    }
    let sourceFile;
    try {
      sourceFile = parseSource(fileName, text, withJsDoc);
    } catch (error) {
      // other deep shapes (chains of arrows, braceless ifs) can still exhaust the parser's stack
      if (!(error instanceof RangeError)) throw error;
      notifications.push(tooDeep(relative, "nests too deeply for the parser"));
      continue;
    }
    // the binder, the checker and the engine recurse too: a tree deeper than they can take is skipped as well
    if (treeDepth(sourceFile) > MAX_TREE_DEPTH) {
      notifications.push(tooDeep(relative, `nests too deeply: its syntax tree is over ${MAX_TREE_DEPTH} levels deep`));
      continue;
    }
    loaded.set(relative, sourceFile);
  }
  const workspace = workspaceOver({
    root,
    loaded,
    projectOptions: tsconfigs.projectOptions,
    optionsFor: tsconfigs.optionsFor,
    notifications,
    filesSkipped: sources.inScope.length - loaded.size,
    imported: sources.imported,
    ownPackages: sources.ownPackages,
    workspacePackages: sources.workspacePackages,
  });
  for (const [file, problem] of firstSyntaxErrors(workspace.files)) notifications.push(parseErrorNotification(file, problem));
  notifications.sort(compareNotifications);
  return workspace;
}

/**
 * The first syntax error of each file that has one, as the compiler reports them (parse errors, and in JavaScript
 * files TypeScript-only syntax). Asked of a throwaway program that resolves nothing, so it costs no module resolution
 * and leaves the workspace's own program lazy; it holds only the files that can have one (see mayHaveSyntaxErrors).
 */
function firstSyntaxErrors(files: readonly ScannedFile[]): Map<ScannedFile, ts.DiagnosticWithLocation> {
  const candidates = files.filter((file) => mayHaveSyntaxErrors(file.sourceFile));
  if (candidates.length === 0) return new Map();
  const byName = new Map(candidates.map((file) => [file.sourceFile.fileName, file.sourceFile]));
  const host: ts.CompilerHost = {
    getSourceFile: (fileName) => byName.get(fileName),
    getDefaultLibFileName: () => "/__flowgate_no_lib__.d.ts",
    writeFile: () => undefined,
    getCurrentDirectory: () => "/",
    getCanonicalFileName: (fileName) => fileName,
    useCaseSensitiveFileNames: () => true,
    getNewLine: () => "\n",
    fileExists: (fileName) => byName.has(fileName),
    readFile: () => undefined,
    resolveModuleNameLiterals: (literals) => literals.map(() => ({ resolvedModule: undefined })),
  };
  const program = ts.createProgram({ rootNames: [...byName.keys()], options: SYNTAX_ONLY_OPTIONS, host });
  const errors = new Map<ScannedFile, ts.DiagnosticWithLocation>();
  for (const file of candidates) {
    const problem = program.getSyntacticDiagnostics(file.sourceFile)[0];
    if (problem) errors.set(file, problem);
  }
  return errors;
}

/**
 * A TypeScript file's syntactic diagnostics are the errors its parser recorded (the SourceFile's `parseDiagnostics`, an
 * internal field: if a compiler version lacks it, every file is a candidate); a JavaScript file's also include
 * TypeScript-only syntax, which only the program's check finds.
 */
function mayHaveSyntaxErrors(sourceFile: ts.SourceFile): boolean {
  const kind = scriptKindOf(sourceFile.fileName);
  if (kind === ts.ScriptKind.JS || kind === ts.ScriptKind.JSX) return true;
  const recorded = (sourceFile as { parseDiagnostics?: readonly unknown[] }).parseDiagnostics;
  return recorded === undefined || recorded.length > 0;
}

const SYNTAX_ONLY_OPTIONS: ts.CompilerOptions = { allowJs: true, noLib: true, noResolve: true, noEmit: true, types: [] };

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
