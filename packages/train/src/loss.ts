import { add, logSoftmax, mean, mul, neg, oneHot, type Scalar, scalar, sum, type Tensor } from '@tensorflow/tfjs-core';

/**
 * Mean softmax cross-entropy of `logits` (batch, classes) against integer `labels` (batch). With
 * `smoothing` s > 0 the target puts 1 - s on the label and s / classes on every class (Szegedy et
 * al., "Rethinking the Inception architecture", CVPR 2016).
 */
export function crossEntropy(logits: Tensor, labels: Tensor, classes: number, smoothing = 0): Scalar {
  const hot = oneHot(labels, classes);
  const target = smoothing > 0 ? add(mul(hot, scalar(1 - smoothing)), scalar(smoothing / classes)) : hot;
  return neg(mean(sum(mul(target, logSoftmax(logits)), -1))) as Scalar;
}
