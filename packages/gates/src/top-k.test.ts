import '@tensorflow/tfjs-backend-cpu';
import { setBackend, sum, tensor1d, tensor2d, tidy } from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { keptCount, topKMask } from './top-k.js';

beforeAll(async () => {
  await setBackend('cpu');
});

describe('topKMask', () => {
  it('keeps exactly the k entries of largest |score|', () => {
    const mask = topKMask(
      tensor2d([
        [0.1, -0.9, 0.3],
        [0.5, -0.2, 0.05],
      ]),
      3,
    );
    expect(mask.shape).toEqual([2, 3]);
    expect(Array.from(mask.dataSync())).toEqual([0, 1, 1, 1, 0, 0]);
  });

  it('breaks ties by position, keeping the lower index', () => {
    const mask = topKMask(tensor1d([1, 2, 2, -2, 0, 2, 3]), 3);
    expect(Array.from(mask.dataSync())).toEqual([0, 1, 1, 0, 0, 0, 1]);
  });

  it('has exactly round(sparsity * n) zeros for any sparsity', () => {
    const n = 1001;
    const scores = tensor1d(Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898) * 43758.5453 - 7));
    for (const sparsity of [0, 0.1, 0.5, 0.7, 0.9, 0.999, 1]) {
      const kept = tidy(() => sum(topKMask(scores, keptCount(n, sparsity))).dataSync()[0]);
      expect(kept).toBe(n - Math.round(sparsity * n));
    }
  });

  it('rejects a k out of range', () => {
    expect(() => topKMask(tensor1d([1, 2]), 3)).toThrow(/k must be an integer in \[0, 2\]/);
    expect(() => keptCount(10, 1.5)).toThrow(/sparsity must be in \[0, 1\]/);
  });
});
