import type { ts } from "ts-morph";
import { parseSource } from "./program.js";

/**
 * A loaded file: its path, its text, and its syntax tree parsed when first read. A scan that takes its analysis from
 * the cache needs the trees of a few files only (those its flows' steps and notes are in, those it analyses again):
 * the loader parses a file whose parse verdict it knows (parse-verdicts.ts) only when something reads `sourceFile`.
 * Everything that only needs to know which file it is — the engine's files, the cache entry's, the program's host —
 * holds the ScannedFile, and finds it again from a node's SourceFile with {@link scannedFileOf}. Two workspaces over
 * the same texts (update review's base and head) share one ScannedFile for a file whose text and parse they share.
 */
export class ScannedFile {
  private tree: ts.SourceFile | undefined;

  /**
   * `path` relative to the root, forward slashes; `fileName` the absolute one the tree is parsed under. Without
   * `withJsDoc`, a TypeScript file's JSDoc comments are left unparsed (program.ts parseSource).
   */
  constructor(
    readonly path: string,
    readonly fileName: string,
    readonly text: string,
    readonly withJsDoc: boolean,
    parsed?: ts.SourceFile,
  ) {
    if (parsed !== undefined) this.hold(parsed);
  }

  /** The file's tree, parsed (with parent pointers) on the first read. */
  get sourceFile(): ts.SourceFile {
    return this.tree ?? this.hold(parseSource(this.fileName, this.text, this.withJsDoc));
  }

  /** Whether the tree has been parsed yet (nothing parses it to answer). */
  get parsed(): boolean {
    return this.tree !== undefined;
  }

  private hold(sourceFile: ts.SourceFile): ts.SourceFile {
    this.tree = sourceFile;
    owners.set(sourceFile, this);
    return sourceFile;
  }
}

const owners = new WeakMap<ts.SourceFile, ScannedFile>();

/** The loaded file a tree is the parse of; undefined for a tree parsed outside a workspace (lib files, the base's diff). */
export function scannedFileOf(sourceFile: ts.SourceFile): ScannedFile | undefined {
  return owners.get(sourceFile);
}
