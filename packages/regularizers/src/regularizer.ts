import type { Scalar } from '@tensorflow/tfjs-core';
import type { GatedGroup } from './gated-group.js';

/**
 * A penalty on the gates added to the task loss. `update` runs once per optimisation step after
 * the gradient step (dual ascent for `target`); `state`/`restore` carry its mutable state through
 * checkpoints.
 */
export interface Regularizer {
  readonly name: string;
  /** The differentiable penalty for the current gates. */
  loss(groups: readonly GatedGroup[]): Scalar;
  /** Updates internal state from the current gates (no gradient). */
  update(groups: readonly GatedGroup[]): void;
  /** The current multiplier (fixed lambda, or the dual variable). */
  readonly lambda: number;
  /** The regulariser's mutable state (e.g. the dual variable), for checkpoints. */
  state(): Record<string, number>;
  /** Restores the state saved by {@link Regularizer.state}. */
  restore(state: Record<string, number>): void;
  /** Frees the tensors the regulariser holds (e.g. the dual variable), where it holds any. */
  dispose?(): void;
}

/** Options shared by the regularisers. */
export interface RegularizerOptions {
  /** Penalty weight (fixed regularisers) or initial multiplier (`target`). */
  readonly lambda?: number;
  /** Fraction of covered weights to remove (`target` only). */
  readonly targetSparsity?: number;
  /** Step size of the multiplier's dual ascent, per optimisation step (`target` only). */
  readonly dualLr?: number;
  /** Weight rho of the augmented-Lagrangian term (rho / 2) * violation^2 (`target` only; default 0). */
  readonly penalty?: number;
  /**
   * Weight of the expected undecided weights, P(0 < z < 1), per weight the ticket keeps (the
   * undecided fraction over 1 - target), added by `target` (default 0).
   */
  readonly decision?: number;
}
