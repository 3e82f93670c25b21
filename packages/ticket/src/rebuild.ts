/**
 * Rebuilding a ticket: regenerate the frozen weights from (model, init recipe, seed), check their
 * fingerprint, and multiply each prunable parameter by its binary mask and its scale. The scale
 * follows edge-popup's 1/sqrt(density) idea (Ramanujan et al. 2020), computed from the mask itself
 * (`mask`) or from the target (`fixed`), so the ticket stays seed + mask.
 */
import { InputError } from '@slt/core';
import { type GateStructure, gatedPerUnit } from '@slt/gates';
import { initialWeights, type Model, type ParamSpec } from '@slt/models';
import { maximum, mean, rsqrt, scalar, square, type Tensor, tensor, tensor1d, tidy } from '@tensorflow/tfjs-core';
import { countOnes } from './bits.js';
import { fingerprintOf } from './fingerprint.js';
import { prunableParams, type Ticket, ticketModel } from './ticket.js';

/**
 * The float32 factor a ticket's layer is multiplied by: 1/sqrt(density of its gate mask) for
 * `mask`, 1/sqrt(1 - target sparsity) for `fixed`, 1 for `none`. For `mask` it is computed with
 * the same TensorFlow.js ops as the search (rsqrt of max(mean(m^2), 1e-6)) on the active backend,
 * so the rebuilt weights are bit-identical to the ones the search evaluated.
 */
export function layerScale(ticket: Pick<Ticket, 'rescale' | 'targetSparsity'>, mask: Uint8Array): number {
  if (ticket.rescale === 'none') return 1;
  if (ticket.rescale === 'fixed') return Math.fround(1 / Math.sqrt(1 - (ticket.targetSparsity ?? 0)));
  if (mask.length === 0 || countOnes(mask) === 0) return 1; // nothing left to scale
  const scale = tidy(() => rsqrt(maximum(mean(square(tensor1d(Float32Array.from(mask)))), scalar(1e-6))));
  const value = scale.dataSync()[0];
  scale.dispose();
  return value;
}

/** Expands a gate-shaped mask to the parameter's shape (structured: one entry per unit). */
export function expandMask(mask: Uint8Array, spec: ParamSpec, structure: GateStructure): Uint8Array {
  if (!gatedPerUnit(spec, structure)) return mask;
  const axis = spec.unitAxis as number;
  const unitSize = spec.unitSize ?? 1;
  const inner = spec.shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const extent = spec.shape[axis];
  const total = spec.shape.reduce((a, b) => a * b, 1);
  const out = new Uint8Array(total);
  for (let i = 0; i < total; i++) out[i] = mask[Math.floor((Math.floor(i / inner) % extent) / unitSize)];
  return out;
}

/** A rebuilt ticket: its model and masked, scaled float32 weights by parameter name. */
export interface RebuiltTicket {
  readonly model: Model;
  readonly weights: Map<string, Float32Array>;
}

/**
 * Regenerates the ticket's weights, checks them against its fingerprint (a mismatch throws an
 * InputError: the ticket was made by a different PRNG, init recipe or model definition) and
 * returns W * m * scale for every prunable parameter (float32, as TensorFlow.js computes it).
 * Needs a registered TF.js backend: the `mask` scale is computed on it, like the search's.
 */
export function rebuildWeights(ticket: Ticket): RebuiltTicket {
  const model = ticketModel(ticket);
  const initial = initialWeights(model.params, { recipe: ticket.init, seed: ticket.seed });
  const fingerprint = fingerprintOf(model, initial);
  if (fingerprint !== ticket.fingerprint) {
    throw new InputError(
      `ticket: the regenerated ${ticket.model} weights (init ${ticket.init}, seed ${ticket.seed}) do not match the ticket's fingerprint: it was made by an incompatible slt version`,
    );
  }
  for (const spec of prunableParams(model)) {
    const mask = ticket.masks.get(spec.name) as Uint8Array;
    const scale = layerScale(ticket, mask);
    const full = expandMask(mask, spec, ticket.structure);
    const w = initial.get(spec.name) as Float32Array;
    for (let i = 0; i < w.length; i++) w[i] = full[i] === 1 ? Math.fround(w[i] * scale) : 0;
  }
  return { model, weights: initial };
}

/** The rebuilt weights as tensors by parameter name, ready for `model.apply` (caller disposes). */
export function weightTensors(model: Model, weights: ReadonlyMap<string, Float32Array>): Record<string, Tensor> {
  const out: Record<string, Tensor> = {};
  for (const spec of model.params) out[spec.name] = tensor(weights.get(spec.name) as Float32Array, [...spec.shape]);
  return out;
}
