/**
 * Converters for the 2-D convolution and pooling layers of TensorFlow.js Layers (Keras semantics,
 * channels-last): Conv2D, MaxPooling2D, AveragePooling2D and the global poolings.
 */
import { check } from '@slt/core';
import { conv2d as slConv2d } from '@slt/models';
import { add, avgPool, conv2d, max, maxPool, mean, pad, type Tensor, type Tensor4D } from '@tensorflow/tfjs-core';
import { LayerConfig } from './config.js';
import type { LayerConverter } from './layer-converter.js';

type Padding = 'same' | 'valid';

function pair(values: number[], config: LayerConfig, key: string): [number, number] {
  const out = values.length === 1 ? [values[0], values[0]] : values;
  check(out.length === 2, () => `${config.describe()}: expected 2 values for '${key}', got ${values.length}`);
  return [out[0], out[1]];
}

function paddingOf(config: LayerConfig): Padding {
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
 * Keras's `same` padding made explicit: the output has ceil(size / stride) positions, and an odd
 * total padding puts the extra row (column) at the bottom (right).
 */
function padSame(x: Tensor4D, kernel: [number, number], stride: number): Tensor4D {
  const sides = [1, 2].map((axis, i) => {
    const size = x.shape[axis];
    const total = Math.max((Math.ceil(size / stride) - 1) * stride + kernel[i] - size, 0);
    return [Math.floor(total / 2), total - Math.floor(total / 2)] as [number, number];
  });
  if (sides.every(([a, b]) => a === 0 && b === 0)) return x;
  return pad(x, [[0, 0], sides[0], sides[1], [0, 0]]);
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
  const padding = paddingOf(config);
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
    apply(weights, inputs, ctx) {
      const x = single4d(inputs, config); // (batch, h, w, in)
      const w = weights[kernel] as Tensor4D;
      // slt's conv2d has a gradient on every backend (WASM included); it takes one stride and no dilation.
      const y =
        strides[0] === strides[1] && dilations[0] === 1 && dilations[1] === 1
          ? slConv2d(padding === 'same' ? padSame(x, [kh, kw], strides[0]) : x, w, {
              stride: strides[0],
              padding: 0,
              inputIsData: ctx.inputIsData,
            })
          : conv2d(x, w, strides, padding, 'NHWC', dilations); // (batch, h', w', filters)
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
    const padding = paddingOf(config);
    return {
      params: [],
      activation: 'linear',
      apply(_weights, inputs) {
        const x = single4d(inputs, config); // (batch, h, w, c)
        return kind === 'max' ? maxPool(x, size, strides, padding) : avgPool(x, size, strides, padding);
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
