import { dispose, sum, type Tensor, tidy } from '@tensorflow/tfjs-core';

/** Counted sparsity of a set of binary masks. */
export interface MaskCount {
  /** Entries that are 0. */
  readonly zeros: number;
  readonly total: number;
  /** zeros / total: the fraction removed. */
  readonly sparsity: number;
}

/**
 * Counts the zeros of binary masks (weights `weightsPerEntry` each: 1 for a per-weight mask, a
 * unit's size for a per-unit mask). Reads the counts back from the backend once per call.
 */
export function countMasked(masks: readonly { mask: Tensor; weightsPerEntry: number }[]): MaskCount {
  const kept = tidy(() => masks.map((m) => sum(m.mask)));
  let keptWeights = 0;
  let total = 0;
  masks.forEach((m, i) => {
    keptWeights += (kept[i].dataSync()[0] as number) * m.weightsPerEntry;
    total += m.mask.size * m.weightsPerEntry;
  });
  dispose(kept);
  const zeros = total - keptWeights;
  return { zeros, total, sparsity: total === 0 ? 0 : zeros / total };
}
