import { gaussianGate, normalCdf } from '@slt/gates';
import { poolNoise, useBackend } from '@slt/train';
import * as tf from '@tensorflow/tfjs-core';

await useBackend(process.argv[2] ?? 'wasm');
const noise = poolNoise(0, 235200);
const gate = gaussianGate([784, 300], { sigma: 0.25 });
const mu = gate.params()[0];
const w = tf.randomNormal([784, 300]);
const dy = tf.randomNormal([784, 300]);
function time(name, fn, n = 40) {
  for (let i = 0; i < 3; i++) tf.tidy(fn);
  const t = performance.now();
  for (let i = 0; i < n; i++) tf.tidy(fn);
  console.log(name.padEnd(34), ((performance.now() - t) / n).toFixed(3), 'ms');
}
time('sample fwd', () => gate.sample(noise));
time('sample fwd+bwd', () =>
  tf.grad((m) =>
    tf.sum(
      tf.mul(
        tf.clipByValue(tf.add(tf.add(m, tf.mul(noise.normal([784, 300]), tf.scalar(0.25))), tf.scalar(0.5)), 0, 1),
        dy,
      ),
    ),
  )(mu),
);
time('W*z fwd+bwd', () => tf.grad((z) => tf.sum(tf.mul(tf.mul(w, z), dy)))(mu));
time('pKeep sum fwd', () => tf.sum(gate.pKeep()));
time('pKeep sum fwd+bwd', () => tf.grad((m) => tf.sum(normalCdf(tf.div(m, tf.scalar(0.25)))))(mu));
time('erf', () => tf.erf(w));
time('exp', () => tf.exp(w));
time('greaterEqual', () => tf.greaterEqual(w, tf.scalar(0)));
time('where', () => tf.where(tf.greaterEqual(w, tf.scalar(0)), w, dy));
time('mul', () => tf.mul(w, dy));
time('mul scalar', () => tf.mul(w, tf.scalar(2)));
time('sum', () => tf.sum(w));
time('fill 235k', () => tf.fill([784, 300], 1));
time('tensor from js', () => tf.tensor(new Float32Array(235200), [784, 300]));
