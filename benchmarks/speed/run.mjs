// Speed of one search step on this machine: seconds per Fashion-MNIST epoch (60,000 images,
// batch 128) for crbg and for dense weight training of the same LeNet-300-100, measured in one
// process on one backend, plus a profile of where a step's milliseconds go.
// The methods alternate within each round as A B B A (crbg dense dense crbg, then dense crbg
// crbg dense), and a round's ratio is that of its two epochs of each: a drift that is linear over
// the round cancels. The ratio reported is the median of the rounds' ratios: this machine's speed
// drifts by 20-100% within minutes, which separate blocks of runs would read as a difference
// between the methods. The profile's steps interleave the methods step by step (see `profile`).
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
  gatedNetworkOptions,
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
 * The step kinds profiled: crbg's own, its binary-sample steps (after `--hard-from`, half of a
 * search by default), crbg without the regulariser's term (what the gates alone cost over dense,
 * and what the regulariser adds), and dense.
 */
const KINDS = {
  crbg: { gated: true, hard: false, regularize: true },
  crbg_hard: { gated: true, hard: true, regularize: true },
  crbg_without_regularizer: { gated: true, hard: false, regularize: false },
  dense: { gated: false },
};

/**
 * Times each phase of a step (WASM and CPU are synchronous, so wall time per phase is exact) for
 * every kind in KINDS, the kinds taking turns step by step so that the machine's drift falls on
 * all of them alike (profiled one after another, dense once came out slower than crbg). The crbg
 * kinds share one gated network and optimiser: which kernels a step runs depends on its kind, not
 * on the gates' values. Then the same rotation kernel by kernel.
 */
async function profile(steps) {
  await useBackend(backend);
  const data = await loadDataset('fashion-mnist');
  const train = toTensors(data.train, data.info);
  const model = createModel('lenet300', { inputShape: data.info.inputShape, classes: 10 });
  const init = initialWeights(model.params, { recipe: 'signed-constant', seed: 0 });
  const frozen = Object.fromEntries(model.params.map((p) => [p.name, tf.tensor(init.get(p.name), [...p.shape])]));
  // crbg's gate and regulariser settings as `slt search` resolves them (target 0.5).
  const recipe = resolveConfig(methodDefaults(methods.get('crbg'), { model: 'lenet300' }), { targetSparsity: 0.5 });
  const net = new GatedNetwork(model.params, frozen, gatedNetworkOptions(recipe));
  const dense = Object.fromEntries(model.params.map((p) => [p.name, tf.variable(frozen[p.name])]));
  const optimizers = {
    gated: createOptimizer(net.variables(), { kind: 'adam' }),
    dense: createOptimizer(Object.values(dense), { kind: 'adam' }),
  };
  const regularizer = createRegularizer(recipe.regularizer, {
    targetSparsity: recipe.targetSparsity,
    penalty: recipe.penalty,
    decision: recipe.decision,
    dualLr: recipe.dualLr,
  });
  const noise = poolNoise(0, 784 * 300);
  const order = shuffledIndices(data.train.count, 0, 0);
  const batches = Math.floor(data.train.count / 128);
  const kinds = Object.keys(KINDS);
  const zeroPhases = () => ({ batch: 0, forward_backward: 0, optimizer: 0, gate_projection_and_dual_step: 0 });
  let phases = Object.fromEntries(kinds.map((kind) => [kind, zeroPhases()]));
  const runStep = (kind, step) => {
    const { gated, hard, regularize } = KINDS[kind];
    const clock = (phase, fn) => {
      const t = performance.now();
      const out = fn();
      phases[kind][phase] += performance.now() - t;
      return out;
    };
    for (const g of net.gates.values()) g.hard = hard === true;
    const vars = gated ? net.variables() : Object.values(dense);
    tf.tidy(() => {
      noise.at(step);
      const [xb, yb] = clock('batch', () => {
        const b = step % batches;
        const index = tf.tensor1d(order.subarray(b * 128, (b + 1) * 128), 'int32');
        return [tf.gather(train.x, index), tf.gather(train.y, index)];
      });
      const { grads } = clock('forward_backward', () =>
        tf.variableGrads(() => {
          const w = gated ? net.effectiveWeights('sample', noise) : dense;
          const task = crossEntropy(model.apply(w, xb, { training: true }), yb, 10);
          return gated && regularize ? tf.add(task, regularizer.loss(net.groups)) : task;
        }, vars),
      );
      clock('optimizer', () => optimizers[gated ? 'gated' : 'dense'].step(grads, 0.01));
    });
    if (gated)
      clock('gate_projection_and_dual_step', () => {
        for (const g of net.gates.values()) g.project();
        if (regularize) regularizer.update(net.groups);
      });
  };
  // One step of each kind per round, the order rotating so that no kind always follows the same
  // one; the first 20 rounds (growing the WASM heap, compiling) are not counted.
  const round = async (step, each) => {
    for (let i = 0; i < kinds.length; i++) await each(kinds[(step + i) % kinds.length]);
  };
  for (let step = 0; step < steps + 20; step++) {
    if (step === 20) phases = Object.fromEntries(kinds.map((kind) => [kind, zeroPhases()]));
    await round(step, (kind) => runStep(kind, step));
  }
  const result = {};
  for (const kind of kinds) {
    const perStep = Object.fromEntries(
      Object.entries(phases[kind]).map(([k, v]) => [k, Number((v / steps).toFixed(3))]),
    );
    perStep.total = Number(
      Object.values(phases[kind])
        .reduce((a, b) => a + b / steps, 0)
        .toFixed(3),
    );
    result[kind] = perStep;
  }
  // Then the same rotation kernel by kernel (tf.profile adds its own overhead, so these run apart
  // from the phase timings); custom-gradient wrappers are left out, their kernels are counted.
  const kernels = Object.fromEntries(kinds.map((kind) => [kind, new Map()]));
  for (let step = steps + 20; step < 2 * steps + 20; step++) {
    await round(step, async (kind) => {
      const info = await tf.profile(() => runStep(kind, step));
      for (const k of info.kernels) {
        if (tf.getKernel(k.name, backend) === undefined) continue;
        const key = `${k.name} [${k.inputShapes.map((shape) => shape?.join('x') ?? '').join(', ')}]`;
        kernels[kind].set(key, (kernels[kind].get(key) ?? 0) + (await k.kernelTimeMs));
      }
    });
  }
  for (const kind of kinds) {
    result[kind].kernels = Object.fromEntries(
      [...kernels[kind]]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 12)
        .map(([key, ms]) => [key, Number((ms / steps).toFixed(3))]),
    );
  }
  net.dispose();
  tf.dispose([...Object.values(frozen), ...Object.values(dense), train.x, train.y]);
  for (const o of Object.values(optimizers)) o.dispose();
  regularizer.dispose();
  noise.dispose();
  return result;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const perRound = [];
// A short search of each first, so that neither method's first round pays for compiling kernels.
for (const method of ['crbg', 'dense']) await epochSeconds(method, { trainLimit: 2048, epochs: 1 });
for (let round = 0; round < rounds; round++) {
  const [first, second] = round % 2 === 0 ? ['crbg', 'dense'] : ['dense', 'crbg'];
  const measured = { crbg: [], dense: [] };
  for (const method of [first, second, second, first]) measured[method].push(await epochSeconds(method));
  const mean = (runs) => runs.reduce((a, r) => a + r.seconds_per_epoch, 0) / runs.length;
  perRound.push({
    crbg: { ...measured.crbg[1], seconds_per_epoch: mean(measured.crbg) },
    dense: { ...measured.dense[1], seconds_per_epoch: mean(measured.dense) },
    ratio: mean(measured.crbg) / mean(measured.dense),
  });
  const line = (m) => measured[m].map((r) => r.seconds_per_epoch.toFixed(2)).join(' + ');
  console.log(`round ${round + 1}: crbg ${line('crbg')} s, dense ${line('dense')} s`);
}
const summarise = (method) => ({
  seconds_per_epoch: median(perRound.map((r) => r[method].seconds_per_epoch)),
  test_acc: perRound[perRound.length - 1][method].test_acc,
  epochs,
});
const crbg = summarise('crbg');
const dense = summarise('dense');
const steps = Number(values['profile-steps']);
const profiles = await profile(steps);
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
  // The same ratio from the interleaved profile: a search's steps are half relaxed, half 0/1.
  profile_ratio_crbg_to_dense: Number(
    ((profiles.crbg.total + profiles.crbg_hard.total) / 2 / profiles.dense.total).toFixed(3),
  ),
  per_round: perRound.map((r) => ({
    crbg: Number(r.crbg.seconds_per_epoch.toFixed(3)),
    dense: Number(r.dense.seconds_per_epoch.toFixed(3)),
    ratio: Number(r.ratio.toFixed(3)),
  })),
  profile_ms_per_step: { steps, ...profiles },
};
writeFileSync(values.out, `${JSON.stringify(result, null, 2)}\n`);
console.log(JSON.stringify(result, null, 2));
