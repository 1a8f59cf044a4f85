import { readdirSync } from "node:fs";
import path from "node:path";
import { ts } from "ts-morph";
import type { Notification } from "../result.js";
import { compareStrings, isDeclarationFile } from "./find-files.js";
import { LIB_DIRECTORY, libFile } from "./lib-files.js";
import { createProjectResolver, type ProjectResolver } from "./module-resolution.js";
import type { WorkspacePackage } from "./own-packages.js";
import type { Workspace } from "./workspace.js";
import type { ScannedFile } from "./scanned-file.js";
import { lazy } from "../lazy.js";
import { setParentPointers } from "./parent-pointers.js";
import { keepingSymbols } from "./kept-symbols.js";
import { frameworkAliases } from "./framework-aliases.js";

/** The script kind a file's extension gives it (`.d.ts` is TS). */
export function scriptKindOf(fileName: string): ts.ScriptKind {
  switch (path.extname(fileName).toLowerCase()) {
    case ".tsx":
      return ts.ScriptKind.TSX;
    case ".js":
    case ".mjs":
    case ".cjs":
      return ts.ScriptKind.JS;
    case ".jsx":
      return ts.ScriptKind.JSX;
    default:
      return ts.ScriptKind.TS;
  }
}

/**
 * Parses one file (its absolute name) with parent pointers: the only parse a file gets in a scan. The pointers are set
 * by parent-pointers.ts, the parser's own pointers for less work. Without `withJsDoc` a TypeScript file's JSDoc
 * comments are left unparsed, as plain comments (jsdoc-tags.ts says when nothing reads them); a JavaScript file's
 * always are parsed, since the checker types it from them.
 */
export function parseSource(fileName: string, text: string, withJsDoc = true): ts.SourceFile {
  const jsDocParsingMode = withJsDoc ? ts.JSDocParsingMode.ParseAll : ts.JSDocParsingMode.ParseForTypeInfo;
  const sf = ts.createSourceFile(fileName, text, { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode }, false, scriptKindOf(fileName));
  setParentPointers(sf);
  return sf;
}

/** What a workspace's program is built from. */
export interface ProgramInputs {
  /** Absolute scan root: the program's current directory. */
  root: string;
  /** Every loaded file (code and declaration files), parsed when the program (or `resolveModule`) first reads it. */
  files: readonly Pick<ScannedFile, "fileName" | "sourceFile">[];
  /** The program's options (the root tsconfig's with flowgate's forced ones, compiler-options.ts). */
  options: ts.CompilerOptions;
  /** Project-only module resolution (module-resolution.ts). */
  resolve: ProjectResolver;
}

export type ProgramAccess = Pick<Workspace, "program" | "checker" | "resolveModule" | "programParts">;

/**
 * The program over the loaded files, created on first need. Its compiler host serves exactly their SourceFile objects
 * (each parsed once, nothing read from disk, no dependency loaded) plus ECMAScript's lib files from
 * memory (parsed and bound once per process, lib-files.ts), and resolves imports with the project-only resolution:
 * creating it costs module resolution (and the lib files' parse, the first time); the checker, when asked for, binds,
 * and keeps its answer of each node's symbol (kept-symbols.ts).
 */
export function lazyProgram(inputs: ProgramInputs): ProgramAccess {
  const byName = new Map<string, Pick<ScannedFile, "fileName" | "sourceFile">>();
  for (const file of inputs.files) byName.set(file.fileName, file);
  const host = compilerHost(inputs, byName);
  const getProgram = lazy(() => ts.createProgram({ rootNames: [...byName.keys()], options: inputs.options, host }));
  return {
    program: getProgram,
    programParts: () => ({ options: inputs.options, host }),
    checker: lazy(() => keepingSymbols(getProgram().getTypeChecker())),
    resolveModule(specifier, from) {
      const resolved = inputs.resolve([specifier], from.fileName)[0];
      return resolved !== undefined ? byName.get(resolved.resolvedFileName)?.sourceFile : undefined;
    },
  };
}

function compilerHost(inputs: ProgramInputs, byName: ReadonlyMap<string, Pick<ScannedFile, "sourceFile">>): ts.CompilerHost {
  return {
    getSourceFile: (fileName) => byName.get(fileName)?.sourceFile ?? libFile(fileName),
    // The lib files the options name (compiler-options.ts), from memory: a virtual directory outside the scan.
    getDefaultLibFileName: () => `${LIB_DIRECTORY}/lib.d.ts`,
    getDefaultLibLocation: () => LIB_DIRECTORY,
    writeFile: () => undefined,
    getCurrentDirectory: () => inputs.root,
    getCanonicalFileName: (fileName) => fileName,
    useCaseSensitiveFileNames: () => true,
    getNewLine: () => "\n",
    fileExists: (fileName) => byName.has(fileName) || libFile(fileName) !== undefined,
    readFile: () => undefined,
    directoryExists: () => true,
    getDirectories: () => [],
    realpath: (fileName) => fileName,
    resolveModuleNameLiterals: (literals, containingFile) =>
      inputs.resolve(
        literals.map((literal) => literal.text),
        containingFile,
      ).map((resolvedModule) => ({ resolvedModule })),
    // `/// <reference types>` and automatic type directives load dependencies' types: never.
    resolveTypeReferenceDirectiveReferences: (references) => references.map(() => ({ resolvedTypeReferenceDirective: undefined })),
  };
}

export interface WorkspaceParts {
  root: string;
  /** Every loaded file by its path relative to the root: code files and the project's own declaration files. */
  loaded: ReadonlyMap<string, ScannedFile>;
  /** The program's options, and each file's options for resolving its imports (tsconfigs.ts). */
  projectOptions: ts.CompilerOptions;
  optionsFor(relativeFile: string): ts.CompilerOptions;
  notifications: Notification[];
  filesSkipped?: number;
  /** Files loaded only because scanned code imports them from outside the include (imported-files.ts). */
  imported?: readonly string[];
  /** The project's own package names (own-packages.ts); none when absent. */
  ownPackages?: readonly string[];
  /** The packages of the scanned tree with their folders (own-packages.ts): imports of them by name resolve there. */
  workspacePackages?: readonly WorkspacePackage[];
}

/** The workspace over loaded files: code files listed by path, declaration files only in the (lazy) program. */
export function workspaceOver(parts: WorkspaceParts): Workspace {
  const files: ScannedFile[] = [];
  for (const [relative, file] of parts.loaded) if (!isDeclarationFile(relative)) files.push(file);
  const loaded = [...parts.loaded.values()];
  const access = lazyProgram({
    root: parts.root,
    files: loaded,
    options: parts.projectOptions,
    resolve: createProjectResolver(parts.root, [...parts.loaded.keys()], parts.optionsFor, parts.workspacePackages),
  });
  return {
    root: parts.root,
    files: files.sort((a, b) => compareStrings(a.path, b.path)),
    loaded,
    ...access,
    filesSkipped: parts.filesSkipped,
    imported: new Set(parts.imported ?? []),
    ownPackages: new Set(parts.ownPackages ?? []),
    pathAliases: pathAliasesOf(parts),
    notifications: parts.notifications,
  };
}

/**
 * Every tsconfig `paths` pattern some loaded file resolves its imports with (`@server/*`, `~/*`), each once; and, for a
 * `baseUrl`, a `<folder>/*` pattern per folder directly inside it: `src/generated/prisma/client` under `baseUrl: "./"`
 * is the project's own module (there, code generated at build time and absent from the checkout), not a package `src`.
 * A bare folder name alone (`redis`) stays a package: TypeScript falls back to node_modules for it when the folder
 * has no index. A Nuxt config's `alias` keys are patterns too (framework-aliases.ts).
 */
function pathAliasesOf(parts: WorkspaceParts): readonly string[] {
  const seen = new Set<ts.CompilerOptions>();
  const baseUrls = new Set<string>();
  const patterns = new Set<string>();
  for (const relative of parts.loaded.keys()) {
    const options = parts.optionsFor(relative);
    if (seen.has(options)) continue;
    seen.add(options);
    for (const pattern of Object.keys(options.paths ?? {})) patterns.add(pattern);
    if (options.baseUrl !== undefined) baseUrls.add(options.baseUrl);
  }
  for (const baseUrl of baseUrls) for (const folder of foldersIn(baseUrl)) patterns.add(`${folder}/*`);
  const configs = [...parts.loaded].map(([relative, file]): [string, () => ts.SourceFile] => [relative, () => file.sourceFile]);
  for (const pattern of frameworkAliases(configs)) patterns.add(pattern);
  return [...patterns].sort();
}

/** The folders directly inside a directory, leaving out node_modules and hidden ones; none when it cannot be read. */
function foldersIn(directory: string): string[] {
  try {
    return readdirSync(directory, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && entry.name !== "node_modules" && !entry.name.startsWith("."))
      .map((entry) => entry.name);
  } catch {
    return [];
  }
}
