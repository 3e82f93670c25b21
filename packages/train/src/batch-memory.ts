/**
 * How many examples one pass may take, from a model's estimate of its activations
 * (`Model.activationFloats`): WASM's heap holds at most 4 GiB, and a transformer at batch 128
 * needs more. Training takes about three times a forward pass's memory (activations kept for the
 * backward pass, and their gradients: ViT-tiny measured 56 MiB per example against 18.4 MiB for
 * evaluation). Models without an estimate take any batch.
 */
import type { Model } from '@slt/models';

/**
 * Examples per evaluation batch, shared by the search and `slt eval` so that models whose
 * normalisation uses the batch's own statistics score the same in both.
 */
export const EVAL_BATCH_SIZE = 1000;
/** Floats of activation one pass may allocate: 1 GiB of float32. */
const PASS_BUDGET_FLOATS = 2 ** 28;
/** Training memory per example relative to a forward pass. */
const TRAINING_FACTOR = 3;

function withinBudget(floatsPerExample: number | undefined, cap: number): number {
  if (floatsPerExample === undefined) return cap;
  return Math.max(1, Math.min(cap, Math.floor(PASS_BUDGET_FLOATS / floatsPerExample)));
}

/**
 * The evaluation batch of `model`: {@link EVAL_BATCH_SIZE}, or fewer where its activations need
 * it (only transformers, whose layer norms make the result independent of the batch).
 */
export function evalBatchSize(model: Model): number {
  return withinBudget(model.activationFloats, EVAL_BATCH_SIZE);
}

/**
 * Examples per forward/backward pass for a training batch of `batchSize`: the whole batch, or
 * micro-batches whose gradients the step sums (same gradient, less memory).
 */
export function microBatchSize(model: Model, batchSize: number): number {
  const perExample = model.activationFloats === undefined ? undefined : TRAINING_FACTOR * model.activationFloats;
  return withinBudget(perExample, batchSize);
}
