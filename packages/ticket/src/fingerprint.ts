/**
 * The fingerprint of a ticket's frozen weights: SHA-256 over every parameter in model order, each
 * as its UTF-8 name, a zero byte, then its float32 values little-endian. If a change to the PRNG,
 * an init recipe or a model's parameter list would regenerate different weights, the fingerprint
 * no longer matches and rebuilding the ticket fails instead of silently evaluating other weights.
 */
import { initialWeights, type Model } from '@slt/models';
import { Sha256 } from './sha256.js';

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** The float32 values of `values` as little-endian bytes. */
export function float32Bytes(values: Float32Array): Uint8Array {
  if (LITTLE_ENDIAN) return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i], true);
  return out;
}

/** SHA-256 (64 hex digits) of given initial weights of `model`. */
export function fingerprintOf(model: Model, weights: ReadonlyMap<string, Float32Array>): string {
  const hash = new Sha256();
  const encoder = new TextEncoder();
  for (const spec of model.params) {
    hash.update(encoder.encode(spec.name));
    hash.update(new Uint8Array([0]));
    hash.update(float32Bytes(weights.get(spec.name) as Float32Array));
  }
  return hash.hex();
}

/** SHA-256 (64 hex digits) of the initial weights `model` gets from (recipe, seed). */
export function weightFingerprint(model: Model, recipe: string, seed: number): string {
  return fingerprintOf(model, initialWeights(model.params, { recipe, seed }));
}
