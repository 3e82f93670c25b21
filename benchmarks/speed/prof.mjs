import { createModel, initialWeights } from '@slt/models';
import { createRegularizer } from '@slt/regularizers';
import { createOptimizer, crossEntropy, GatedNetwork, poolNoise, useBackend } from '@slt/train';
import * as tf from '@tensorflow/tfjs-core';

await useBackend(process.argv[2] ?? 'wasm');
const model = createModel('lenet300', { inputShape: [28, 28, 1], classes: 10 });
const init = initialWeights(model.params, { recipe: 'signed-constant', seed: 0 });
const frozen = Object.fromEntries(model.params.map((p) => [p.name, tf.tensor(init.get(p.name), p.shape)]));
const net = new GatedNetwork(model.params, frozen, {
  gate: 'gaussian',
  structure: 'unstructured',
  rescale: 'mask',
  targetSparsity: 0.9,
  gateOptions: { sigma: 0.25, init: 0.1 },
});
const vars = net.variables();
const opt = createOptimizer(vars, { kind: 'adam' });
const reg = createRegularizer('target', { targetSparsity: 0.9 });
const noise = poolNoise(0, 235200);
const x = tf.randomNormal([128, 28, 28, 1]);
const y = tf.tensor1d(
  Array.from({ length: 128 }, (_, i) => i % 10),
  'int32',
);
function time(name, fn, n = 30) {
  for (let i = 0; i < 3; i++) fn();
  const t = performance.now();
  for (let i = 0; i < n; i++) fn();
  console.log(name.padEnd(30), ((performance.now() - t) / n).toFixed(2), 'ms');
}
time('matmul fwd 128x784x300', () => tf.tidy(() => tf.matMul(tf.reshape(x, [128, 784]), frozen['fc1.weight'])));
time('sample gates', () =>
  tf.tidy(() => {
    net.gateValues('sample', noise).get('fc1.weight');
  }),
);
time('effective weights', () =>
  tf.tidy(() => {
    net.effectiveWeights('sample', noise)['fc1.weight'];
  }),
);
time('forward', () => tf.tidy(() => model.apply(net.effectiveWeights('sample', noise), x, { training: true })));
time('reg loss', () => tf.tidy(() => reg.loss(net.groups)));
let g;
time('fwd+bwd (no reg)', () =>
  tf.tidy(() => {
    const { value, grads } = tf.variableGrads(
      () => crossEntropy(model.apply(net.effectiveWeights('sample', noise), x, { training: true }), y, 10),
      vars,
    );
    grads[vars[0].name];
  }),
);
time('fwd+bwd (+reg)', () =>
  tf.tidy(() => {
    const { value, grads } = tf.variableGrads(
      () =>
        tf.add(
          crossEntropy(model.apply(net.effectiveWeights('sample', noise), x, { training: true }), y, 10),
          reg.loss(net.groups),
        ),
      vars,
    );
    grads[vars[0].name];
  }),
);
const grads = tf.tidy(
  () =>
    tf.variableGrads(
      () => crossEntropy(model.apply(net.effectiveWeights('sample', noise), x, { training: true }), y, 10),
      vars,
    ).grads,
);
Object.values(grads).forEach((t) => tf.keep(t));
time('adam step', () => {
  opt.step(grads, 0.05);
  vars[0];
});
time('project', () => {
  for (const g of net.gates.values()) g.project();
  vars[0];
});
time('reg update', () => {
  reg.update(net.groups);
  vars[0];
});
// dense
const dvars = model.params.map((p) => tf.variable(frozen[p.name]));
const dw = Object.fromEntries(model.params.map((p, i) => [p.name, dvars[i]]));
const dopt = createOptimizer(dvars, { kind: 'adam' });
time('dense fwd+bwd', () =>
  tf.tidy(() => {
    const { grads } = tf.variableGrads(() => crossEntropy(model.apply(dw, x, { training: true }), y, 10), dvars);
    grads[dvars[0].name];
  }),
);
const dgrads = tf.tidy(
  () => tf.variableGrads(() => crossEntropy(model.apply(dw, x, { training: true }), y, 10), dvars).grads,
);
Object.values(dgrads).forEach((t) => tf.keep(t));
time('dense adam step', () => {
  dopt.step(dgrads, 0.001);
  dvars[0];
});
