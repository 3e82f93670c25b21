import '@tensorflow/tfjs-backend-cpu';
import { InputError } from '@slt/core';
import { setBackend, tensor } from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { lenet300 } from './lenet300.js';

beforeAll(async () => {
  await setBackend('cpu');
});

describe('lenet300', () => {
  it('is 784-300-100-10 without biases by default, with unit axes on the hidden layers only', () => {
    const model = lenet300({ inputShape: [28, 28, 1], classes: 10 });
    expect(model.params.map((p) => [p.name, p.shape, p.fanIn, p.unitAxis, p.prunable])).toEqual([
      ['fc1.weight', [784, 300], 784, 1, true],
      ['fc2.weight', [300, 100], 300, 1, true],
      ['fc3.weight', [100, 10], 100, undefined, true],
    ]);
    expect(model.params.reduce((n, p) => n + p.shape[0] * p.shape[1], 0)).toBe(266_200);
    expect(model.args).toMatchObject({ hidden: [300, 100], activation: 'relu' });
  });

  it('apply computes relu(relu(x W1) W2) W3 on the flattened input', () => {
    const model = lenet300({ inputShape: [2, 2, 1], classes: 2, hidden: [3] });
    const w1 = [1, -1, 0.5, 2, 0, -1, -1, 1, 1, 0, 2, -2]; // (4, 3)
    const w2 = [1, 2, -1, 0, 3, 1]; // (3, 2)
    const x = [0.5, -1, 2, 1, 1, 1, 1, 1]; // two images of 2x2
    const logits = model
      .apply({ 'fc1.weight': tensor(w1, [4, 3]), 'fc2.weight': tensor(w2, [3, 2]) }, tensor(x, [2, 2, 2, 1]), {
        training: false,
      })
      .arraySync();
    const expected = [0, 1].map((n) => {
      const h = [0, 1, 2].map((j) =>
        Math.max(
          0,
          [0, 1, 2, 3].reduce((s, i) => s + x[4 * n + i] * w1[3 * i + j], 0),
        ),
      );
      return [0, 1].map((k) => h.reduce((s, hj, j) => s + hj * w2[2 * j + k], 0));
    });
    expect(logits).toEqual(expected);
  });

  it('rejects bad hidden widths and unknown activations as input errors', () => {
    for (const hidden of [[], [0], [3.5], 'wide', [-1, 4]]) {
      expect(() => lenet300({ inputShape: [4], classes: 2, hidden })).toThrow(InputError);
    }
    expect(() => lenet300({ inputShape: [4], classes: 2, activation: 'swish' })).toThrow(/unknown activation 'swish'/);
    expect(() => lenet300({ inputShape: [4], classes: 2, slope: 0.5 })).toThrow(/relu has no slope/);
    expect(() => lenet300({ inputShape: [4], classes: 2, activation: 'prelu', slope: 'steep' })).toThrow(InputError);
  });

  it('uses the slope its arguments give prelu, and keeps it in its arguments', () => {
    const x = tensor([-2, 4], [1, 2, 1, 1]);
    const w = { 'fc1.weight': tensor([1, 0, 0, 1], [2, 2]), 'fc2.weight': tensor([1, 0, 0, 1], [2, 2]) };
    const hidden = (slope?: number) => {
      const model = lenet300({ inputShape: [2, 1, 1], classes: 2, hidden: [2], activation: 'prelu', slope });
      return { args: model.args, out: Array.from(model.apply(w, x, { training: false }).dataSync()) };
    };
    expect(hidden().out).toEqual([-0.5, 4]);
    expect(hidden().args.slope).toBeUndefined();
    expect(hidden(0.75).out).toEqual([-1.5, 4]);
    expect(hidden(0.75).args).toMatchObject({ activation: 'prelu', slope: 0.75 });
  });
});
