import type { Notification } from "../result.js";

/**
 * What the loader finds out about a file by parsing it, before it keeps it (load-workspace.ts): nested too deeply for
 * the parser or the recursive walks after it — skipped, with the reason — or loaded, with its first syntax error if it
 * has one. Both depend on the file's text and script kind (its extension) alone, so an earlier run's verdict on the same
 * text is this run's: the imported files' memo keeps them by text (cache/imports-memo.ts), and a run that finds a
 * file's verdict there neither walks its tree for its depth nor asks the compiler for its syntax errors.
 */
export type ParseVerdict = { readonly deep: string } | LoadedVerdict;

/** A file loaded, with its first syntax error if it has one. */
export interface LoadedVerdict {
  readonly error?: SyntaxProblem;
}

/** A file's first syntax error, where it is (1-based) and what the compiler says. */
export interface SyntaxProblem {
  readonly line: number;
  readonly column: number;
  readonly reason: string;
}

/** Earlier runs' verdicts, by file and text; told this run's. */
export interface ParseVerdicts {
  /** The verdict on this text of the file (relative path) from an earlier run; undefined when not known. */
  verdictOn(file: string, text: string): ParseVerdict | undefined;
  /**
   * Whether an earlier run judged this text of the file, whatever its verdict: it had read the text then, and a text
   * is judged only once its brackets were found to nest within MAX_NESTING_DEPTH (source-set.ts), which depends on the
   * text alone — so a run reading it again need not count them. Neither the verdict nor the file is kept by asking.
   */
  judged(file: string, text: string): boolean;
  /** What this run found for a file whose verdict was not known. */
  found(file: string, text: string, verdict: ParseVerdict): void;
  /** Keeps what this run used and found (when it may write the cache); notes of a memo not written. */
  keep(): Notification[];
}
