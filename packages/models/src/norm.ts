/**
 * Normalisation without learned affine parameters (a ticket masks weights; it learns nothing
 * else). Batch norm (Ioffe & Szegedy 2015) normalises each channel over the batch and spatial
 * axes; layer norm (Ba et al. 2016) normalises each token over its features. Both share one
 * custom gradient, dx = (dy - mean(dy) - y * mean(dy * y)) / sqrt(var + eps), built from basic
 * ops: `tf.batchNorm`'s own gradient fails without scale and offset, and the generic chain
 * through mean / variance / rsqrt is several times more ops.
 *
 * Batch norm always uses the statistics of the batch it is given, in training and evaluation
 * alike, as edge-popup's reference code does (Ramanujan et al. 2020: affine=False,
 * track_running_stats=False). With frozen weights there is nothing to learn in running
 * statistics, and keeping them would make a model stateful; the cost is that evaluation must use
 * reasonably large batches (a batch of one example normalises every channel to zero).
 */
import {
  add,
  customGrad,
  type GradSaveFunc,
  mean,
  mul,
  rsqrt,
  scalar,
  square,
  sub,
  type Tensor,
} from '@tensorflow/tfjs-core';

const EPSILON = 1e-5;

/** y = (x - mean) / sqrt(var + eps) over `axes` (kept), with the closed-form gradient. */
function normalizer(axes: number[]): (x: Tensor) => Tensor {
  return customGrad((...args: Array<Tensor | GradSaveFunc>) => {
    const [x, save] = args as [Tensor, GradSaveFunc];
    const centered = sub(x, mean(x, axes, true));
    const inverseStd = rsqrt(add(mean(square(centered), axes, true), scalar(EPSILON)));
    const y = mul(centered, inverseStd);
    save([y, inverseStd]);
    return {
      value: y,
      gradFunc: (dy: Tensor, saved: Tensor[]) => {
        const [ys, r] = saved;
        const dyCentered = sub(dy, mean(dy, axes, true));
        return mul(sub(dyCentered, mul(ys, mean(mul(dy, ys), axes, true))), r);
      },
    };
  }) as (x: Tensor) => Tensor;
}

const batchNormalizers = new Map<number, (x: Tensor) => Tensor>();
const layerNormalizers = new Map<number, (x: Tensor) => Tensor>();

/**
 * Batch norm without affine parameters: each channel (last axis) of x (batch, ..., channels) is
 * normalised over every other axis, using the batch's own statistics.
 */
export function batchNorm(x: Tensor): Tensor {
  let op = batchNormalizers.get(x.rank);
  if (op === undefined) {
    op = normalizer(Array.from({ length: x.rank - 1 }, (_, i) => i));
    batchNormalizers.set(x.rank, op);
  }
  return op(x);
}

/** Layer norm without affine parameters: each vector along the last axis of x is normalised. */
export function layerNorm(x: Tensor): Tensor {
  let op = layerNormalizers.get(x.rank);
  if (op === undefined) {
    op = normalizer([x.rank - 1]);
    layerNormalizers.set(x.rank, op);
  }
  return op(x);
}
