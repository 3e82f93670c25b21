import '@tensorflow/tfjs-backend-cpu';
import { isInputError } from '@slt/core';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { applyMasks, fromLayersModel, weightTensors } from './index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function cnn(): tfl.Sequential {
  return tfl.sequential({
    layers: [
      tfl.layers.conv2d({ inputShape: [8, 8, 1], filters: 4, kernelSize: 3, activation: 'relu' }),
      tfl.layers.flatten(),
      tfl.layers.dense({ units: 3, activation: 'softmax', biasInitializer: 'randomNormal' }),
    ],
  });
}

describe('applyMasks', () => {
  it('returns a copy whose kernels are masked (and scaled), leaving biases and the source alone', async () => {
    const source = cnn();
    const conversion = fromLayersModel(source);
    const [conv, dense] = conversion.model.params.filter((p) => p.prunable);
    const masks = {
      [conv.name]: tf.cast(tf.greater(tf.randomUniform(conv.shape as number[], 0, 1, 'float32', 1), 0.5), 'float32'),
      [dense.name]: tf.tensor1d([1, 0, 1]), // structured: one entry per output unit
    };
    const before = source.getWeights().map((w) => w.arraySync());
    const ticket = await applyMasks(source, masks, { scales: { [conv.name]: 2 } });
    expect(ticket).not.toBe(source);
    expect(source.getWeights().map((w) => w.arraySync())).toEqual(before);

    const weights = weightTensors(conversion);
    const masked = {
      ...weights,
      [conv.name]: tf.mul(tf.mul(weights[conv.name], masks[conv.name]), 2),
      [dense.name]: tf.mul(weights[dense.name], masks[dense.name]),
    };
    const x = tf.randomNormal([4, 8, 8, 1], 0, 1, 'float32', 3);
    const expected = tf.softmax(conversion.model.apply(masked, x, { training: false }));
    const got = ticket.predict(x) as tf.Tensor;
    expect(tf.max(tf.abs(tf.sub(got, expected))).dataSync()[0]).toBeLessThan(1e-5);
    // The dense layer's second unit keeps only its bias.
    const kernel = ticket.layers[2].getWeights()[0];
    expect(tf.max(tf.abs(tf.slice(kernel, [0, 1], [-1, 1]))).dataSync()[0]).toBe(0);
    expect(ticket.layers[2].getWeights()[1].arraySync()).toEqual(source.layers[2].getWeights()[1].arraySync());
  });

  it('refuses masks for unknown or frozen parameters, missing masks and shapes that do not fit', async () => {
    const source = cnn();
    const [conv, dense] = fromLayersModel(source).model.params.filter((p) => p.prunable);
    const ones = (shape: readonly number[]) => tf.ones([...shape]);
    const cases: Array<[Record<string, tf.Tensor>, RegExp]> = [
      [{ [conv.name]: ones(conv.shape), [dense.name]: ones(dense.shape), nope: ones([1]) }, /mask 'nope' names no/],
      [{ [conv.name]: ones(conv.shape) }, new RegExp(`no mask for parameter '${dense.name}'`)],
      [{ [conv.name]: ones(conv.shape), [dense.name]: ones([4]) }, /does not fit/],
    ];
    for (const [masks, pattern] of cases) {
      const error = await applyMasks(source, masks).then(
        () => null,
        (e: unknown) => e,
      );
      expect(isInputError(error)).toBe(true);
      expect((error as Error).message).toMatch(pattern);
    }
  });
});
