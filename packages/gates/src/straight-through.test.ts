import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import {
  cast,
  grad,
  greater,
  mul,
  scalar,
  setBackend,
  sigmoid,
  sub,
  sum,
  type Tensor,
  tensor1d,
} from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { straightThrough, straightThroughWithSlope } from './straight-through.js';

beforeAll(async () => {
  await setBackend('cpu');
});

describe('straight-through estimators', () => {
  const s = tensor1d([-1, 0.5, 2]);
  const step = (x: Tensor) => cast(greater(x, scalar(0)), 'float32');

  it('forwards the discrete value and passes the gradient unchanged', () => {
    expect(Array.from(straightThrough(s, step).dataSync())).toEqual([0, 1, 1]);
    const g = grad((x) => sum(mul(straightThrough(x, step), tensor1d([3, 4, 5]))))(s);
    expect(Array.from(g.dataSync())).toEqual([3, 4, 5]);
  });

  it('scales the gradient by the surrogate slope', () => {
    const slope = (x: Tensor) => {
      const p = sigmoid(x);
      return mul(p, sub(scalar(1), p));
    };
    const g = grad((x) => sum(straightThroughWithSlope(x, step, slope)))(s);
    const expected = [-1, 0.5, 2].map((v) => {
      const p = 1 / (1 + Math.exp(-v));
      return p * (1 - p);
    });
    for (const [i, v] of Array.from(g.dataSync()).entries()) expect(v).toBeCloseTo(expected[i], 6);
  });
});
