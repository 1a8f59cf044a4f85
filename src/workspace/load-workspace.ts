import { statSync } from "node:fs";
import path from "node:path";
import { ts } from "ts-morph";
import { UsageError } from "../errors.js";
import type { Notification } from "../result.js";
import { compareStrings, isDeclarationFile } from "./find-files.js";
import { MAX_TREE_DEPTH, treeDepth } from "./nesting.js";
import { fileNotification } from "./notifications.js";
import { jsDocNeed } from "./jsdoc-tags.js";
import type { LoadedVerdict, ParseVerdict, SyntaxProblem } from "./parse-verdicts.js";
import { parseSource, scriptKindOf, workspaceOver } from "./program.js";
import { ScannedFile } from "./scanned-file.js";
import { readSourceSet, tooDeep, type SourceSet, type SourceSetOptions, type WorkspaceScope } from "./source-set.js";
import type { Workspace } from "./workspace.js";

export type { WorkspaceScope } from "./source-set.js";

export interface WorkspaceOptions extends SourceSetOptions {
  /** The files in scope, already read (update review reads them first to decide what to load). */
  sources?: SourceSet;
  /**
   * An earlier workspace over mostly the same files (update review: the head's, when loading the base under the same
   * root): a file with the same name and text is not loaded again but shared (its tree too, parsed or when parsed), so
   * analyses keyed by syntax node or by file can recognise it.
   */
  reuse?: Workspace;
}

/**
 * Finds the files in scope and loads each once: parsed when something first reads its tree, or at once when its parse
 * verdict is not known (scanned-file.ts); the program over them (for the type checker) is created only when
 * something asks for it. Whether a file is too deep to load and its first syntax error are taken from earlier runs'
 * verdicts on its text when the source set has them (parse-verdicts.ts), else found out and told to them. Without the
 * scanned project's dependencies, it works on a bare checkout (no `npm install`, no build, no network). Problems with
 * single files or configs become notifications and the rest is still loaded; only a root that is not a directory stops
 * the scan (UsageError).
 */
export async function loadWorkspace(root: string, scope: WorkspaceScope, options: WorkspaceOptions = {}): Promise<Workspace> {
  assertDirectory(root);
  const sources = options.sources ?? (await readSourceSet(root, scope, options));
  const { tsconfigs } = sources;
  const notifications = [...sources.notifications];
  const texts = sources.texts;
  const earlier = new Map((options.reuse?.loaded ?? []).map((file) => [file.fileName, file]));

  const needsJsDoc = jsDocNeed(scope);
  const verdicts = sources.parses;
  const skip = (relative: string, text: string, why: string, known: ParseVerdict | undefined): void => {
    notifications.push(tooDeep(relative, why));
    if (known === undefined) verdicts?.found(relative, text, { deep: why });
  };

  const loaded = new Map<string, ScannedFile>();
  // the loaded files' verdicts from earlier runs; those without one are checked for syntax errors below
  const knownVerdicts = new Map<string, LoadedVerdict>();
  for (const [relative, text] of texts) {
    const known = verdicts?.verdictOn(relative, text);
    if (known !== undefined && "deep" in known) {
      skip(relative, text, known.deep, known);
      continue;
    }
    if (known !== undefined) knownVerdicts.set(relative, known);
    const fileName = path.join(root, relative);
    const same = earlier.get(fileName);
    const withJsDoc = needsJsDoc(text);
    // the earlier workspace's policy may read other tags (update review: the base's policy judges the head)
    if (same !== undefined && same.text === text && !(withJsDoc && !same.withJsDoc)) {
      loaded.set(relative, same);
      continue;
    }
    // a text judged before parses as it did then: its tree waits for its first reader
    if (known !== undefined) {
      loaded.set(relative, new ScannedFile(relative, fileName, text, withJsDoc));
      continue;
    }
    let sourceFile;
    try {
      sourceFile = parseSource(fileName, text, withJsDoc);
    } catch (error) {
      // other deep shapes (chains of arrows, braceless ifs) can still exhaust the parser's stack
      if (!(error instanceof RangeError)) throw error;
      skip(relative, text, "nests too deeply for the parser", known);
      continue;
    }
    // the binder, the checker and the engine recurse too: a tree deeper than they can take is skipped as well
    if (treeDepth(sourceFile) > MAX_TREE_DEPTH) {
      skip(relative, text, `nests too deeply: its syntax tree is over ${MAX_TREE_DEPTH} levels deep`, known);
      continue;
    }
    loaded.set(relative, new ScannedFile(relative, fileName, text, withJsDoc, sourceFile));
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
  const unknown = [...loaded].filter(([relative]) => !knownVerdicts.has(relative)).map(([, file]) => file.sourceFile);
  const found = firstSyntaxErrors(unknown);
  for (const [relative, file] of loaded) {
    const known = knownVerdicts.get(relative);
    const problem = known !== undefined ? known.error : found.get(file.sourceFile);
    if (known === undefined) verdicts?.found(relative, file.text, problem ? { error: problem } : {});
    // a declaration file's syntax errors are the checker's business, as before: only code files get a note
    if (problem && !isDeclarationFile(relative)) notifications.push(parseErrorNotification(relative, problem));
  }
  if (verdicts) notifications.push(...verdicts.keep());
  notifications.sort(compareNotifications);
  return workspace;
}

/**
 * The first syntax error of each file that has one, as the compiler reports them (parse errors, and in JavaScript
 * files TypeScript-only syntax). Asked of a throwaway program that resolves nothing, so it costs no module resolution
 * and leaves the workspace's own program lazy; it holds only the files that can have one (see mayHaveSyntaxErrors).
 */
function firstSyntaxErrors(files: readonly ts.SourceFile[]): Map<ts.SourceFile, SyntaxProblem> {
  const candidates = files.filter(mayHaveSyntaxErrors);
  if (candidates.length === 0) return new Map();
  const byName = new Map(candidates.map((file) => [file.fileName, file]));
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
  const errors = new Map<ts.SourceFile, SyntaxProblem>();
  for (const file of candidates) {
    const problem = program.getSyntacticDiagnostics(file)[0];
    if (problem === undefined) continue;
    const position = file.getLineAndCharacterOfPosition(problem.start);
    errors.set(file, { line: position.line + 1, column: position.character + 1, reason: ts.flattenDiagnosticMessageText(problem.messageText, " ") });
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
function parseErrorNotification(file: string, { line, column, reason }: SyntaxProblem): Notification {
  const base = fileNotification("parse-error", "warning", file, "");
  return {
    ...base,
    message: `${file}:${line}:${column}: does not parse (${reason}); analysed as far as the parser recovered`,
    location: { file, startLine: line, startColumn: column, endLine: line, endColumn: column },
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
