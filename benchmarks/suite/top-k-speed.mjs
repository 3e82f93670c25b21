// How edge-popup's per-layer top-k mask is fastest to compute on a backend: tf.topk + scatterND
// (what @slt/gates uses, no read-back) against a JS quickselect after dataSync(), an in-graph
// bisection on the threshold, and a full JS sort. LeNet-300-100's first layer: 235,200 scores, k = n/2.
//   node benchmarks/suite/top-k-speed.mjs [wasm|cpu]
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-backend-cpu';
import { topKMask } from '@slt/gates';

const backend = process.argv[2] ?? 'wasm';
await tf.setBackend(backend);
await tf.ready();
const n = 784 * 300;
const k = Math.round(0.5 * n);
const scores = tf.randomUniform([784, 300], -1, 1);

function time(f, reps) {
  for (let i = 0; i < 3; i++) tf.tidy(f);
  const t = performance.now();
  for (let i = 0; i < reps; i++) tf.tidy(f);
  return (performance.now() - t) / reps;
}
function kthLargest(values, kk) {
  const a = Float32Array.from(values);
  let lo = 0;
  let hi = a.length - 1;
  const target = kk - 1;
  while (lo < hi) {
    const p = a[(lo + hi) >> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] > p) i++;
      while (a[j] < p) j--;
      if (i <= j) {
        [a[i], a[j]] = [a[j], a[i]];
        i++;
        j--;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else break;
  }
  return a[target];
}
// Every variant ends with dataSync() of its mask so asynchronous backends are timed fully.
const ms = {
  'tf.topk + scatterND (slt)': time(() => topKMask(scores, k).dataSync(), 20),
  'dataSync + JS quickselect threshold': time(() => {
    const a = tf.abs(scores);
    tf.cast(tf.greaterEqual(a, kthLargest(a.dataSync(), k)), 'float32').dataSync();
  }, 20),
  'in-graph bisection, 32 rounds': time(() => {
    const a = tf.abs(scores);
    let lo = tf.scalar(0);
    let hi = tf.max(a);
    for (let i = 0; i < 32; i++) {
      const mid = tf.div(tf.add(lo, hi), 2);
      const big = tf.greaterEqual(tf.sum(tf.cast(tf.greaterEqual(a, mid), 'float32')), k);
      lo = tf.where(big, mid, lo);
      hi = tf.where(big, hi, mid);
    }
    tf.cast(tf.greaterEqual(a, lo), 'float32').dataSync();
  }, 5),
  'dataSync + full JS sort': time(() => Float32Array.from(tf.abs(scores).dataSync()).sort(), 5),
};
console.log(JSON.stringify({ backend, entries: n, k, ms_per_mask: ms }, null, 2));
