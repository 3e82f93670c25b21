import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import {
  add,
  grads,
  maxPool,
  mean,
  mul,
  pad,
  randomNormal,
  rsqrt,
  scalar,
  setBackend,
  square,
  sub,
  sum,
  type Tensor,
  type Tensor4D,
  tensor,
  conv2d as tfConv2d,
  tidy,
} from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { conv2d } from './conv.js';
import { batchNorm, layerNorm } from './norm.js';
import { maxPool2x2 } from './pool.js';

type Arrays = Float32Array[];

/** Gradients of sum(f(x, w) * r) with respect to (x, w), as plain arrays. */
function gradients(f: (x: Tensor, w: Tensor) => Tensor, x: Tensor, w: Tensor, r: Tensor): Arrays {
  return tidy(() => grads((a: Tensor, b: Tensor) => sum(mul(f(a, b), r)))([x, w])).map(
    (g) => g.dataSync() as Float32Array,
  );
}

/** Gradient of sum(f(x) * r) with respect to x. */
function gradient(f: (x: Tensor) => Tensor, x: Tensor, r: Tensor): Float32Array {
  return tidy(() => grads((a: Tensor) => sum(mul(f(a), r)))([x])[0].dataSync() as Float32Array);
}

function expectClose(actual: Float32Array, expected: Float32Array, tolerance: number): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  let scale = 0;
  for (let i = 0; i < actual.length; i++) {
    worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
    scale = Math.max(scale, Math.abs(expected[i]));
  }
  expect(worst).toBeLessThanOrEqual(tolerance * Math.max(1, scale));
}

// (height, kernel, cin, cout, stride, padding): 'same' 3x3, strided 3x3 (ResNet downsampling, odd
// and even inputs), strided 1x1 (projection shortcut) and a valid 5x5.
const cases = [
  [8, 3, 3, 4, 1, 1],
  [8, 3, 2, 5, 2, 1],
  [7, 3, 2, 3, 2, 1],
  [8, 1, 4, 6, 2, 0],
  [9, 5, 2, 3, 1, 0],
] as const;

/** tfjs's own convolution with explicit symmetric padding: the reference on the CPU backend. */
function reference(stride: number, padding: number) {
  return (x: Tensor, w: Tensor) =>
    tfConv2d(
      pad(x, [
        [0, 0],
        [padding, padding],
        [padding, padding],
        [0, 0],
      ]) as Tensor4D,
      w as Tensor4D,
      stride,
      'valid',
    );
}

describe('conv2d', () => {
  for (const [h, k, cin, cout, stride, padding] of cases) {
    const label = `${h}x${h}x${cin} * ${k}x${k}x${cout}, stride ${stride}, padding ${padding}`;
    it(`matches tfjs's value and gradients on cpu and wasm: ${label}`, async () => {
      await setBackend('cpu');
      const data = [randomNormal([2, h, h, cin]), randomNormal([k, k, cin, cout])].map((t) => t.arraySync());
      const make = () => [tensor(data[0] as number[]), tensor(data[1] as number[])];
      const [x, w] = make();
      const ours = (a: Tensor, b: Tensor) => conv2d(a, b, { stride, padding });
      const out = ours(x, w);
      const r = randomNormal(out.shape, 0, 1, 'float32', 7);
      const rData = r.arraySync() as number[];
      expectClose(out.dataSync() as Float32Array, reference(stride, padding)(x, w).dataSync() as Float32Array, 1e-5);
      const expected = gradients(reference(stride, padding), x, w, r);
      const cpu = gradients(ours, x, w, r);
      expectClose(cpu[0], expected[0], 1e-5);
      expectClose(cpu[1], expected[1], 1e-5);

      await setBackend('wasm');
      const [xw, ww] = make();
      const wasm = gradients(ours, xw, ww, tensor(rData));
      expectClose(wasm[0], expected[0], 1e-4);
      expectClose(wasm[1], expected[1], 1e-4);
    });
  }

  it('agrees with finite differences of the filter (float64 arithmetic in JS)', async () => {
    await setBackend('wasm');
    const x = randomNormal([1, 5, 5, 2], 0, 1, 'float32', 1);
    const w = randomNormal([3, 3, 2, 2], 0, 1, 'float32', 2);
    const r = randomNormal([1, 3, 3, 2], 0, 1, 'float32', 3);
    const loss = (wt: Tensor) => tidy(() => sum(mul(conv2d(x, wt, { stride: 2 }), r)).dataSync()[0]);
    const [, dw] = gradients((a, b) => conv2d(a, b, { stride: 2 }), x, w, r);
    const base = w.dataSync() as Float32Array;
    const eps = 1e-2;
    for (const i of [0, 5, 17, 35]) {
      const plus = Float32Array.from(base);
      const minus = Float32Array.from(base);
      plus[i] += eps;
      minus[i] -= eps;
      const numeric = (loss(tensor(plus, w.shape)) - loss(tensor(minus, w.shape))) / (2 * eps);
      expect(dw[i]).toBeCloseTo(numeric, 2);
    }
  });

  it('rejects a kernel whose input channels do not match', () => {
    expect(() => conv2d(randomNormal([1, 4, 4, 3]), randomNormal([3, 3, 2, 4]))).toThrow(/w must be/);
  });
});

describe('normalisation', () => {
  for (const [name, op, axes] of [
    ['batchNorm', batchNorm, [0, 1, 2]],
    ['layerNorm', layerNorm, [3]],
  ] as const) {
    it(`${name}: closed-form gradient equals the generic chain, on cpu and wasm`, async () => {
      for (const backend of ['cpu', 'wasm']) {
        await setBackend(backend);
        const x = randomNormal([3, 4, 4, 5], 2, 3, 'float32', 11);
        const r = randomNormal([3, 4, 4, 5], 0, 1, 'float32', 12);
        const generic = (t: Tensor) => {
          const centered = sub(t, mean(t, [...axes], true));
          const variance = mean(square(centered), [...axes], true);
          return mul(centered, rsqrt(add(variance, scalar(1e-5))));
        };
        const ours = gradient((a) => op(a), x, r);
        const expected = gradient((a) => generic(a), x, r);
        expectClose(ours, expected, 1e-4);
        const y = op(x);
        expect(Math.abs(mean(y).dataSync()[0])).toBeLessThan(1e-5);
      }
    });
  }
});

describe('maxPool2x2', () => {
  it("matches tfjs's maxPool value and gradient on cpu, on even and odd inputs", async () => {
    await setBackend('cpu');
    for (const size of [6, 7]) {
      const x = randomNormal([2, size, size, 3], 0, 1, 'float32', size);
      const r = randomNormal([2, 3, 3, 3], 0, 1, 'float32', 5);
      const reference = (t: Tensor) => maxPool(t as Tensor4D, 2, 2, 'valid');
      expectClose(maxPool2x2(x).dataSync() as Float32Array, reference(x).dataSync() as Float32Array, 0);
      const ours = gradient((a) => maxPool2x2(a), x, r);
      const expected = gradient((a) => reference(a), x, r);
      expectClose(ours, expected, 0);
    }
  });

  it('gives the same gradient on wasm as on cpu', async () => {
    const data = randomNormal([2, 8, 8, 4], 0, 1, 'float32', 9).arraySync() as number[];
    const rData = randomNormal([2, 4, 4, 4], 0, 1, 'float32', 10).arraySync() as number[];
    const run = async (backend: string) => {
      await setBackend(backend);
      return gradient((a) => maxPool2x2(a), tensor(data), tensor(rData));
    };
    expectClose(await run('wasm'), await run('cpu'), 0);
  });
});
