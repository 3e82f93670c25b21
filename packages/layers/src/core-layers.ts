/**
 * Converters for the core layers of TensorFlow.js Layers (Keras semantics): Dense, Flatten,
 * Reshape, the activation layers, and the noise layers, which are the identity here (see
 * `identityInSearch`).
 */
import { check } from '@slt/core';
import { dense } from '@slt/models';
import {
  add,
  clipByValue,
  elu,
  exp,
  leakyRelu,
  minimum,
  mul,
  relu,
  reshape,
  sub,
  type Tensor,
} from '@tensorflow/tfjs-core';
import { LayerConfig } from './config.js';
import type { ConvertedLayer, Layer, LayerConverter } from './layer-converter.js';

function single(inputs: readonly Tensor[], config: LayerConfig): Tensor {
  check(inputs.length === 1, () => `${config.describe()}: expected one input, got ${inputs.length}`);
  return inputs[0];
}

/** A layer with no weights computing `fn` of its one input, followed by `activation`. */
function stateless(layer: Layer, fn: (x: Tensor) => Tensor, activation = 'linear'): ConvertedLayer {
  const config = new LayerConfig(layer);
  return { params: [], activation, apply: (_weights, inputs) => fn(single(inputs, config)) };
}

/**
 * Dense: y = x @ kernel + bias over the last axis. The kernel (in, units) is prunable with one unit
 * per column; the bias is kept as a frozen value.
 */
export const convertDense: LayerConverter = (layer, name) => {
  const config = new LayerConfig(layer);
  const units = config.number('units');
  const useBias = config.boolean('useBias');
  const [kernelValue] = layer.getWeights();
  check(
    kernelValue !== undefined,
    () => `${config.describe()}: the layer is not built (give the model an input shape)`,
  );
  const inputs = kernelValue.shape[0];
  const kernel = `${name}.kernel`;
  const bias = `${name}.bias`;
  return {
    params: [
      { name: kernel, shape: [inputs, units], prunable: true, fanIn: inputs, unitAxis: 1 },
      ...(useBias ? [{ name: bias, shape: [units], prunable: false, fanIn: inputs }] : []),
    ],
    activation: config.string('activation'),
    apply(weights, inputs_, ctx) {
      const x = single(inputs_, config); // (batch, ..., in)
      const flat = x.rank === 2 ? x : reshape(x, [-1, inputs]);
      let y = dense(flat, weights[kernel], ctx.inputIsData); // (batch * ..., units)
      if (useBias) y = add(y, weights[bias]);
      return x.rank === 2 ? y : reshape(y, [...x.shape.slice(0, -1), units]);
    },
  };
};

/** Flatten: (batch, ...) -> (batch, product of the rest), in channels-last order. */
export const convertFlatten: LayerConverter = (layer) => {
  new LayerConfig(layer).requireChannelsLast();
  return stateless(layer, (x) => reshape(x, [x.shape[0], -1]));
};

/** Reshape to (batch, ...targetShape). */
export const convertReshape: LayerConverter = (layer) => {
  const target = new LayerConfig(layer).numbers('targetShape');
  return stateless(layer, (x) => reshape(x, [x.shape[0], ...target]));
};

/** Activation layer: its named activation. */
export const convertActivation: LayerConverter = (layer) =>
  stateless(layer, (x) => x, new LayerConfig(layer).string('activation'));

/** ReLU layer, optionally capped at `maxValue`. */
export const convertReLU: LayerConverter = (layer) => {
  const config = new LayerConfig(layer);
  const max = config.has('maxValue') ? config.number('maxValue') : null;
  return stateless(layer, (x) => (max === null ? relu(x) : clipByValue(relu(x), 0, max)));
};

/** LeakyReLU layer with its slope `alpha`. */
export const convertLeakyReLU: LayerConverter = (layer) => {
  const alpha = new LayerConfig(layer).number('alpha');
  return stateless(layer, (x) => leakyRelu(x, alpha));
};

/** ELU layer with its `alpha`: x for x > 0, alpha * (exp(x) - 1) otherwise. */
export const convertELU: LayerConverter = (layer) => {
  const alpha = new LayerConfig(layer).number('alpha');
  return stateless(layer, (x) => (alpha === 1 ? elu(x) : add(relu(x), mul(alpha, sub(exp(minimum(x, 0)), 1)))));
};

/** Softmax layer. Over the last axis it is reported as the `softmax` activation, so it can be stripped to logits. */
export const convertSoftmax: LayerConverter = (layer, _name, inputShapes) => {
  const config = new LayerConfig(layer);
  const axes = config.numbers('axis');
  check(axes.length === 1, () => `${config.describe()}: softmax over several axes is not supported`);
  const rank = inputShapes[0]?.length ?? 0; // with the batch axis
  check(
    axes[0] === -1 || axes[0] === rank - 1,
    () => `${config.describe()}: softmax over axis ${axes[0]} is not supported (only the last axis)`,
  );
  return stateless(layer, (x) => x, 'softmax');
};

/**
 * Dropout, SpatialDropout, GaussianDropout, AlphaDropout and GaussianNoise: the identity, in
 * evaluation (as in Keras) and in search too. The search learns masks over frozen weights; the
 * gates' own sampling already injects noise, and dropout's Math.random-based noise would make a
 * seeded search irreproducible.
 */
export const identityInSearch: LayerConverter = (layer) => stateless(layer, (x) => x);
