import { Project } from "ts-morph";
import type { Workspace } from "./workspace.js";

export interface WorkspaceScope {
  include: string[];
  exclude: string[];
}

/** Finds the files in scope and builds one ts-morph Project over them. (Skeleton: lands with issue #2.) */
export async function loadWorkspace(root: string, _scope: WorkspaceScope): Promise<Workspace> {
  const project = new Project({ useInMemoryFileSystem: false, skipAddingFilesFromTsConfig: true });
  return { root, project, files: [], notifications: [] };
}
