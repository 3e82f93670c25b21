// Speed of one search step on this machine: seconds per Fashion-MNIST epoch (60,000 images,
// batch 128) for crbg and for dense weight training of the same LeNet-300-100, measured in one
// process on one backend, plus a profile of where a step's milliseconds go.
// The two methods alternate in rounds (which goes first alternates as well) and the ratio is the
// median of the rounds' ratios: this machine's speed drifts by 20-100% over minutes, which
// separate blocks of runs would read as a difference between the methods.
// Usage: node benchmarks/speed/run.mjs [--backend wasm] [--rounds 9] [--epochs 1] [--out benchmarks/speed/results.json]

import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { loadDataset, shuffledIndices, toTensors } from '@slt/data';
import { createModel, initialWeights } from '@slt/models';
import { createRegularizer } from '@slt/regularizers';
import {
  createOptimizer,
  crossEntropy,
  GatedNetwork,
  methodDefaults,
  methods,
  poolNoise,
  resolveConfig,
  search,
  useBackend,
} from '@slt/train';
import * as tf from '@tensorflow/tfjs-core';

const { values } = parseArgs({
  options: {
    backend: { type: 'string', default: 'wasm' },
    epochs: { type: 'string', default: '1' },
    rounds: { type: 'string', default: '9' },
    'profile-steps': { type: 'string', default: '60' },
    out: { type: 'string', default: new URL('./results.json', import.meta.url).pathname },
  },
});
const epochs = Number(values.epochs);
const rounds = Number(values.rounds);
const backend = values.backend;

async function epochSeconds(method, extra = {}) {
  // Each method's own recipe, as `slt search --method NAME` runs it.
  const config = resolveConfig(methodDefaults(methods.get(method), { model: 'lenet300' }), {
    method,
    dataset: 'fashion-mnist',
    epochs,
    backend,
    targetSparsity: 0.5,
    ...extra,
  });
  const { summary } = await search(config, {});
  return { seconds_per_epoch: summary.seconds_per_epoch, test_acc: summary.test_acc, epochs: summary.epochs };
}

/**
 * Times each phase of a step (WASM and CPU are synchronous, so wall time per phase is exact);
 * `hard` profiles crbg's steps after `--hard-from` (0/1 gate samples), half of a search by default;
 * `regularize: false` leaves the regulariser's term out of crbg's loss, which shows what the gates
 * alone cost over dense and what the regulariser adds.
 */
async function profile(method, steps, { hard = false, regularize = true } = {}) {
  await useBackend(backend);
  const data = await loadDataset('fashion-mnist');
  const train = toTensors(data.train, data.info);
  const model = createModel('lenet300', { inputShape: data.info.inputShape, classes: 10 });
  const init = initialWeights(model.params, { recipe: 'signed-constant', seed: 0 });
  const frozen = Object.fromEntries(model.params.map((p) => [p.name, tf.tensor(init.get(p.name), [...p.shape])]));
  const gated = method === 'crbg';
  const net = gated
    ? new GatedNetwork(model.params, frozen, {
        gate: 'gaussian',
        structure: 'unstructured',
        rescale: 'mask',
        targetSparsity: 0.5,
        gateOptions: { sigma: 0.25, init: 0.1 },
      })
    : undefined;
  if (hard) for (const g of net.gates.values()) g.hard = true;
  const dense = gated ? undefined : Object.fromEntries(model.params.map((p) => [p.name, tf.variable(frozen[p.name])]));
  const vars = gated ? net.variables() : Object.values(dense);
  const optimizer = createOptimizer(vars, { kind: 'adam' });
  const regularizer = gated
    ? createRegularizer('target', { targetSparsity: 0.5, penalty: 100, decision: 0.1 })
    : undefined;
  const noise = poolNoise(0, 784 * 300);
  const order = shuffledIndices(data.train.count, 0, 0);
  const phases = { batch: 0, forward_backward: 0, optimizer: 0, gate_projection_and_dual_step: 0 };
  const clock = (phase, fn) => {
    const t = performance.now();
    const out = fn();
    phases[phase] += performance.now() - t;
    return out;
  };
  const runStep = (step) =>
    tf.tidy(() => {
      noise.at(step);
      const [xb, yb] = clock('batch', () => {
        const index = tf.tensor1d(order.subarray(step * 128, (step + 1) * 128), 'int32');
        return [tf.gather(train.x, index), tf.gather(train.y, index)];
      });
      const { grads } = clock('forward_backward', () =>
        tf.variableGrads(() => {
          const w = gated ? net.effectiveWeights('sample', noise) : dense;
          const task = crossEntropy(model.apply(w, xb, { training: true }), yb, 10);
          return gated && regularize ? tf.add(task, regularizer.loss(net.groups)) : task;
        }, vars),
      );
      clock('optimizer', () => optimizer.step(grads, 0.01));
      if (gated)
        clock('gate_projection_and_dual_step', () => {
          for (const g of net.gates.values()) g.project();
          if (regularize) regularizer.update(net.groups);
        });
    });
  for (let step = 0; step < steps + 5; step++) {
    if (step === 5) for (const k of Object.keys(phases)) phases[k] = 0; // warm-up excluded
    runStep(step);
  }
  const perStep = Object.fromEntries(Object.entries(phases).map(([k, v]) => [k, Number((v / steps).toFixed(3))]));
  perStep.total = Number(
    Object.values(phases)
      .reduce((a, b) => a + b / steps, 0)
      .toFixed(3),
  );
  // Then the same steps kernel by kernel (tf.profile adds its own overhead, so these run apart
  // from the phase timings); custom-gradient wrappers are left out, their kernels are counted.
  const kernels = new Map();
  for (let step = steps + 5; step < 2 * steps + 5; step++) {
    const info = await tf.profile(() => runStep(step));
    for (const k of info.kernels) {
      if (tf.getKernel(k.name, backend) === undefined) continue;
      const key = `${k.name} [${k.inputShapes.map((shape) => shape?.join('x') ?? '').join(', ')}]`;
      kernels.set(key, (kernels.get(key) ?? 0) + (await k.kernelTimeMs));
    }
  }
  perStep.kernels = Object.fromEntries(
    [...kernels]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 12)
      .map(([key, ms]) => [key, Number((ms / steps).toFixed(3))]),
  );
  // tfjs variable names are global: the next profile's gates reuse them.
  net?.dispose();
  tf.dispose([...Object.values(frozen), ...Object.values(dense ?? {}), train.x, train.y]);
  optimizer.dispose();
  regularizer?.dispose();
  noise.dispose();
  return perStep;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const perRound = [];
// A short search of each first, so that neither method's first round pays for compiling kernels.
for (const method of ['crbg', 'dense']) await epochSeconds(method, { trainLimit: 2048, epochs: 1 });
for (let round = 0; round < rounds; round++) {
  // Which method goes first alternates too, so that a drift within a round falls on both.
  const measured = {};
  for (const method of round % 2 === 0 ? ['crbg', 'dense'] : ['dense', 'crbg'])
    measured[method] = await epochSeconds(method);
  const { crbg: crbgRound, dense: denseRound } = measured;
  perRound.push({
    crbg: crbgRound,
    dense: denseRound,
    ratio: crbgRound.seconds_per_epoch / denseRound.seconds_per_epoch,
  });
  console.log(
    `round ${round + 1}: crbg ${crbgRound.seconds_per_epoch.toFixed(2)} s, dense ${denseRound.seconds_per_epoch.toFixed(2)} s`,
  );
}
const summarise = (method) => ({
  seconds_per_epoch: median(perRound.map((r) => r[method].seconds_per_epoch)),
  test_acc: perRound[perRound.length - 1][method].test_acc,
  epochs,
});
const crbg = summarise('crbg');
const dense = summarise('dense');
const steps = Number(values['profile-steps']);
// A throwaway profile first: whichever profile runs first pays for growing the WASM heap (which
// detaches every typed-array view and deoptimises the JS around them), measured as 3-4 ms a step
// on the first of three identical profiles.
await profile('crbg', 20);
const profiles = {
  crbg: await profile('crbg', steps),
  crbg_hard: await profile('crbg', steps, { hard: true }),
  crbg_without_regularizer: await profile('crbg', steps, { regularize: false }),
  dense: await profile('dense', steps),
};
const result = {
  benchmark: 'seconds per Fashion-MNIST epoch (60,000 images, batch 128), LeNet-300-100, one process',
  date: new Date().toISOString(),
  machine: { cpu: cpus()[0]?.model, cores: cpus().length, memory_gib: Math.round(totalmem() / 2 ** 30) },
  backend: tf.getBackend(),
  versions: { node: process.version, tfjs_core: tf.version_core },
  epochs,
  rounds,
  crbg,
  dense,
  ratio_crbg_to_dense: Number(median(perRound.map((r) => r.ratio)).toFixed(3)),
  per_round: perRound.map((r) => ({
    crbg: Number(r.crbg.seconds_per_epoch.toFixed(3)),
    dense: Number(r.dense.seconds_per_epoch.toFixed(3)),
    ratio: Number(r.ratio.toFixed(3)),
  })),
  profile_ms_per_step: { steps, ...profiles },
};
writeFileSync(values.out, `${JSON.stringify(result, null, 2)}\n`);
console.log(JSON.stringify(result, null, 2));
