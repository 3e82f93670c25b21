import { logSoftmax, mean, mul, neg, oneHot, type Scalar, sum, type Tensor } from '@tensorflow/tfjs-core';

/** Mean softmax cross-entropy of `logits` (batch, classes) against integer `labels` (batch). */
export function crossEntropy(logits: Tensor, labels: Tensor, classes: number): Scalar {
  return neg(mean(sum(mul(oneHot(labels, classes), logSoftmax(logits)), -1))) as Scalar;
}
