import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { fill, grad, mean, setBackend, sum, tensor1d } from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { NoiseSource } from './gate.js';
import { supermaskGate } from './supermask.js';

beforeAll(async () => {
  await setBackend('cpu');
});

describe('supermask gate', () => {
  it('starts at P(keep) = 1/2 and keeps 1[sigmoid(score) > 1/2] in the ticket', () => {
    const gate = supermaskGate([4]);
    expect(Array.from(gate.pKeep().dataSync())).toEqual([0.5, 0.5, 0.5, 0.5]);
    gate.params()[0].assign(tensor1d([-2, -0.01, 0.01, 3]));
    expect(Array.from(gate.mask().dataSync())).toEqual([0, 0, 1, 1]);
    gate.dispose();
  });

  it('samples Bernoulli(sigmoid(score))', () => {
    const gate = supermaskGate([20000], { initialPOpen: 0.2 });
    const z = gate.sample();
    const values = new Set(Array.from(z.dataSync()));
    expect([...values].sort()).toEqual([0, 1]);
    expect(mean(z).dataSync()[0]).toBeCloseTo(0.2, 1);
    gate.dispose();
  });

  it('back-propagates through the sample with the slope of sigmoid', () => {
    const gate = supermaskGate([3]);
    const [scores] = gate.params();
    scores.assign(tensor1d([-1, 0, 2]));
    const halfway: NoiseSource = { normal: (shape) => fill([...shape], 0), uniform: (shape) => fill([...shape], 0.5) };
    expect(Array.from(gate.sample(halfway).dataSync())).toEqual([0, 0, 1]);
    const g = grad(() => sum(gate.sample(halfway)))(scores);
    const expected = [-1, 0, 2].map((s) => {
      const p = 1 / (1 + Math.exp(-s));
      return p * (1 - p);
    });
    for (const [i, v] of Array.from(g.dataSync()).entries()) expect(v).toBeCloseTo(expected[i], 6);
    gate.dispose();
  });
});
