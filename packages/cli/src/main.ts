import { isInputError } from '@slt/core';
import { commands } from './commands/index.js';

const USAGE = `usage: slt <command> [options]

commands:
${Object.entries(commands)
  .map(([name, c]) => `  ${name.padEnd(8)} ${c.summary}`)
  .join('\n')}

Run 'slt <command> --help' for a command's options.`;

/**
 * Runs the `slt` command line and returns the exit status: 0 success, 2 bad input or usage (one
 * line on stderr), 1 anything else.
 */
export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return name === undefined ? 2 : 0;
  }
  const command = commands[name];
  if (command === undefined) {
    process.stderr.write(`slt: unknown command '${name}' (known: ${Object.keys(commands).join(', ')})\n`);
    return 2;
  }
  try {
    return await command.run(attachNegativeNumbers(rest));
  } catch (error) {
    if (isInputError(error) || isUsageError(error)) {
      process.stderr.write(`slt ${name}: ${oneLine((error as Error).message)}\n`);
      return 2;
    }
    process.stderr.write(`slt ${name}: internal error: ${oneLine(String((error as Error)?.message ?? error))}\n`);
    if (process.env.SLT_DEBUG) process.stderr.write(`${(error as Error)?.stack ?? ''}\n`);
    return 1;
  }
}

/**
 * `--gate-init -0.3` reads as a flag followed by an option to util.parseArgs; a negative number
 * right after a `--flag` is that flag's value, so it is attached as `--gate-init=-0.3`.
 */
export function attachNegativeNumbers(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] as string;
    const next = argv[i + 1];
    if (token.startsWith('--') && !token.includes('=') && next !== undefined && /^-(\d|\.\d)/.test(next)) {
      out.push(`${token}=${next}`);
      i++;
    } else out.push(token);
  }
  return out;
}

/** util.parseArgs reports unknown or malformed options with these codes. */
function isUsageError(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
