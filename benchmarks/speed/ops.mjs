import { poolNoise, useBackend } from '@slt/train';
import * as tf from '@tensorflow/tfjs-core';

await useBackend(process.argv[2] ?? 'wasm');
const noise = poolNoise(0, 235200);
const mu = tf.variable(tf.fill([784, 300], 0.1));
const w = tf.randomNormal([784, 300]);
function time(name, fn, n = 50) {
  for (let i = 0; i < 3; i++) tf.tidy(fn);
  const t = performance.now();
  for (let i = 0; i < n; i++) tf.tidy(fn);
  console.log(name.padEnd(30), ((performance.now() - t) / n).toFixed(3), 'ms');
}
time('noise draw', () => noise.normal([784, 300]));
time('mul', () => tf.mul(mu, w));
time('mul scalar', () => tf.mul(mu, tf.scalar(0.5)));
time('add', () => tf.add(mu, w));
time('clip', () => tf.clipByValue(w, 0, 1));
time('erf', () => tf.erf(w));
time('square', () => tf.square(w));
time('mean', () => tf.mean(w));
time('sum', () => tf.sum(w));
time('greater', () => tf.greater(w, tf.scalar(0)));
time('transpose', () => tf.transpose(w));
time('gather rows', () =>
  tf.gather(
    w,
    tf.tensor1d(
      Int32Array.from({ length: 128 }, (_, i) => i * 3),
      'int32',
    ),
  ),
);
time('assign', () => mu.assign(tf.add(mu, tf.scalar(0))));
