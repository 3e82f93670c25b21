import { parseArgs } from 'node:util';
import { datasets } from '@slt/data';
import { gates } from '@slt/gates';
import { activations, initRecipes, models } from '@slt/models';
import { regularizers } from '@slt/regularizers';
import { backendNames, methods } from '@slt/train';
import type { Command } from './command.js';

/** Everything a search can be configured with, by kind. */
export function registryListing(): Record<string, string[]> {
  return {
    models: models.names(),
    methods: methods.names(),
    gates: gates.names(),
    regularizers: regularizers.names(),
    inits: initRecipes.names(),
    activations: activations.names(),
    datasets: datasets.names(),
    backends: [...backendNames],
  };
}

export const listCommand: Command = {
  summary: 'list models, methods, gates, regularisers, inits, activations, datasets, backends',
  async run(argv) {
    const { values } = parseArgs({ args: [...argv], options: { json: { type: 'boolean' } }, strict: true });
    const listing = registryListing();
    if (values.json) process.stdout.write(`${JSON.stringify(listing)}\n`);
    else {
      for (const [kind, names] of Object.entries(listing))
        process.stdout.write(`${kind.padEnd(13)} ${names.join(', ')}\n`);
    }
    return 0;
  },
};
