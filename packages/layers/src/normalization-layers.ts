/**
 * BatchNormalization (Ioffe & Szegedy 2015) as a frozen layer: gamma, beta and the moving
 * statistics are kept as they are, never pruned. While searching (`ctx.training`) it normalises
 * with the batch's statistics, as the masked network's activations no longer match the stored
 * ones; in evaluation it uses the stored moving statistics, as Keras does at inference.
 */
import { check } from '@slt/core';
import type { ParamSpec } from '@slt/models';
import { add, batchNorm, moments, mul, rsqrt, sub, type Tensor } from '@tensorflow/tfjs-core';
import { LayerConfig } from './config.js';
import type { LayerConverter } from './layer-converter.js';

/** BatchNormalization over the last (channel) axis. */
export const convertBatchNormalization: LayerConverter = (layer, name) => {
  const config = new LayerConfig(layer);
  const axes = config.numbers('axis');
  check(axes.length === 1, () => `${config.describe()}: normalising over several axes is not supported`);
  const axis = axes[0];
  const epsilon = config.number('epsilon');
  const scale = config.boolean('scale');
  const center = config.boolean('center');
  const weightValues = layer.getWeights();
  check(weightValues.length > 0, () => `${config.describe()}: the layer is not built (give the model an input shape)`);
  const shape = weightValues[weightValues.length - 1].shape;
  const frozen = (role: string): ParamSpec => ({ name: `${name}.${role}`, shape, prunable: false, fanIn: 1 });
  const params = [
    ...(scale ? [frozen('gamma')] : []),
    ...(center ? [frozen('beta')] : []),
    frozen('moving_mean'),
    frozen('moving_variance'),
  ];
  const [gamma, beta, movingMean, movingVariance] = ['gamma', 'beta', 'moving_mean', 'moving_variance'].map(
    (role) => `${name}.${role}`,
  );
  return {
    params,
    activation: 'linear',
    apply(weights, inputs, ctx) {
      check(inputs.length === 1, () => `${config.describe()}: expected one input`);
      const x = inputs[0]; // (batch, ..., channels)
      check(
        axis === -1 || axis === x.rank - 1,
        () => `${config.describe()}: only the last axis can be normalised, got axis ${axis}`,
      );
      const g: Tensor | undefined = scale ? weights[gamma] : undefined;
      const b: Tensor | undefined = center ? weights[beta] : undefined;
      if (!ctx.training) return batchNorm(x, weights[movingMean], weights[movingVariance], b, g, epsilon);
      const stats = moments(x, [...Array(x.rank - 1).keys()]); // per channel over batch and space
      let y = mul(sub(x, stats.mean), rsqrt(add(stats.variance, epsilon)));
      if (g) y = mul(y, g);
      if (b) y = add(y, b);
      return y;
    },
  };
};
