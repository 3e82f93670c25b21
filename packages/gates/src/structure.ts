import { reshape, type Tensor, tile } from '@tensorflow/tfjs-core';

/** How a parameter is gated: one gate per entry, or one per output unit. */
export type GateStructure = 'unstructured' | 'structured';

/** The part of a parameter's description that gating needs (a subset of `@slt/models`' ParamSpec). */
export interface GatedShape {
  readonly name: string;
  readonly shape: readonly number[];
  /** Axis of output units; required for structured gating. */
  readonly unitAxis?: number;
  /** Consecutive units along `unitAxis` that share one gate (an attention head's width). */
  readonly unitSize?: number;
  /**
   * The parameter whose output units feed this one's entries along `axis` (entry j by unit
   * j mod units): with structured gates, a weight fed by a removed unit counts as removed.
   */
  readonly inputUnits?: { readonly from: string; readonly axis: number };
}

/**
 * Whether `spec` gets one gate per unit under `structure`. Structured gating of a parameter
 * without a unit axis (a classifier's output layer: its units are the classes) falls back to one
 * gate per entry.
 */
export function gatedPerUnit(spec: GatedShape, structure: GateStructure): boolean {
  return structure === 'structured' && spec.unitAxis !== undefined;
}

/** Number of gates a structured gating of `spec` needs. */
export function unitCount(spec: GatedShape): number {
  if (spec.unitAxis === undefined) {
    throw new RangeError(`parameter '${spec.name}' has no unit axis, so it cannot be gated per unit`);
  }
  const units = spec.shape[spec.unitAxis];
  const size = spec.unitSize ?? 1;
  if (units % size !== 0)
    throw new RangeError(`parameter '${spec.name}': ${units} units do not split into groups of ${size}`);
  return units / size;
}

/** Shape of the gate tensor for `spec`: the weight's shape, or [units] when gated per unit. */
export function gateShape(spec: GatedShape, structure: GateStructure): number[] {
  return gatedPerUnit(spec, structure) ? [unitCount(spec)] : [...spec.shape];
}

/** How many weights one gate of `spec` covers. */
export function weightsPerGate(spec: GatedShape, structure: GateStructure): number {
  const total = spec.shape.reduce((a, b) => a * b, 1);
  return gatedPerUnit(spec, structure) ? total / unitCount(spec) : 1;
}

/**
 * Brings a gate tensor to a shape that broadcasts against the weight: unstructured gates already
 * have it; structured gates (units) become (1, ..., units * unitSize, ..., 1).
 */
export function expandGate(z: Tensor, spec: GatedShape, structure: GateStructure): Tensor {
  if (!gatedPerUnit(spec, structure)) return z;
  const axis = spec.unitAxis as number;
  const size = spec.unitSize ?? 1;
  const perUnit = size === 1 ? z : reshape(tile(reshape(z, [-1, 1]), [1, size]), [-1]);
  const shape = spec.shape.map((extent, i) => (i === axis ? extent : 1));
  return reshape(perUnit, shape);
}

/** How the entries of a parameter map onto the unit gates of the parameter feeding its inputs. */
export interface InputFeed {
  /** The producing parameter (gated per unit). */
  readonly from: GatedShape;
  /**
   * The parameter's entries (row-major) viewed as [outer, repeats, producer gates, inner]: entry
   * (o, r, g, i) is fed by the producer's gate g. Entries along the input axis run through the
   * producer's units `repeats` times (a flattened feature map), each gate covering `unitSize` units.
   */
  readonly view: readonly [number, number, number, number];
  /**
   * Weights one (own gate, producer gate) pair covers: size / (own gates x producer gates) when
   * the parameter is gated per unit, 1 when it is gated per entry (each entry has one producer gate).
   */
  readonly weightsPerPair: number;
}

function product(values: readonly number[]): number {
  return values.reduce((a, b) => a * b, 1);
}

/**
 * The unit gates feeding `spec`'s inputs under `structure`, or undefined when none do: only
 * structured gating counts inputs, and only a producer among `gated` (the gated parameters) that is
 * gated per unit removes inputs. Throws a RangeError on an `inputUnits` that cannot be right (the
 * parameter itself, an axis it lacks or its own unit axis, an axis length that is not a multiple of
 * the producer's units).
 */
export function inputFeed(
  spec: GatedShape,
  gated: readonly GatedShape[],
  structure: GateStructure,
): InputFeed | undefined {
  const input = spec.inputUnits;
  const from = structure === 'structured' && input ? gated.find((s) => s.name === input.from) : undefined;
  if (!input || !from || !gatedPerUnit(from, structure)) return undefined;
  const { axis } = input;
  const units = from.shape[from.unitAxis as number] as number;
  const gates = unitCount(from);
  const extent = spec.shape[axis] as number;
  const perUnit = gatedPerUnit(spec, structure);
  // An axis the shape lacks has no extent: NaN % units is not 0.
  if (from === spec || extent % units !== 0 || (perUnit && axis === spec.unitAxis))
    throw new RangeError(
      `parameter '${spec.name}' [${spec.shape}]: inputUnits axis ${axis} does not fit the ${units} units of '${from.name}'`,
    );
  return {
    from,
    view: [
      product(spec.shape.slice(0, axis)),
      extent / units,
      gates,
      (units / gates) * product(spec.shape.slice(axis + 1)),
    ],
    weightsPerPair: perUnit ? product(spec.shape) / (unitCount(spec) * gates) : 1,
  };
}

/** Kept and total weights of one parameter under a ticket's masks. */
export interface ParamCount {
  readonly name: string;
  readonly kept: number;
  readonly total: number;
}

/** What a ticket's binary masks keep: per parameter and over all of them. */
export interface KeptCount {
  readonly params: readonly ParamCount[];
  readonly kept: number;
  readonly total: number;
  /** (total - kept) / total: the fraction of weights removed (0 when there are none). */
  readonly sparsity: number;
}

/** Options of {@link countKept}. */
export interface CountOptions {
  /**
   * Whether a weight also needs the producer unit feeding its input (default true). False counts
   * each weight by its own mask entry only, as tickets of format version 1 recorded it.
   */
  readonly inputUnits?: boolean;
}

function ones(mask: ArrayLike<number>): number {
  let count = 0;
  for (let i = 0; i < mask.length; i++) count += mask[i] as number;
  return count;
}

/** Ones of a per-entry `mask` whose entry (o, r, g, i) of `view` also has producer unit g kept. */
function fedOnes(
  mask: ArrayLike<number>,
  producer: ArrayLike<number>,
  [outer, repeats, gates, inner]: InputFeed['view'],
): number {
  let count = 0;
  let i = 0;
  for (let o = 0; o < outer * repeats; o++)
    for (let g = 0; g < gates; g++)
      for (let k = 0; k < inner; k++, i++) count += (mask[i] as number) * (producer[g] as number);
  return count;
}

/**
 * Counts the weights a ticket keeps from its binary masks (by parameter name, each 0/1 in the
 * gate's shape, {@link gateShape}): a weight is kept when its own mask entry (per entry, or per
 * unit when structured) is 1 and, with structured gates, the producer unit feeding its input
 * ({@link inputFeed}) is 1 too, so the count is that of the network a structured ticket really is
 * (the one `slt export` builds). Unstructured masks count their ones. Throws a RangeError on a
 * missing mask or one of the wrong size.
 */
export function countKept(
  specs: readonly GatedShape[],
  structure: GateStructure,
  masks: ReadonlyMap<string, ArrayLike<number>>,
  options: CountOptions = {},
): KeptCount {
  const maskOf = (spec: GatedShape): ArrayLike<number> => {
    const mask = masks.get(spec.name);
    const expected = product(gateShape(spec, structure));
    if (mask?.length !== expected) throw new RangeError(`mask '${spec.name}': expected ${expected} entries`);
    return mask;
  };
  let kept = 0;
  let total = 0;
  const params = specs.map((spec): ParamCount => {
    const mask = maskOf(spec);
    const feed = options.inputUnits === false ? undefined : inputFeed(spec, specs, structure);
    const count =
      feed === undefined
        ? ones(mask) * weightsPerGate(spec, structure)
        : gatedPerUnit(spec, structure)
          ? // every (own unit, producer unit) pair covers the same number of weights
            ones(mask) * ones(maskOf(feed.from)) * feed.weightsPerPair
          : fedOnes(mask, maskOf(feed.from), feed.view);
    const size = product(spec.shape);
    kept += count;
    total += size;
    return { name: spec.name, kept: count, total: size };
  });
  return { params, kept, total, sparsity: total === 0 ? 0 : (total - kept) / total };
}
