import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import {
  abs,
  add,
  grad,
  max,
  memory,
  min,
  mul,
  scalar,
  setBackend,
  sub,
  sum,
  tensor2d,
  tidy,
} from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { edgePopupGate } from './edge-popup.js';
import { createGate } from './registry.js';

beforeAll(async () => {
  await setBackend('cpu');
});

describe('edge-popup gate', () => {
  it('initialises scores kaiming-uniform over the fan-in, reproducibly from (seed, name)', () => {
    const scoresOf = (name: string, seed: number) => {
      const gate = edgePopupGate([400, 30], { name, seed });
      const values = gate.params()[0].dataSync().slice();
      gate.dispose();
      return Array.from(values);
    };
    const a = scoresOf('fc1.weight', 3);
    expect(scoresOf('fc1.weight', 3)).toEqual(a);
    expect(scoresOf('fc2.weight', 3)).not.toEqual(a);
    expect(scoresOf('fc1.weight', 4)).not.toEqual(a);
    const bound = 1 / Math.sqrt(400);
    expect(Math.max(...a)).toBeLessThanOrEqual(bound);
    expect(Math.min(...a)).toBeGreaterThanOrEqual(-bound);
    expect(Math.max(...a)).toBeGreaterThan(0.99 * bound);
  });

  it('masks exactly round(sparsity * n) entries, the smallest |score|', () => {
    for (const sparsity of [0.5, 0.7, 0.9]) {
      const gate = createGate('edge-popup', [784, 30], { name: 'w', targetSparsity: sparsity });
      const mask = gate.mask();
      const kept = sum(mask).dataSync()[0];
      expect(kept).toBe(784 * 30 - Math.round(sparsity * 784 * 30));
      // every kept |score| is at least every removed |score|
      const scores = abs(gate.params()[0]);
      const removed = sub(scalar(1), mask);
      const keptMin = min(add(mul(scores, mask), mul(removed, scalar(1e9)))).dataSync()[0];
      const removedMax = max(mul(scores, removed)).dataSync()[0];
      expect(keptMin).toBeGreaterThanOrEqual(removedMax);
      gate.dispose();
    }
  });

  it('samples the mask itself and passes the gradient to |score| unchanged', () => {
    const gate = edgePopupGate([3, 2], { targetSparsity: 0.5 });
    const [scores] = gate.params();
    scores.assign(
      tensor2d([
        [0.3, -0.1],
        [0.05, -0.6],
        [0.2, 0.01],
      ]),
    );
    expect(Array.from(gate.sample().dataSync())).toEqual([1, 0, 0, 1, 1, 0]);
    const upstream = tensor2d([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    const g = grad(() => sum(mul(gate.sample(), upstream)))(scores);
    expect(Array.from(g.dataSync())).toEqual([1, -2, 3, -4, 5, 6]); // times sign(score)
    expect(Array.from(gate.pUndecided().dataSync())).toEqual([0, 0, 0, 0, 0, 0]);
    gate.dispose();
  });

  it('does not leak tensors over steps', () => {
    const gate = edgePopupGate([50, 20], { targetSparsity: 0.7 });
    const before = memory().numTensors;
    for (let i = 0; i < 3; i++) {
      tidy(() => {
        grad(() => sum(gate.sample()))(gate.params()[0]);
      });
    }
    expect(memory().numTensors).toBe(before);
    gate.dispose();
  });

  it('rejects a sparsity outside [0, 1)', () => {
    expect(() => edgePopupGate([4], { targetSparsity: 1 })).toThrow(/targetSparsity must be in \[0, 1\)/);
  });
});
