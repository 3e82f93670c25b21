import { clampedNoise, gatedWeight, normalCdfSum } from '@slt/gates';
import { poolNoise, useBackend } from '@slt/train';
import * as tf from '@tensorflow/tfjs-core';

await useBackend(process.argv[2] ?? 'wasm');
const noise = poolNoise(0, 235200);
const mu = tf.variable(tf.fill([784, 300], 0.1));
const w = tf.randomNormal([784, 300]);
const dy = tf.randomNormal([784, 300]);
function time(name, fn, n = 60) {
  for (let i = 0; i < 3; i++) tf.tidy(fn);
  const t = performance.now();
  for (let i = 0; i < n; i++) tf.tidy(fn);
  console.log(name.padEnd(34), ((performance.now() - t) / n).toFixed(3), 'ms');
}
time('noise tensor', () => noise.normal([784, 300]));
time('clampedNoise fwd', () => clampedNoise(mu, w, 0.25, 0.5));
time('clampedNoise fwd+bwd', () => tf.grad((m) => tf.sum(tf.mul(clampedNoise(m, w, 0.25, 0.5), dy)))(mu));
time('gatedWeight fwd', () => gatedWeight(w, mu, 1, true));
time('gatedWeight fwd+bwd', () => tf.grad((m) => tf.sum(tf.mul(gatedWeight(w, m, 1, true), dy)))(mu));
time('mul+sum fwd+bwd (baseline)', () => tf.grad((m) => tf.sum(tf.mul(m, dy)))(mu));
time('normalCdfSum fwd+bwd', () => tf.grad((m) => normalCdfSum(m, 4))(mu));
time('js loop 235k', () => {
  const a = new Float32Array(235200);
  const b = new Float32Array(235200);
  for (let i = 0; i < a.length; i++) b[i] = a[i] * 2 + 1;
  return tf.scalar(0);
});
