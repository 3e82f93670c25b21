import { type ParseArgsConfig, parseArgs } from 'node:util';

/** One `slt` sub-command. */
export interface Command {
  /** One line for `slt --help`. */
  readonly summary: string;
  /** Runs with the arguments after the command name; returns the exit status. */
  run(argv: readonly string[]): Promise<number>;
}

type Options = NonNullable<ParseArgsConfig['options']>;

const helpOption = { help: { type: 'boolean', short: 'h' } } as const;

/** What `parseArgs` gives for a command's options plus `--help`. */
export type ParsedCommand<T extends Options> = ReturnType<
  typeof parseArgs<{ args: string[]; options: T & typeof helpOption; strict: true; allowPositionals: boolean }>
>;

/**
 * Parses a command's arguments strictly (an unknown or malformed flag is a usage error) with
 * `--help` / `-h` added. Returns undefined after printing `help` when it was asked for.
 */
export function parseCommandArgs<T extends Options>(
  argv: readonly string[],
  options: T,
  help: string,
  allowPositionals = false,
): ParsedCommand<T> | undefined {
  const parsed = parseArgs({ args: [...argv], options: { ...options, ...helpOption }, strict: true, allowPositionals });
  if ((parsed.values as { help?: boolean }).help === true) {
    process.stdout.write(`${help}\n`);
    return undefined;
  }
  return parsed;
}
