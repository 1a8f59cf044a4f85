import { existsSync, readFileSync } from "node:fs";

/** What tsc's report (`--pretty false`) says: how many errors, and whether it type-checked at all. */
export interface TscOutput {
  errors: number | undefined;
  /**
   * False when tsc stopped before type-checking: it does so when the program has an options or global error (reported
   * without a file position: `error TS6504: File '…' is a JavaScript file`) or a syntax error (TS1xxx), and then
   * reports those alone, having only parsed and bound the files — its time is no yardstick for a full scan.
   */
  typeChecked: boolean | undefined;
}

export function readTscOutput(file: string): TscOutput {
  if (!existsSync(file)) return { errors: undefined, typeChecked: undefined };
  return parseTscOutput(readFileSync(file, "utf8"));
}

export function parseTscOutput(text: string): TscOutput {
  const errors = text.split("\n").filter((line) => /error TS\d+:/.test(line));
  return {
    errors: errors.length,
    typeChecked: !errors.some((line) => line.startsWith("error TS") || /\): error TS1\d{3}:/.test(line)),
  };
}
