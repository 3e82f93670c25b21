/** One `slt` sub-command. */
export interface Command {
  /** One line for `slt --help`. */
  readonly summary: string;
  /** Runs with the arguments after the command name; returns the exit status. */
  run(argv: readonly string[]): Promise<number>;
}
