import type { Tensor } from '@tensorflow/tfjs-core';

/** What a model says about one of its parameters. */
export interface ParamSpec {
  /** Unique within the model; also the name of the parameter's PRNG stream. */
  readonly name: string;
  readonly shape: readonly number[];
  /** Whether a ticket may mask this parameter (weights yes; normalisation statistics never). */
  readonly prunable: boolean;
  /** Inputs feeding one output unit (dense: rows; conv: kh * kw * cin): sets the init scale. */
  readonly fanIn: number;
  /** Axis of output units (dense: 1, conv: 3, ...), for structured gates; absent: not structurable. */
  readonly unitAxis?: number;
  /**
   * Units of several parameters that must be removed together (a transformer head spans the
   * query, key and value projections): parameters sharing a `unitGroup` share structured gates.
   */
  readonly unitGroup?: string;
  /** Number of units along `unitAxis` that one gate covers (attention heads: head size). */
  readonly unitSize?: number;
  /**
   * Where this parameter's inputs come from, for counting a structured ticket's weights: its
   * entries along `axis` are fed by the output units of parameter `from` (along that parameter's
   * `unitAxis`), so a weight whose producer unit is removed can never contribute. Where `axis` is
   * longer than the producer's unit count, entry j is fed by unit j mod count (flattening an NHWC
   * feature map repeats the channels fastest). Declare it only where removing a producer unit
   * really silences the input (no bias, no normalisation or residual stream in between).
   */
  readonly inputUnits?: InputUnits;
}

/** See {@link ParamSpec.inputUnits}. */
export interface InputUnits {
  /** Name of the producing parameter: an earlier parameter with a `unitAxis`. */
  readonly from: string;
  /** Axis of this parameter whose entries the producer's units feed (dense: 0, conv: 2). */
  readonly axis: number;
}

/** Weights by parameter name. */
export type Weights = Readonly<Record<string, Tensor>>;

/** Per-call context of {@link Model.apply}. */
export interface ApplyContext {
  /** True while searching (normalisation uses batch statistics), false for evaluation. */
  readonly training: boolean;
}

/**
 * A pure network: `apply` is a function of its weights and input only, so a trainer can pass
 * gated weights (`W * z`) without the model knowing. Input `x` is (batch, ...inputShape);
 * the output is logits (batch, classes).
 */
export interface Model {
  /** The registered name (or, for a converted model, a name saying where it came from). */
  readonly name: string;
  /** The fully resolved arguments the model was built with (enough to build it again). */
  readonly args: Readonly<Record<string, unknown>>;
  /** Every parameter `apply` reads, by name, with its shape and whether a ticket may mask it. */
  readonly params: readonly ParamSpec[];
  /** Shape of one example, without the batch axis. */
  readonly inputShape: readonly number[];
  /** Number of classes: the width of the logits. */
  readonly classes: number;
  /** Logits (batch, classes) of `x` (batch, ...inputShape) computed with `weights` (one tensor per parameter name). */
  apply(weights: Weights, x: Tensor, ctx: ApplyContext): Tensor;
  /**
   * Floats of activation one example's forward pass allocates (an estimate, for models whose
   * activations are large, such as transformers): trainers size their batches with it so a pass
   * fits the WASM heap (4 GiB at most). Absent: small enough for any batch.
   */
  readonly activationFloats?: number;
}

/** Arguments every model factory receives: what the data set dictates, plus model options. */
export interface ModelArgs {
  /** Input shape of one example, without the batch axis, e.g. [28, 28, 1] or [32, 32, 3]. */
  readonly inputShape: readonly number[];
  readonly classes: number;
  readonly [option: string]: unknown;
}
