import { statSync } from 'node:fs';
import { check } from '@slt/core';
import { exportDense, exportTfjs, exportTicket, readTicket } from '@slt/ticket/node';
import { type BackendName, backendNames, useBackend } from '@slt/train';
import { type Command, parseCommandArgs } from './command.js';

const HELP = `usage: slt export TICKET --format tfjs|dense|slt --out DIR [--backend B] [--encoding bits|rice]

Writes a ticket's network for other tools. tfjs: a TensorFlow.js Layers model (DIR/model.json and
DIR/weights.bin, loadable with tf.loadLayersModel) with every removed unit gone, so a structured
ticket becomes a physically smaller network. dense: the masked float32 weights as
DIR/weights.safetensors. Both take images normalised with the data set's mean and std.
slt: the ticket itself as DIR/ticket.slt, its masks re-encoded with --encoding (rice: Golomb-Rice
coded run lengths, about H(p) bits per weight; bits: 1 bit per weight).
The per-layer scale is computed on --backend (default wasm, like the search), so the exported
weights are bit-identical to the ones the search evaluated on that backend.`;

export const exportCommand: Command = {
  summary: 'write a ticket as a TF.js Layers model, dense safetensors weights, or a re-encoded ticket',
  async run(argv) {
    const parsed = parseCommandArgs(
      argv,
      {
        format: { type: 'string' },
        out: { type: 'string' },
        backend: { type: 'string' },
        encoding: { type: 'string' },
      },
      HELP,
      true,
    );
    if (parsed === undefined) return 0;
    const { values, positionals } = parsed;
    check(positionals.length === 1, 'expected one TICKET (slt export --help)');
    const format = values.format;
    check(
      format === 'tfjs' || format === 'dense' || format === 'slt',
      `--format must be tfjs, dense or slt, got '${format ?? ''}'`,
    );
    const encoding = values.encoding ?? 'rice';
    check(encoding === 'bits' || encoding === 'rice', `--encoding must be bits or rice, got '${encoding}'`);
    check(values.encoding === undefined || format === 'slt', '--encoding applies to --format slt only');
    check(values.out !== undefined, '--out DIR is required');
    const backend = values.backend ?? 'wasm';
    check(
      (backendNames as readonly string[]).includes(backend),
      `unknown backend '${backend}' (known: ${backendNames.join(', ')})`,
    );
    const ticket = readTicket(positionals[0]);
    await useBackend(backend as BackendName);
    if (format === 'slt') {
      const result = exportTicket(ticket, values.out, encoding);
      const before = statSync(positionals[0]).size;
      const after = statSync(result.files[0]).size;
      process.stdout.write(
        `wrote ${result.files[0]}: ${after.toLocaleString('en-US')} bytes (${encoding} masks; was ${before.toLocaleString('en-US')}), ` +
          `${((8 * after) / result.parameterCount).toFixed(3)} bits per mask entry with the header\n`,
      );
      return 0;
    }
    const result = format === 'tfjs' ? exportTfjs(ticket, values.out) : exportDense(ticket, values.out);
    const kept = result.parameterCount.toLocaleString('en-US');
    const total = result.originalParameterCount.toLocaleString('en-US');
    process.stdout.write(
      `wrote ${result.files.join(', ')}: ${kept} parameters (of ${total}), ticket sparsity ${ticket.sparsity.toFixed(4)}\n`,
    );
    return 0;
  },
};
