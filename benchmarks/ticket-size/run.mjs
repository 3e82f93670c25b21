// Ticket size: bytes of an unstructured LeNet-300-100 ticket and the bits per weight of its masks,
// plain bit packing against Rice-coded run lengths, on i.i.d. random masks (slt's Philox PRNG)
// and on real masks found by `slt search` (tickets/*.slt), set against the entropy bound H(p).
// Usage: pnpm --filter @slt/ticket build && node benchmarks/ticket-size/run.mjs
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { streamKey, uniforms } from '@slt/core';
import { createModel } from '@slt/models';
import { createTicket, decodeTicket, encodeTicket, packBits, riceEncode } from '@slt/ticket';

const here = import.meta.dirname;
const entropy = (p) => (p <= 0 || p >= 1 ? 0 : -p * Math.log2(p) - (1 - p) * Math.log2(1 - p));

/** Sizes and bits per weight of `ticket`'s masks in both encodings. */
function measure(ticket) {
  let weights = 0;
  let ones = 0;
  let bitsPayload = 0;
  let ricePayload = 0;
  let layerBound = 0;
  const layers = [];
  for (const [name, mask] of ticket.masks) {
    const count = mask.reduce((a, b) => a + b, 0);
    const rice = riceEncode(mask);
    weights += mask.length;
    ones += count;
    bitsPayload += packBits(mask).length * 8;
    ricePayload += rice.bytes.length * 8;
    layerBound += mask.length * entropy(count / mask.length);
    layers.push({
      name,
      entries: mask.length,
      sparsity: 1 - count / mask.length,
      rice_k: rice.k,
      rice_bits_per_weight: (rice.bytes.length * 8) / mask.length,
      entropy_bound: entropy(count / mask.length),
    });
  }
  const plainFile = encodeTicket({ ...ticket, encoding: 'bits' }).length;
  const riceFile = encodeTicket({ ...ticket, encoding: 'rice' }).length;
  return {
    ticket_sparsity: ticket.sparsity,
    mask_sparsity: 1 - ones / weights,
    mask_entries: weights,
    file_bytes_bits: plainFile,
    file_bytes_rice: riceFile,
    bits_per_weight_bits: bitsPayload / weights,
    bits_per_weight_rice: ricePayload / weights,
    entropy_bound_global: entropy(ones / weights),
    entropy_bound_per_layer: layerBound / weights,
    rice_over_per_layer_bound: ricePayload / layerBound,
    layers,
  };
}

const modelArgs = { inputShape: [28, 28, 1], classes: 10 };
const model = createModel('lenet300', modelArgs);

const random = [0.5, 0.9, 0.97].map((sparsity) => {
  const masks = new Map(
    model.params.map((spec) => {
      const u = uniforms(streamKey(1234, `mask/${spec.name}`), spec.shape[0] * spec.shape[1]);
      return [spec.name, Uint8Array.from(u, (x) => (x < 1 - sparsity ? 1 : 0))];
    }),
  );
  const ticket = createTicket({
    model: 'lenet300',
    modelArgs,
    init: 'signed-constant',
    seed: 0,
    gate: 'random',
    structure: 'unstructured',
    rescale: 'mask',
    dataset: 'mnist10k',
    masks,
  });
  return { source: `random i.i.d. mask, target sparsity ${sparsity}`, ...measure(ticket) };
});

const ticketDir = join(here, 'tickets');
const real = readdirSync(ticketDir)
  .filter((f) => f.endsWith('.slt'))
  .sort()
  .map((file) => {
    const ticket = decodeTicket(new Uint8Array(readFileSync(join(ticketDir, file))));
    return { source: `slt search ticket tickets/${file} (${ticket.gate}, ${ticket.structure})`, ...measure(ticket) };
  });

const results = {
  benchmark: 'ticket-size',
  model: 'lenet300 (784-300-100-10, 266,200 prunable weights)',
  node: process.version,
  notes:
    'bits_per_weight_* count mask payload only, per mask entry (a weight, or a unit for structured tickets); ' +
    'file_bytes_* are whole .slt files including the header; ticket_sparsity counts weights, mask_sparsity mask entries. ' +
    'entropy_bound_per_layer is the i.i.d. bound given each layer density, sum_l n_l H(p_l) / N.',
  random,
  real,
};
writeFileSync(join(here, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
for (const row of [...random, ...real]) {
  console.log(
    `${row.source}: sparsity ${row.ticket_sparsity.toFixed(4)}  file ${row.file_bytes_bits} B (bits) / ${row.file_bytes_rice} B (rice)  ` +
      `bits/weight ${row.bits_per_weight_bits.toFixed(4)} / ${row.bits_per_weight_rice.toFixed(4)}  H ${row.entropy_bound_global.toFixed(4)} (per layer ${row.entropy_bound_per_layer.toFixed(4)})`,
  );
}
