/** What a command needs from the process, passed in so main() runs the same in tests and twice in one process. */
export interface CliContext {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
  /** Set by a command's action. */
  exitCode: number;
  /** --debug: internal errors print their stack. */
  debug: boolean;
}
