import { parseArgs } from 'node:util';
import { check } from '@slt/core';
import { exportDense, exportTfjs, readTicket } from '@slt/ticket/node';
import { type BackendName, backendNames, useBackend } from '@slt/train';
import type { Command } from './command.js';

const HELP = `usage: slt export TICKET --format tfjs|dense --out DIR [--backend B]

Writes a ticket's network for other tools. tfjs: a TensorFlow.js Layers model (DIR/model.json and
DIR/weights.bin, loadable with tf.loadLayersModel) with every removed unit gone, so a structured
ticket becomes a physically smaller network. dense: the masked float32 weights as
DIR/weights.safetensors. Both take images normalised with the data set's mean and std.
The per-layer scale is computed on --backend (default wasm, like the search), so the exported
weights are bit-identical to the ones the search evaluated on that backend.`;

export const exportCommand: Command = {
  summary: 'write a ticket as a TF.js Layers model or dense safetensors weights',
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: [...argv],
      options: {
        format: { type: 'string' },
        out: { type: 'string' },
        backend: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: true,
    });
    if (values.help) {
      process.stdout.write(`${HELP}\n`);
      return 0;
    }
    check(positionals.length === 1, 'expected one TICKET (slt export --help)');
    check(
      values.format === 'tfjs' || values.format === 'dense',
      `--format must be tfjs or dense, got '${values.format ?? ''}'`,
    );
    check(values.out !== undefined, '--out DIR is required');
    const backend = values.backend ?? 'wasm';
    check(
      (backendNames as readonly string[]).includes(backend),
      `unknown backend '${backend}' (known: ${backendNames.join(', ')})`,
    );
    const ticket = readTicket(positionals[0]);
    await useBackend(backend as BackendName);
    const result = values.format === 'tfjs' ? exportTfjs(ticket, values.out) : exportDense(ticket, values.out);
    const kept = result.parameterCount.toLocaleString('en-US');
    const total = result.originalParameterCount.toLocaleString('en-US');
    process.stdout.write(
      `wrote ${result.files.join(', ')}: ${kept} parameters (of ${total}), ticket sparsity ${ticket.sparsity.toFixed(4)}\n`,
    );
    return 0;
  },
};
