import type { Project, ts } from "ts-morph";
import type { Notification } from "../result.js";

/** The scanned code, loaded: the workspace stage's output. */
export interface Workspace {
  /** Absolute scan root. */
  root: string;
  /**
   * One Project over the files in scope (plus the project's own .d.ts files, for types). Imports between project
   * files and tsconfig `paths` aliases resolve; dependencies are never loaded (see docs/workspace.md).
   */
  project: Project;
  /** The files in scope, sorted by relative path. Raw compiler nodes: hot loops walk these, not wrappers. */
  files: ScannedFile[];
  /** Files in scope that were not loaded (too large, binary, unreadable); each has a notification. */
  filesSkipped?: number;
  notifications: Notification[];
}

export interface ScannedFile {
  /** Relative to the root, forward slashes. Its text (for code frames) is `sourceFile.text`. */
  path: string;
  sourceFile: ts.SourceFile;
}
