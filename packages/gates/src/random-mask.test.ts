import '@tensorflow/tfjs-backend-cpu';
import { setBackend, sum } from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { randomMaskGate, randomMaskValues } from './random-mask.js';
import { createGate } from './registry.js';

beforeAll(async () => {
  await setBackend('cpu');
});

describe('random gate', () => {
  it('removes exactly round(sparsity * n) entries and has nothing to train', () => {
    for (const sparsity of [0.5, 0.7, 0.9]) {
      const gate = createGate('random', [784, 30], { name: 'fc1.weight', targetSparsity: sparsity, seed: 1 });
      expect(gate.params()).toEqual([]);
      expect(sum(gate.mask()).dataSync()[0]).toBe(784 * 30 - Math.round(sparsity * 784 * 30));
      expect(Array.from(gate.sample().dataSync())).toEqual(Array.from(gate.mask().dataSync()));
      gate.dispose();
    }
  });

  it('is a function of (seed, name) only', () => {
    const a = randomMaskValues(1000, 300, 7, 'fc2.weight');
    expect(Array.from(randomMaskValues(1000, 300, 7, 'fc2.weight'))).toEqual(Array.from(a));
    expect(Array.from(randomMaskValues(1000, 300, 8, 'fc2.weight'))).not.toEqual(Array.from(a));
    expect(Array.from(randomMaskValues(1000, 300, 7, 'fc3.weight'))).not.toEqual(Array.from(a));
  });

  it('spreads the kept entries uniformly', () => {
    const values = randomMaskValues(10000, 5000, 0, 'w');
    const firstHalf = values.subarray(0, 5000).reduce((a, b) => a + b, 0);
    expect(Math.abs(firstHalf - 2500)).toBeLessThan(150); // ~4.2 standard deviations
  });

  it('survives the tidy it was created in', () => {
    const gate = randomMaskGate([10], { targetSparsity: 0.3 });
    expect(sum(gate.mask()).dataSync()[0]).toBe(7);
    gate.dispose();
  });
});
