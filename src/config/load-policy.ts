import type { Policy } from "./policy.js";

/** Where policy files are read from: the working tree, or (in update review) the base revision. */
export interface PolicySource {
  /** Reads a file relative to the scan root; undefined when it does not exist. */
  read(relativePath: string): string | undefined;
  /** For messages: "working tree", "base revision abc123". */
  description: string;
}

export interface LoadPolicyOptions {
  root: string;
  /** --config FILE, relative to the cwd or absolute. */
  configPath?: string;
  source?: PolicySource;
}

/** Loads flowgate.config.yaml (or --config) and the packs it extends. (Skeleton: validation lands with issue #2.) */
export function loadPolicy(_options: LoadPolicyOptions): Policy {
  return { files: [], dataClasses: [], models: [], sanitizers: [], vetted: { hosts: [], calls: [] }, include: [], exclude: [], origins: new Map() };
}
