import { writeFileAtomic } from '@slt/core/node';
import type { Model } from '@slt/models';
import { createTicket, encodeTicket } from '@slt/ticket';
import type { SearchConfig } from './config.js';

/** Writes the binary ticket of a finished search to `path` (atomically) and returns the path. */
export function writeTicketFile(
  path: string,
  run: { config: SearchConfig; model: Model; dataset: string; masks: ReadonlyMap<string, Uint8Array> },
): string {
  const ticket = createTicket({
    model: run.model.name,
    modelArgs: run.model.args,
    init: run.config.init,
    seed: run.config.seed,
    gate: run.config.gate,
    structure: run.config.gates,
    rescale: run.config.rescale,
    targetSparsity: run.config.targetSparsity,
    dataset: run.dataset,
    masks: run.masks,
  });
  writeFileAtomic(path, encodeTicket(ticket));
  return path;
}
