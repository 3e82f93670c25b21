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
