import type { Scalar, Tensor, Variable } from '@tensorflow/tfjs-core';

/**
 * Where a gate's training-time randomness comes from. The trainer passes a seeded, reproducible
 * source; {@link defaultNoise} uses tfjs's own generators.
 */
export interface NoiseSource {
  /** Standard normal noise of `shape`. */
  normal(shape: readonly number[]): Tensor;
  /** Uniform noise in the open interval (0, 1) of `shape`. */
  uniform(shape: readonly number[]): Tensor;
}

/**
 * A distribution over [0, 1] per entry, with point masses at 0 and 1, whose relaxed sample is
 * differentiable in the gate's parameters. Every method returns a tensor of the gate's shape.
 */
export interface Gate {
  /** Registered family name, e.g. `gaussian`. */
  readonly kind: string;
  /** Shape of the gate tensor (one entry per gate). */
  readonly shape: readonly number[];
  /** The trainable parameters (the only variables a search updates). */
  params(): Variable[];
  /** A relaxed training-time sample z in [0, 1]; differentiable in `params()`. */
  sample(noise?: NoiseSource): Tensor;
  /** The noise-free value of the gate in [0, 1] (the test-time estimator of the relaxation). */
  deterministic(): Tensor;
  /** The binary mask of the ticket: strictly 0 or 1 (float32). */
  mask(): Tensor;
  /** P(z > 0): the probability that the gate is not closed (expected L0). */
  pOpen(): Tensor;
  /** P(z > 1/2): the probability the sample lands on the side the binary mask keeps. */
  pKeep(): Tensor;
  /**
   * Optional fast path for sum(pKeep()), the expected number of gates the mask keeps
   * (differentiable). Regularisers use it when present.
   */
  keepSum?(): Scalar;
  /** Optional fast path for sum(pUndecided()) (differentiable). */
  undecidedSum?(): Scalar;
  /** Optional fast path for [keepSum(), undecidedSum()] in one pass over the parameters (differentiable). */
  decisionSums?(): [Scalar, Scalar];
  /**
   * Optional fast path for `gatedWeight(w, sample(noise), scale, rescaleByGates)` when the gate
   * has w's shape (one gate per entry): the same values, in one pass where fused kernels run.
   */
  sampledWeight?(w: Tensor, noise: NoiseSource | undefined, scale: number, rescaleByGates: boolean): Tensor;
  /** P(0 < z < 1): the probability the gate is undecided. */
  pUndecided(): Tensor;
  /** Keeps parameters in their allowed range; the trainer calls it after each optimizer step. */
  project(): void;
  /** Frees the gate's variables. */
  dispose(): void;
}

/** Options shared by every gate family. */
export interface GateOptions {
  /** Initial value of the location parameter (mu for `gaussian`, log alpha for `hard-concrete`). */
  readonly init?: number;
  /** Initial P(z > 0) instead of `init`; every gate starts at the same value. */
  readonly initialPOpen?: number;
  /** Name prefix of the gate's variables (helps when reading checkpoints). */
  readonly name?: string;
  /** Whether the variables are trainable (default true). */
  readonly trainable?: boolean;
}
