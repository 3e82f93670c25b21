import '@tensorflow/tfjs-backend-cpu';
import { isInputError } from '@slt/core';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { fromLayersModel, layerActivations, weightTensors } from './index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

/** Compares the converted model (softmax restored when stripped) with `predict` on random input. */
function expectSameAsPredict(source: tfl.LayersModel, batch = 5): void {
  const conversion = fromLayersModel(source);
  const weights = weightTensors(conversion);
  const x = tf.randomNormal([batch, ...conversion.model.inputShape], 0, 1, 'float32', 7);
  const expected = source.predict(x) as tf.Tensor;
  const got = tf.tidy(() => {
    const y = conversion.model.apply(weights, x, { training: false });
    return conversion.outputActivation === 'softmax' ? tf.softmax(y) : y;
  });
  expect(got.shape).toEqual(expected.shape);
  expect(maxAbsDiff(got, expected)).toBeLessThan(1e-5);
  tf.dispose([x, expected, got, ...Object.values(weights)]);
}

function expectInputError(fn: () => unknown, pattern: RegExp): void {
  try {
    fn();
  } catch (error) {
    expect(isInputError(error)).toBe(true);
    expect((error as Error).message).toMatch(pattern);
    return;
  }
  throw new Error('expected an InputError');
}

describe('fromLayersModel', () => {
  it('converts a tf.sequential MLP: kernels prunable, biases frozen, softmax stripped to logits', () => {
    const mlp = tfl.sequential({
      layers: [
        tfl.layers.flatten({ inputShape: [28, 28, 1] }),
        tfl.layers.dense({ units: 32, activation: 'relu' }),
        tfl.layers.dropout({ rate: 0.5 }),
        tfl.layers.dense({ units: 16, activation: 'tanh', useBias: false }),
        tfl.layers.dense({ units: 10, activation: 'softmax', biasInitializer: 'randomNormal' }),
      ],
    });
    const conversion = fromLayersModel(mlp);
    const { model } = conversion;
    expect(model.inputShape).toEqual([28, 28, 1]);
    expect(model.classes).toBe(10);
    expect(conversion.outputActivation).toBe('softmax');
    const names = mlp.layers.map((l) => l.name);
    expect(model.params.map((p) => [p.name, p.shape, p.prunable, p.unitAxis])).toEqual([
      [`${names[1]}.kernel`, [784, 32], true, 1],
      [`${names[1]}.bias`, [32], false, undefined],
      [`${names[3]}.kernel`, [32, 16], true, 1],
      [`${names[4]}.kernel`, [16, 10], true, 1],
      [`${names[4]}.bias`, [10], false, undefined],
    ]);
    expect(conversion.weights.get(`${names[4]}.bias`)).toEqual(
      Float32Array.from(mlp.layers[4].getWeights()[1].dataSync()),
    );
    expectSameAsPredict(mlp);
  });

  it('converts a small CNN with pooling, batch norm (inference statistics) and dropout', () => {
    const cnn = tfl.sequential({
      layers: [
        tfl.layers.conv2d({ inputShape: [12, 12, 2], filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }),
        tfl.layers.maxPooling2d({ poolSize: 2 }),
        tfl.layers.conv2d({ filters: 6, kernelSize: [3, 2], strides: 2, biasInitializer: 'randomUniform' }),
        tfl.layers.batchNormalization({}),
        tfl.layers.activation({ activation: 'elu' }),
        tfl.layers.averagePooling2d({ poolSize: 2, strides: 1, padding: 'same' }),
        tfl.layers.conv2d({ filters: 3, kernelSize: 1, dilationRate: 1, activation: 'swish' }),
        tfl.layers.flatten(),
        tfl.layers.dropout({ rate: 0.25 }),
        tfl.layers.dense({ units: 5 }),
        tfl.layers.softmax(),
      ],
    });
    // Non-trivial inference statistics, so the test sees whether they are used.
    const bn = cnn.layers[3];
    bn.setWeights(bn.getWeights().map((w, i) => tf.add(tf.randomUniform(w.shape, 0.5, 1.5, 'float32', i), 0)));
    const conversion = fromLayersModel(cnn);
    expect(conversion.outputActivation).toBe('softmax');
    const kernels = conversion.model.params.filter((p) => p.prunable);
    expect(kernels.map((p) => [p.shape, p.unitAxis, p.fanIn])).toEqual([
      [[3, 3, 2, 4], 3, 18],
      [[3, 2, 4, 6], 3, 24],
      [[1, 1, 6, 3], 3, 6],
      [[18, 5], 1, 18], // (2 x 3 positions) x 3 channels
    ]);
    expect(conversion.model.params.filter((p) => p.name.startsWith(bn.name)).map((p) => p.prunable)).toEqual([
      false,
      false,
      false,
      false,
    ]);
    expectSameAsPredict(cnn);
  });

  it('matches Keras padding for same convolutions with strides and even kernels, and dilated ones', () => {
    for (const [kernelSize, strides, dilationRate] of [
      [4, 2, 1],
      [3, 3, 1],
      [2, 1, 1],
      [3, 1, 2],
    ]) {
      const net = tfl.sequential({
        layers: [
          tfl.layers.conv2d({ inputShape: [9, 10, 3], filters: 2, kernelSize, strides, dilationRate, padding: 'same' }),
          tfl.layers.globalAveragePooling2d({}),
        ],
      });
      expectSameAsPredict(net);
    }
  });

  it('batch norm uses batch statistics while searching, as Keras does in training', () => {
    const model = tfl.sequential({
      layers: [tfl.layers.dense({ inputShape: [6], units: 8 }), tfl.layers.batchNormalization({ epsilon: 0.01 })],
    });
    const conversion = fromLayersModel(model);
    const weights = weightTensors(conversion);
    const x = tf.randomNormal([16, 6], 0, 3, 'float32', 1);
    const bnIn = (model.layers[0].apply(x) as tf.Tensor) ?? x;
    const keras = model.layers[1].apply(bnIn, { training: true }) as tf.Tensor;
    const ours = conversion.model.apply(weights, x, { training: true });
    expect(maxAbsDiff(ours, keras)).toBeLessThan(1e-5);
    tf.dispose([x, bnIn, keras, ours, ...Object.values(weights)]);
  });

  it('converts a functional model with merges, a nested model and a shared layer', () => {
    const input = tfl.input({ shape: [10] });
    const shared = tfl.layers.dense({ units: 8, activation: 'relu', name: 'shared' });
    const a = shared.apply(input) as tfl.SymbolicTensor;
    const b = shared.apply(tfl.layers.dense({ units: 10, name: 'pre' }).apply(input)) as tfl.SymbolicTensor;
    const inner = tfl.sequential({
      name: 'inner',
      layers: [tfl.layers.dense({ inputShape: [8], units: 8, activation: 'sigmoid', name: 'd' })],
    });
    const c = inner.apply(a) as tfl.SymbolicTensor;
    const merged = tfl.layers.concatenate().apply([tfl.layers.add().apply([a, b]) as tfl.SymbolicTensor, c]);
    const out = tfl.layers.dense({ units: 3, name: 'head' }).apply(merged) as tfl.SymbolicTensor;
    const model = tfl.model({ inputs: input, outputs: out });
    const conversion = fromLayersModel(model);
    expect(conversion.outputActivation).toBe('linear');
    expect(conversion.model.params.filter((p) => p.prunable).map((p) => p.name)).toEqual([
      'shared.kernel',
      'pre.kernel',
      'inner/d.kernel',
      'head.kernel',
    ]);
    expectSameAsPredict(model);
  });

  it('applies Dense over the last axis of a sequence', () => {
    const model = tfl.sequential({
      layers: [
        tfl.layers.reshape({ inputShape: [12], targetShape: [3, 4] }),
        tfl.layers.dense({ units: 5, activation: 'relu' }),
        tfl.layers.leakyReLU({ alpha: 0.2 }),
        tfl.layers.flatten(),
        tfl.layers.dense({ units: 4, activation: 'softmax' }),
      ],
    });
    expectSameAsPredict(model);
  });

  it('every registered activation matches the Layers activation of the same name', () => {
    const x = tf.reshape(tf.linspace(-4, 4, 41), [1, 41]);
    for (const name of layerActivations.names()) {
      const layer = tfl.layers.activation({ activation: name as 'relu' });
      const expected = layer.apply(x) as tf.Tensor;
      const got = layerActivations.get(name)(x);
      expect(maxAbsDiff(got, expected), name).toBeLessThan(1e-5);
      tf.dispose([expected, got]);
    }
    x.dispose();
  });

  it('names an unsupported layer, and refuses an unbuilt model', () => {
    const conv1d = tfl.sequential({
      layers: [
        tfl.layers.conv1d({ inputShape: [4, 3], filters: 5, kernelSize: 2, name: 'my_conv' }),
        tfl.layers.flatten(),
      ],
    });
    expectInputError(() => fromLayersModel(conv1d), /unsupported layer 'my_conv' \(Conv1D\); supported: Dense, Conv2D/);
    const causal = tfl.sequential({
      layers: [tfl.layers.conv2d({ inputShape: [4, 4, 1], filters: 1, kernelSize: 2, dataFormat: 'channelsFirst' })],
    });
    expectInputError(() => fromLayersModel(causal), /dataFormat 'channelsFirst' is not supported/);
    expectInputError(() => fromLayersModel(tfl.sequential()), /is not built/);
  });

  it('does not leak tensors while applying', () => {
    const model = tfl.sequential({
      layers: [tfl.layers.dense({ inputShape: [4], units: 3, activation: 'softmax' })],
    });
    const conversion = fromLayersModel(model);
    const weights = weightTensors(conversion);
    const x = tf.ones([2, 4]);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      tf.tidy(() => {
        conversion.model.apply(weights, x, { training: true });
      });
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, ...Object.values(weights)]);
  });
});
