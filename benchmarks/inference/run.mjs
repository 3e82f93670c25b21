// Inference latency on TensorFlow.js's WASM backend (Node, SIMD, no threads) at batch 1 and 256:
// the dense LeNet-300-100 (every weight kept), the masked unstructured ticket (same shapes, zeros
// where masked: WASM has no sparse kernel, so it costs what dense costs), and the exported
// structured ticket (removed units physically gone). The structured speed-up is set against the
// kept-FLOPs ideal, dense multiply-adds / structured multiply-adds. Also the exported model run
// through tf.LayersModel.predict, as a user of the export would.
// Usage: pnpm -r --filter @slt/ticket... build && node benchmarks/inference/run.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import '@tensorflow/tfjs-backend-wasm';
import { compactNetwork, decodeTicket, rebuildWeights, tfjsArtifacts } from '@slt/ticket';
import * as tf from '@tensorflow/tfjs-core';
import { loadLayersModel } from '@tensorflow/tfjs-layers';

const here = import.meta.dirname;
const tickets = join(here, '../ticket-size/tickets');
const unstructuredFile = process.argv[2] ?? 'lenet300-u90.slt';
const structuredFile = process.argv[3] ?? 'lenet300-s90.slt';

await tf.setBackend('wasm');
await tf.ready();

const read = (file) => decodeTicket(new Uint8Array(readFileSync(join(tickets, file))));
const unstructured = read(unstructuredFile);
const structured = read(structuredFile);

/** A chain of (inputs, units) kernels with relu between them, as tensors (every candidate runs this). */
function mlp(kernels) {
  const weights = kernels.map(({ inputs, units, kernel }) => tf.tensor2d(kernel, [inputs, units]));
  return {
    weights,
    multiplyAdds: kernels.reduce((n, k) => n + k.inputs * k.units, 0),
    run: (x) =>
      tf.tidy(() => {
        let h = tf.reshape(x, [x.shape[0], -1]);
        weights.forEach((w, i) => {
          h = tf.matMul(h, w);
          if (i < weights.length - 1) h = tf.relu(h);
        });
        return h;
      }),
  };
}

/** The network's full-shape kernels from rebuilt weights (nothing removed). */
function fullKernels(rebuilt) {
  return rebuilt.model.params.map((spec) => ({
    inputs: spec.shape[0],
    units: spec.shape[1],
    kernel: rebuilt.weights.get(spec.name),
  }));
}

const denseRebuilt = rebuildWeights({
  ...unstructured,
  rescale: 'none',
  masks: new Map([...unstructured.masks].map(([name, m]) => [name, new Uint8Array(m.length).fill(1)])),
});
// The dense ticket's fingerprint equals the unstructured one's (same model, init, seed).
const networks = {
  dense: mlp(fullKernels(denseRebuilt)),
  unstructured_masked: mlp(fullKernels(rebuildWeights(unstructured))),
  structured_exported: mlp(compactNetwork(rebuildWeights(structured)).layers),
};

/** Milliseconds of one call of `fn(x)`, including the read-back of its result. */
async function once(fn, x) {
  const start = performance.now();
  const y = fn(x);
  await y.data();
  const ms = performance.now() - start;
  y.dispose();
  return ms;
}

/**
 * Times every candidate on `x`, interleaved (round-robin, `calls` calls per round) so a busy
 * machine slows them alike; returns the best and the median call time of each, in ms.
 */
async function timeAll(candidates, x, rounds, calls) {
  const samples = Object.fromEntries(Object.keys(candidates).map((k) => [k, []]));
  for (const fn of Object.values(candidates)) for (let i = 0; i < 20; i++) await once(fn, x);
  for (let r = 0; r < rounds; r++) {
    for (const [name, fn] of Object.entries(candidates)) {
      for (let i = 0; i < calls; i++) samples[name].push(await once(fn, x));
    }
  }
  return Object.fromEntries(
    Object.entries(samples).map(([name, values]) => {
      values.sort((a, b) => a - b);
      return [name, { best_ms: values[0], median_ms: values[Math.floor(values.length / 2)] }];
    }),
  );
}

const artifacts = tfjsArtifacts(structured);
const layersModel = await loadLayersModel(
  tf.io.fromMemory({
    modelTopology: artifacts.modelJson.modelTopology,
    weightSpecs: artifacts.modelJson.weightsManifest[0].weights,
    weightData: artifacts.weightData.slice().buffer,
  }),
);

const rows = [];
for (const batch of [1, 256]) {
  const x = tf.randomNormal([batch, 28, 28, 1], 0, 1, 'float32', 1);
  const candidates = Object.fromEntries(Object.entries(networks).map(([name, net]) => [name, net.run]));
  candidates.structured_tfjs_layers_predict = (input) => layersModel.predict(input, { batchSize: batch });
  const times = batch === 1 ? await timeAll(candidates, x, 40, 50) : await timeAll(candidates, x, 30, 5);
  const ideal = networks.dense.multiplyAdds / networks.structured_exported.multiplyAdds;
  const speedup = times.dense.best_ms / times.structured_exported.best_ms;
  rows.push({
    batch,
    ...times,
    structured_speedup_best: speedup,
    structured_speedup_median: times.dense.median_ms / times.structured_exported.median_ms,
    ideal_speedup: ideal,
    ideal_over_measured: ideal / speedup,
  });
  x.dispose();
}

const results = {
  benchmark: 'inference',
  backend: 'wasm (Node, SIMD, no threads)',
  machine: `${cpus()[0]?.model ?? 'unknown cpu'}, ${cpus().length} cores`,
  node: process.version,
  tfjs: tf.version_core,
  tickets: {
    unstructured: { file: unstructuredFile, sparsity: unstructured.sparsity },
    structured: {
      file: structuredFile,
      sparsity: structured.sparsity,
      layers: artifacts.network.layers.map((l) => [l.inputs, l.units]),
    },
  },
  multiply_adds_per_example: Object.fromEntries(Object.entries(networks).map(([k, n]) => [k, n.multiplyAdds])),
  timing:
    'ms per call (forward + read-back), best and median; candidates interleaved round-robin after 20 warm-up calls each; ' +
    '2000 calls each at batch 1, 150 at batch 256; speed-ups from best times (the machine is shared)',
  rows,
};
writeFileSync(join(here, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
console.log(JSON.stringify(rows, null, 2));
