// Seconds per training step of conv4 on CIFAR-10-sized input: gated steps (W * z with gaussian
// gates, target regulariser, projection; relaxed gates with Adam, and crbg's default on these nets,
// 0/1 gates with SGD) against ordinary dense weight training of the same net (Adam on the
// weights), on one backend, in one process.
// Usage: node benchmarks/conv/speed.mjs [wasm|cpu] [batch] [model]   (after `pnpm build`)
import { writeFileSync } from 'node:fs';
import { createModel, initialWeights } from '@slt/models';
import { createRegularizer } from '@slt/regularizers';
import { createOptimizer, crossEntropy, GatedNetwork, poolNoise, useBackend } from '@slt/train';
import * as tf from '@tensorflow/tfjs-core';

const backend = process.argv[2] ?? 'wasm';
const batch = Number(process.argv[3] ?? 64);
const modelName = process.argv[4] ?? 'conv4';
await useBackend(backend);
const model = createModel(modelName, { inputShape: [32, 32, 3], classes: 10 });
const init = initialWeights(model.params, { recipe: 'signed-constant', seed: 0 });
const frozen = Object.fromEntries(model.params.map((p) => [p.name, tf.tensor(init.get(p.name), p.shape)]));
const total = model.params.reduce((n, p) => n + p.shape.reduce((a, b) => a * b, 1), 0);
const x = tf.randomNormal([batch, 32, 32, 3], 0, 1, 'float32', 1);
const y = tf.tensor1d(
  Array.from({ length: batch }, (_, i) => i % 10),
  'int32',
);

function time(fn, steps) {
  for (let i = 0; i < 2; i++) fn();
  const start = performance.now();
  for (let i = 0; i < steps; i++) fn();
  return (performance.now() - start) / steps / 1000;
}

const net = new GatedNetwork(model.params, frozen, {
  gate: 'gaussian',
  structure: 'unstructured',
  rescale: 'mask',
  targetSparsity: 0.5,
  gateOptions: { sigma: 0.25, init: 0.1 },
});
const gateVars = net.variables();
const regularizer = createRegularizer('target', { targetSparsity: 0.5 });
const noise = poolNoise(0, total);
/** One gated step: relaxed gates with Adam (crbg on LeNet), or 0/1 gates with SGD (crbg on these nets). */
function gatedStepOf(hard, kind, lr) {
  const optimizer = createOptimizer(gateVars, { kind, momentum: 0.9 });
  return () => {
    for (const gate of net.gates.values()) if ('hard' in gate) gate.hard = hard;
    tf.tidy(() => {
      const { value, grads } = tf.variableGrads(
        () =>
          tf.add(
            crossEntropy(model.apply(net.effectiveWeights('sample', noise), x, { training: true }), y, 10),
            regularizer.loss(net.groups),
          ),
        gateVars,
      );
      optimizer.step(grads, lr);
      value.dataSync();
    });
    for (const gate of net.gates.values()) gate.project();
  };
}
const relaxedStep = gatedStepOf(false, 'adam', 0.05);
const hardStep = gatedStepOf(true, 'sgd', 0.6);

const denseVars = model.params.map((p) => tf.variable(frozen[p.name], true, `dense/${p.name}`));
const denseWeights = Object.fromEntries(model.params.map((p, i) => [p.name, denseVars[i]]));
const denseOptimizer = createOptimizer(denseVars, { kind: 'adam' });
const denseStep = () => {
  tf.tidy(() => {
    const { value, grads } = tf.variableGrads(
      () => crossEntropy(model.apply(denseWeights, x, { training: true }), y, 10),
      denseVars,
    );
    denseOptimizer.step(grads, 0.001);
    value.dataSync();
  });
};

const steps = 10;
// Interleave the three so load on the machine affects them alike.
const relaxed = [];
const hard = [];
const dense = [];
for (let round = 0; round < 2; round++) {
  relaxed.push(time(relaxedStep, steps));
  hard.push(time(hardStep, steps));
  dense.push(time(denseStep, steps));
}
const best = (runs) => Math.min(...runs);
const result = {
  model: modelName,
  backend,
  batch,
  input: [32, 32, 3],
  weights: total,
  seconds_per_step_gated: best(relaxed),
  seconds_per_step_gated_hard_sgd: best(hard),
  seconds_per_step_dense: best(dense),
  ratio: best(relaxed) / best(dense),
  ratio_hard_sgd: best(hard) / best(dense),
  node: process.version,
  tfjs: tf.version_core,
};
console.log(JSON.stringify(result));
if (process.env.SLT_WRITE)
  writeFileSync(new URL(`speed-${modelName}-${backend}.json`, import.meta.url), `${JSON.stringify(result, null, 2)}\n`);
