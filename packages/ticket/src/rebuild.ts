/**
 * Rebuilding a ticket: regenerate the frozen weights from (model, init recipe, seed), check their
 * fingerprint, and multiply each prunable parameter by its binary mask and its scale. The scale
 * follows edge-popup's 1/sqrt(density) idea (Ramanujan et al. 2020), computed from the mask itself
 * (`mask`) or from the target (`fixed`), so the ticket stays seed + mask.
 */
import { InputError } from '@slt/core';
import { expandGate, type GateStructure, gatedPerUnit, gatedWeight, gateShape } from '@slt/gates';
import { initialWeights, type Model, type ParamSpec } from '@slt/models';
import { mul, onesLike, type Tensor, tensor, tidy } from '@tensorflow/tfjs-core';
import { fingerprintOf } from './fingerprint.js';
import { prunableParams, type Ticket, ticketModel } from './ticket.js';

/**
 * The factor a ticket's layer is multiplied by, besides its mask: 1/sqrt(1 - target sparsity) for
 * `fixed`, 1 otherwise (`mask` rescaling, 1/sqrt(density of the mask), is applied by
 * {@link maskedWeight}, which measures the density itself).
 */
export function fixedScale(ticket: Pick<Ticket, 'rescale' | 'targetSparsity'>): number {
  return ticket.rescale === 'fixed' ? 1 / Math.sqrt(1 - (ticket.targetSparsity ?? 0)) : 1;
}

/**
 * W * m * scale for one parameter, computed by the search's own op (`gatedWeight` of
 * `@slt/gates`) with the gates laid out as the search lays them out, so on the same backend the
 * result is bit-identical to the weights the search evaluated. Returns a new tensor.
 */
export function maskedWeight(ticket: Ticket, spec: ParamSpec, w: Tensor, mask: Uint8Array): Tensor {
  return tidy(() => {
    const z = tensor(Float32Array.from(mask), gateShape(spec, ticket.structure));
    // The search passes per-unit gates directly when units are the last axis (one gate each),
    // and broadcasts them to the weight's shape otherwise.
    const direct =
      ticket.structure === 'unstructured' || (spec.unitAxis === spec.shape.length - 1 && (spec.unitSize ?? 1) === 1);
    const gates = direct ? z : mul(expandGate(z, spec, ticket.structure), onesLike(w));
    return gatedWeight(w, gates, fixedScale(ticket), ticket.rescale === 'mask');
  });
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
 * returns W * m * scale for every prunable parameter (float32), computed like the search computes
 * it (see {@link maskedWeight}): needs a registered TF.js backend, and is bit-identical to the
 * search's weights on the same backend.
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
    const masked = tidy(() =>
      maskedWeight(ticket, spec, tensor(initial.get(spec.name) as Float32Array, [...spec.shape]), mask),
    );
    initial.set(spec.name, masked.dataSync() as Float32Array);
    masked.dispose();
  }
  return { model, weights: initial };
}

/** The rebuilt weights as tensors by parameter name, ready for `model.apply` (caller disposes). */
export function weightTensors(model: Model, weights: ReadonlyMap<string, Float32Array>): Record<string, Tensor> {
  const out: Record<string, Tensor> = {};
  for (const spec of model.params) out[spec.name] = tensor(weights.get(spec.name) as Float32Array, [...spec.shape]);
  return out;
}
