import { existsSync, readFileSync } from "node:fs";

/** What tsc's report (`--pretty false`) says: how many errors, and whether it type-checked at all. */
export interface TscOutput {
  errors: number | undefined;
  /**
   * False when tsc stopped before type-checking: it does so when the program has an options or global error (reported
   * without a file position: `error TS6504: File '…' is a JavaScript file`) or a syntax error, and then reports those
   * alone, having only parsed and bound the files — its time is no yardstick for a full scan. Syntax errors are
   * TS1xxx, but so are some of the checker's (TS1360, `satisfies`): a report of TS1xxx errors only is taken for a
   * stop, one with any other beside them for a check.
   */
  typeChecked: boolean | undefined;
}

export function readTscOutput(file: string): TscOutput {
  if (!existsSync(file)) return { errors: undefined, typeChecked: undefined };
  return parseTscOutput(readFileSync(file, "utf8"));
}

export function parseTscOutput(text: string): TscOutput {
  const errors = text.split("\n").filter((line) => /error TS\d+:/.test(line));
  const unplaced = errors.some((line) => line.startsWith("error TS"));
  const syntaxOnly = errors.length > 0 && errors.every((line) => /: error TS1\d{3}:/.test(line));
  return { errors: errors.length, typeChecked: !unplaced && !syntaxOnly };
}
