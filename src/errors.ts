/** Errors that map to exit code 2: the user asked for something we cannot do (bad option, missing directory). */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** A policy file problem, with the place it stands so editors and terminals can jump to it. Exit code 2. */
export class PolicyError extends Error {
  override readonly name = "PolicyError";
  constructor(
    message: string,
    readonly file: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`${file}:${line}:${column}: ${message}`);
  }
}
