import { InputError } from '@slt/core';
import { writeReport } from '@slt/report';
import { accuracyLabel, search, streamProgress } from '@slt/train';
import { buildConfig, configFlagOptions, configFlagsHelp, configFromFlags, readConfigFile } from '../search-flags.js';
import { type Command, parseCommandArgs } from './command.js';

const HELP = `usage: slt search [--config FILE] [options] --out DIR

Finds a strong lottery ticket: a binary mask over the frozen random weights of a network.
Flags override the config file (YAML or JSON, keys as in the run's config.json).

  --config FILE      YAML or JSON config
  --out DIR          run directory (config.json, metrics.jsonl, checkpoint/, ticket.slt, summary.json)
  --resume           continue the run in --out from its checkpoint
${configFlagsHelp()}`;

export const searchCommand: Command = {
  summary: 'find a ticket (writes a run directory)',
  async run(argv) {
    const parsed = parseCommandArgs(
      argv,
      {
        ...configFlagOptions,
        config: { type: 'string' },
        out: { type: 'string' },
        resume: { type: 'boolean' },
      },
      HELP,
    );
    if (parsed === undefined) return 0;
    const { values } = parsed;
    if (values.out === undefined) throw new InputError('--out DIR is required (the run directory)');
    const fileConfig = values.config === undefined ? {} : readConfigFile(values.config);
    const config = buildConfig(fileConfig, configFromFlags(values));
    const controller = new AbortController();
    const stop = () => controller.abort();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    try {
      const result = await search(config, {
        out: values.out,
        resume: values.resume === true,
        signal: controller.signal,
        progress: streamProgress(process.stderr, config.epochs),
      });
      if (result.interrupted) {
        process.stderr.write(`stopped: checkpoint written; continue with: slt search --resume --out ${values.out}\n`);
        return 1;
      }
      const s = result.summary;
      const report = await writeReport(values.out);
      process.stdout.write(
        `${s.method} ${s.model} on ${s.dataset}: ${accuracyLabel(s.evaluated_on)} ${((s.test_acc ?? 0) * 100).toFixed(2)}% (${s.ticket === null ? 'trained weights' : 'binary ticket'}), ` +
          `sparsity ${s.sparsity.toFixed(4)}${s.unit_sparsity === null ? '' : `, unit sparsity ${s.unit_sparsity.toFixed(4)}`}, ` +
          `${(s.seconds_per_epoch ?? 0).toFixed(2)} s/epoch on ${s.backend}\n` +
          `run directory: ${values.out}${s.ticket === null ? '' : `  ticket: ${s.ticket}`}  report: ${report.html}\n`,
      );
      return 0;
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    }
  },
};
