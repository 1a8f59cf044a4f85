import { ts } from "ts-morph";
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
  private starts: readonly number[] | undefined;

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

  /**
   * Where each line of the text starts (the tree's own list once it is parsed; the compiler computes both from the text
   * alike): a location or a code frame needs the text, not the tree.
   */
  getLineStarts(): readonly number[] {
    return this.tree?.getLineStarts() ?? (this.starts ??= computeLineStarts(this.text));
  }

  /** The 0-based line and character of a position, as the tree's `getLineAndCharacterOfPosition` gives them. */
  lineAndCharacter(position: number): ts.LineAndCharacter {
    return computeLineAndCharacterOfPosition(this.getLineStarts(), position);
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

// the compiler's own line breaking (`\n`, `\r\n`, `\r`, U+2028, U+2029) and line search, which its trees' line maps
// and `getLineAndCharacterOfPosition` are; not in its declared API
const { computeLineStarts, computeLineAndCharacterOfPosition } = ts as unknown as {
  computeLineStarts(text: string): number[];
  computeLineAndCharacterOfPosition(lineStarts: readonly number[], position: number): ts.LineAndCharacter;
};

const owners = new WeakMap<ts.SourceFile, ScannedFile>();

/** The loaded file a tree is the parse of; undefined for a tree parsed outside a workspace (lib files, the base's diff). */
export function scannedFileOf(sourceFile: ts.SourceFile): ScannedFile | undefined {
  return owners.get(sourceFile);
}
