import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { grads, matMul, mul, randomNormal, setBackend, sum, type Tensor } from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { dense } from './dense.js';

const close = (a: Tensor, b: Tensor) => {
  const x = a.dataSync();
  const y = b.dataSync();
  expect(a.shape).toEqual(b.shape);
  for (let i = 0; i < x.length; i++) expect(Math.abs(x[i] - y[i])).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(y[i])));
};

describe.each(['wasm', 'cpu'])('dense on %s', (backend) => {
  it('equals matMul in value and in both gradients; inputIsData gives no input gradient', async () => {
    await setBackend(backend);
    const x = randomNormal([7, 13], 0, 1, 'float32', 1);
    const w = randomNormal([13, 5], 0, 1, 'float32', 2);
    const probe = randomNormal([7, 5], 0, 1, 'float32', 3);
    close(dense(x, w), matMul(x, w));
    close(dense(x, w, true), matMul(x, w));
    // <layer output, probe>: a random linear read-out, so every output entry carries gradient
    const [dx, dw] = grads((a: Tensor, b: Tensor) => sum(mul(matMul(a, b), probe)))([x, w]);
    const [dxDense, dwDense] = grads((a: Tensor, b: Tensor) => sum(mul(dense(a, b), probe)))([x, w]);
    close(dxDense, dx);
    close(dwDense, dw);
    const [dxData, dwData] = grads((a: Tensor, b: Tensor) => sum(mul(dense(a, b, true), probe)))([x, w]);
    close(dwData, dw);
    expect(Array.from(dxData.dataSync()).every((v) => v === 0)).toBe(true);
  });
});
