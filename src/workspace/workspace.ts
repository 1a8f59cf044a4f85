import type { Project, ts } from "ts-morph";
import type { Notification } from "../result.js";

/** The scanned code, loaded: the workspace stage's output. */
export interface Workspace {
  /** Absolute scan root. */
  root: string;
  project: Project;
  /** The files in scope, sorted by relative path. Raw compiler nodes: hot loops walk these, not wrappers. */
  files: ScannedFile[];
  notifications: Notification[];
}

export interface ScannedFile {
  /** Relative to the root, forward slashes. */
  path: string;
  sourceFile: ts.SourceFile;
}
