import { normals, randomWords, streamKey, uniforms } from '@slt/core';
import type { NoiseSource } from '@slt/gates';
import { dispose, keep, randomNormal, randomUniform, reshape, slice, type Tensor, tensor1d } from '@tensorflow/tfjs-core';

/** A {@link NoiseSource} whose draws are reproducible from the run's seed and step. */
export interface SeededNoise extends NoiseSource {
  /** Moves to optimisation step `step` (draws depend only on seed, step and draw order). */
  at(step: number): void;
  dispose(): void;
}

const MIN_POOL = 1 << 20;

/**
 * Gate noise as windows of one pool of N(0, 1) (and one of U(0, 1)) values generated once from
 * the seed. Generating ~266k fresh normals costs ~10 ms per step on CPU and WASM (tfjs draws them
 * in JavaScript), more than the matrix products; a window at a random offset costs a copy. Within
 * a step every gate gets distinct pool entries; across steps the offsets are independent.
 */
export function poolNoise(seed: number, largestDraw: number): SeededNoise {
  const size = Math.max(MIN_POOL, 2 * largestDraw);
  let normalPool: Tensor | undefined;
  let uniformPool: Tensor | undefined;
  const offsetKey = streamKey(seed, 'noise/offsets');
  let counter = 0;
  let step = 0;
  const window = (pool: Tensor, shape: readonly number[]) => {
    const count = shape.reduce((a, b) => a * b, 1);
    const word = randomWords(offsetKey, 1, counter++, step)[0] as number;
    const offset = word % (size - count + 1);
    return reshape(slice(pool, [offset], [count]), [...shape]);
  };
  return {
    at(next) {
      step = next;
      counter = 0;
    },
    normal(shape) {
      normalPool ??= keep(tensor1d(Float32Array.from(normals(streamKey(seed, 'noise/normal'), size))));
      return window(normalPool as Tensor, shape);
    },
    uniform(shape) {
      uniformPool ??= keep(tensor1d(Float32Array.from(uniforms(streamKey(seed, 'noise/uniform'), size))));
      return window(uniformPool as Tensor, shape);
    },
    dispose() {
      dispose([normalPool, uniformPool].filter((t): t is Tensor => t !== undefined));
    },
  };
}

/** Fresh draws from tfjs's seeded generators every step (slower on CPU/WASM, exact). */
export function freshNoise(seed: number): SeededNoise {
  let step = 0;
  let counter = 0;
  const drawSeed = () => (seed * 1_000_003 + step * 1009 + counter++) % 2_147_483_647;
  return {
    at(next) {
      step = next;
      counter = 0;
    },
    normal: (shape) => randomNormal([...shape], 0, 1, 'float32', drawSeed()),
    uniform: (shape) => randomUniform([...shape], 1e-6, 1 - 1e-6, 'float32', drawSeed()),
    dispose() {},
  };
}
