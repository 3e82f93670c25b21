// Test support (not part of the package's entry points): seeded random masks.
import { streamKey, uniforms } from '@slt/core';

/** A mask of `size` entries, each 1 with probability `density`, from slt's PRNG (deterministic; any integer seed). */
export function randomMask(size: number, density: number, seed: number): Uint8Array {
  return Uint8Array.from(uniforms(streamKey(seed >>> 0, 'test-mask'), size), (u) => (u < density ? 1 : 0));
}
