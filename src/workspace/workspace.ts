import type { ts } from "ts-morph";
import type { Notification } from "../result.js";
import type { ScannedFile } from "./scanned-file.js";

export type { ScannedFile } from "./scanned-file.js";

/** The scanned code, loaded: the workspace stage's output. */
export interface Workspace {
  /** Absolute scan root. */
  root: string;
  /** The files in scope, sorted by relative path, each parsed when its tree is first read (scanned-file.ts). */
  files: ScannedFile[];
  /** Every loaded file: the files above and the project's own .d.ts files (types for the checker), each parsed once. */
  loaded: readonly ScannedFile[];
  /**
   * One program over {@link loaded}, created on the first call (syntax settles most questions, so a scan may never
   * need it). Imports between project files and tsconfig `paths` aliases resolve; dependencies and lib files are never
   * loaded (see docs/workspace.md).
   */
  program(): ts.Program;
  /** The program's type checker, created on the first call. */
  checker(): ts.TypeChecker;
  /**
   * What {@link program} is made of: its options and its compiler host (the loaded files' trees by absolute name, the
   * lib files, the project-only resolution). A checker that reads a file only when its answers reach it is made of
   * them (lazy-checker.ts), so it reads the same trees and resolves as the program does.
   */
  programParts(): { options: ts.CompilerOptions; host: ts.CompilerHost };
  /**
   * The loaded file an import specifier written in `from` resolves to (project files only, with the options of the
   * nearest tsconfig, as the program resolves it); undefined for a dependency or anything not loaded. Needs no program.
   */
  resolveModule(specifier: string, from: ts.SourceFile): ts.SourceFile | undefined;
  /**
   * Names of the project's own packages (every package.json under the root, and the enclosing ones above it): an
   * import of one of them, or of a package in the same npm scope, is first-party code, not a third-party library.
   */
  ownPackages: ReadonlySet<string>;
  /**
   * The tsconfig `paths` patterns in force (`@server/*`), and `<folder>/*` for each folder inside a `baseUrl`: a
   * specifier they match is the project's own module, even where it resolves to nothing loaded (a file outside the
   * root, generated code absent from the checkout), never a package.
   */
  pathAliases: readonly string[];
  /**
   * Files of `files` that are there only because scanned code imports them from outside the policy's include
   * (imported-files.ts): their top level runs like any file's, their functions only when the scanned code reaches them.
   */
  imported: ReadonlySet<string>;
  /** Files in scope that were not loaded (too large, binary, unreadable); each has a notification. */
  filesSkipped?: number;
  notifications: Notification[];
}
