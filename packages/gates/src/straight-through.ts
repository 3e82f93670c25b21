/**
 * Straight-through estimators (Bengio, Leonard and Courville, "Estimating or propagating gradients
 * through stochastic neurons for conditional computation", 2013): the forward pass uses a discrete
 * value, the backward pass uses the gradient of a surrogate.
 */
import { customGrad, type GradSaveFunc, mul, type Tensor } from '@tensorflow/tfjs-core';

/**
 * Returns `value` (computed from `source` without a gradient, e.g. a 0/1 mask) whose gradient with
 * respect to `source` is the incoming gradient unchanged: d value / d source = identity. Used by
 * edge-popup (Ramanujan et al. 2020), where the mask's gradient flows to the scores as is.
 */
export function straightThrough(source: Tensor, value: (source: Tensor) => Tensor): Tensor {
  const op = customGrad((...args: Array<Tensor | GradSaveFunc>) => {
    const [s] = args as [Tensor];
    return { value: value(s), gradFunc: (dy: Tensor) => [dy] };
  });
  return op(source);
}

/**
 * Returns `value` (a discrete sample) whose gradient with respect to `source` is the incoming
 * gradient times `slope(source)`: the gradient of a differentiable surrogate of the sample (for
 * supermask, Zhou et al. 2019, the surrogate is sigmoid(score), so the slope is p (1 - p)).
 */
export function straightThroughWithSlope(
  source: Tensor,
  value: (source: Tensor) => Tensor,
  slope: (source: Tensor) => Tensor,
): Tensor {
  const op = customGrad((...args: Array<Tensor | GradSaveFunc>) => {
    const [s, save] = args as [Tensor, GradSaveFunc];
    save([s]);
    return { value: value(s), gradFunc: (dy: Tensor, saved: Tensor[]) => [mul(dy, slope(saved[0]))] };
  });
  return op(source);
}
