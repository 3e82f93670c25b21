import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
await tf.setBackend('wasm');
const a = tf.randomNormal([128, 784]);
const b = tf.randomNormal([784, 300]);
for (const [name, fn] of [
  ['mm', () => tf.matMul(a, b)],
  ['mmTA', () => tf.matMul(tf.transpose(a), tf.randomNormal([128, 300]))],
  ['mul', () => tf.mul(b, b)],
  ['clip', () => tf.clipByValue(b, 0, 1)],
  ['erf', () => tf.erf(b)],
]) {
  for (let i = 0; i < 5; i++) tf.tidy(() => fn().dataSync());
  const t = performance.now();
  for (let i = 0; i < 50; i++) tf.tidy(() => fn().dataSync());
  console.log(name, ((performance.now() - t) / 50).toFixed(3));
}
