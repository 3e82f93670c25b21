/** Converters for the merge layers of TensorFlow.js Layers: Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate. */
import { check } from '@slt/core';
import { add, concat, div, maximum, minimum, mul, sub, type Tensor } from '@tensorflow/tfjs-core';
import { LayerConfig } from './config.js';
import type { LayerConverter } from './layer-converter.js';

function merge(
  combine: (a: Tensor, b: Tensor) => Tensor,
  finish?: (sum: Tensor, count: number) => Tensor,
): LayerConverter {
  return (layer) => {
    const config = new LayerConfig(layer);
    return {
      params: [],
      activation: 'linear',
      apply(_weights, inputs) {
        check(inputs.length >= 2, () => `${config.describe()}: expected at least two inputs, got ${inputs.length}`);
        const out = inputs.slice(1).reduce(combine, inputs[0]);
        return finish ? finish(out, inputs.length) : out;
      },
    };
  };
}

/** Add: the elementwise sum of the inputs. */
export const convertAdd = merge(add);
/** Multiply: the elementwise product of the inputs. */
export const convertMultiply = merge(mul);
/** Average: the elementwise mean of the inputs. */
export const convertAverage = merge(add, (sum, count) => div(sum, count));
/** Maximum: the elementwise maximum of the inputs. */
export const convertMaximum = merge(maximum);
/** Minimum: the elementwise minimum of the inputs. */
export const convertMinimum = merge(minimum);

/** Subtract: the first input minus the second. */
export const convertSubtract: LayerConverter = (layer) => {
  const config = new LayerConfig(layer);
  return {
    params: [],
    activation: 'linear',
    apply(_weights, inputs) {
      check(inputs.length === 2, () => `${config.describe()}: expected two inputs, got ${inputs.length}`);
      return sub(inputs[0], inputs[1]);
    },
  };
};

/** Concatenate along `axis`. */
export const convertConcatenate: LayerConverter = (layer) => {
  const config = new LayerConfig(layer);
  const axis = config.number('axis');
  return {
    params: [],
    activation: 'linear',
    apply(_weights, inputs) {
      check(inputs.length >= 2, () => `${config.describe()}: expected at least two inputs, got ${inputs.length}`);
      return concat([...inputs], axis);
    },
  };
};
