/**
 * Converters for the 2-D convolution and pooling layers of TensorFlow.js Layers (Keras semantics,
 * channels-last): Conv2D, MaxPooling2D, AveragePooling2D and the global poolings.
 */
import { check } from '@slt/core';
import { add, avgPool, conv2d, max, maxPool, mean, type Tensor, type Tensor4D } from '@tensorflow/tfjs-core';
import { LayerConfig } from './config.js';
import type { LayerConverter } from './layer-converter.js';

type Padding = 'same' | 'valid';

function pair(values: number[], config: LayerConfig, key: string): [number, number] {
  const out = values.length === 1 ? [values[0], values[0]] : values;
  check(out.length === 2, () => `${config.describe()}: expected 2 values for '${key}', got ${values.length}`);
  return [out[0], out[1]];
}

function padding(config: LayerConfig): Padding {
  const value = config.string('padding');
  check(
    value === 'same' || value === 'valid',
    () => `${config.describe()}: padding '${value}' is not supported (same, valid)`,
  );
  return value;
}

function single4d(inputs: readonly Tensor[], config: LayerConfig): Tensor4D {
  check(inputs.length === 1 && inputs[0].rank === 4, () => `${config.describe()}: expected one input of rank 4`);
  return inputs[0] as Tensor4D;
}

/**
 * Conv2D: the kernel (kh, kw, in, filters) is prunable with one unit per output channel (axis 3);
 * the bias is kept as a frozen value.
 */
export const convertConv2D: LayerConverter = (layer, name) => {
  const config = new LayerConfig(layer);
  config.requireChannelsLast();
  const filters = config.number('filters');
  const [kh, kw] = pair(config.numbers('kernelSize'), config, 'kernelSize');
  const strides = pair(config.numbers('strides'), config, 'strides');
  const dilations = pair(config.numbers('dilationRate'), config, 'dilationRate');
  const pad = padding(config);
  const useBias = config.boolean('useBias');
  const [kernelValue] = layer.getWeights();
  check(
    kernelValue !== undefined,
    () => `${config.describe()}: the layer is not built (give the model an input shape)`,
  );
  const channels = kernelValue.shape[2] as number;
  const kernel = `${name}.kernel`;
  const bias = `${name}.bias`;
  const fanIn = kh * kw * channels;
  return {
    params: [
      { name: kernel, shape: [kh, kw, channels, filters], prunable: true, fanIn, unitAxis: 3 },
      ...(useBias ? [{ name: bias, shape: [filters], prunable: false, fanIn }] : []),
    ],
    activation: config.string('activation'),
    apply(weights, inputs) {
      const x = single4d(inputs, config); // (batch, h, w, in)
      const y = conv2d(x, weights[kernel] as Tensor4D, strides, pad, 'NHWC', dilations); // (batch, h', w', filters)
      return useBias ? add(y, weights[bias]) : y;
    },
  };
};

function pooling(kind: 'max' | 'avg'): LayerConverter {
  return (layer) => {
    const config = new LayerConfig(layer);
    config.requireChannelsLast();
    const size = pair(config.numbers('poolSize'), config, 'poolSize');
    const strides = pair(config.numbers('strides'), config, 'strides');
    const pad = padding(config);
    return {
      params: [],
      activation: 'linear',
      apply(_weights, inputs) {
        const x = single4d(inputs, config); // (batch, h, w, c)
        return kind === 'max' ? maxPool(x, size, strides, pad) : avgPool(x, size, strides, pad);
      },
    };
  };
}

/** MaxPooling2D over (poolSize) windows. */
export const convertMaxPooling2D = pooling('max');
/** AveragePooling2D over (poolSize) windows. */
export const convertAveragePooling2D = pooling('avg');

function globalPooling(kind: 'max' | 'avg'): LayerConverter {
  return (layer) => {
    const config = new LayerConfig(layer);
    config.requireChannelsLast();
    return {
      params: [],
      activation: 'linear',
      apply(_weights, inputs) {
        const x = single4d(inputs, config); // (batch, h, w, c)
        return kind === 'max' ? max(x, [1, 2]) : mean(x, [1, 2]); // (batch, c)
      },
    };
  };
}

/** GlobalAveragePooling2D: (batch, h, w, c) -> (batch, c). */
export const convertGlobalAveragePooling2D = globalPooling('avg');
/** GlobalMaxPooling2D: (batch, h, w, c) -> (batch, c). */
export const convertGlobalMaxPooling2D = globalPooling('max');
