import type { Model, Weights } from '@slt/models';
import { argMax, cast, dispose, equal, gather, range, sum, type Tensor, tidy } from '@tensorflow/tfjs-core';
import { evalBatchSize } from './batch-memory.js';

/**
 * Fraction of `x` (N, ...inputShape) that `model` with `weights` classifies as `y` (N), in
 * batches of `batchSize` so memory stays bounded. One read from the backend at the end.
 */
export function accuracy(
  model: Model,
  weights: Weights,
  x: Tensor,
  y: Tensor,
  batchSize = evalBatchSize(model),
): number {
  const count = x.shape[0] as number;
  const counts: Tensor[] = [];
  for (let start = 0; start < count; start += batchSize) {
    const size = Math.min(batchSize, count - start);
    counts.push(
      tidy(() => {
        const index = range(start, start + size, 1, 'int32');
        const logits = model.apply(weights, gather(x, index), { training: false });
        return sum(cast(equal(argMax(logits, -1), cast(gather(y, index), 'int32')), 'int32'));
      }),
    );
  }
  const correct = counts.reduce((total, c) => total + (c.dataSync()[0] as number), 0);
  dispose(counts);
  return count === 0 ? 0 : correct / count;
}
