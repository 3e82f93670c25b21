/** One line of `metrics.jsonl`. */
export interface EpochMetrics {
  readonly epoch: number;
  /**
   * Mean objective over the epoch's steps: cross-entropy plus the regulariser's penalty (early in a
   * search the penalty dominates while the sparsity is still far from the target).
   */
  readonly train_loss: number;
  /** Binary ticket on the test split. */
  readonly test_acc: number;
  /** The relaxed network (deterministic gate values), for diagnosis only. */
  readonly test_acc_relaxed: number;
  /** Fraction of prunable weights the binary mask removes. */
  readonly sparsity: number;
  /** 1 - expected density under P(z > 1/2). */
  readonly expected_sparsity: number;
  readonly lambda: number;
  readonly lr: number;
  readonly sigma: number | null;
  /** Training seconds of this epoch (evaluation excluded). */
  readonly seconds: number;
}
