import { InputError } from '@slt/core';
import { writeReport } from '@slt/report';
import { type Command, parseCommandArgs } from './command.js';

const HELP = `usage: slt report DIR

Writes DIR/report.html (self-contained) and its plots as SVG files, for a run directory (learning
curves, per-layer sparsity, the distribution of gate P(keep)) or a comparison directory (accuracy
against sparsity, the table, every run's learning curve).`;

export const reportCommand: Command = {
  summary: 'write report.html with SVG plots for a run or comparison directory',
  async run(argv) {
    const parsed = parseCommandArgs(argv, {}, HELP, true);
    if (parsed === undefined) return 0;
    const { positionals } = parsed;
    if (positionals.length !== 1) throw new InputError('usage: slt report DIR (a run or comparison directory)');
    const files = await writeReport(positionals[0]);
    process.stdout.write(`${files.html}\n${files.images.map((f) => `  ${f}`).join('\n')}\n`);
    return 0;
  },
};
