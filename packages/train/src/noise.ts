import { normals, randomWords, streamKey, uniforms } from '@slt/core';
import type { NoiseSource } from '@slt/gates';
import { randomNormal, randomUniform, tensor } from '@tensorflow/tfjs-core';

/** A {@link NoiseSource} whose draws are reproducible from the run's seed and step. */
export interface SeededNoise extends NoiseSource {
  /** Moves to optimisation step `step` (draws depend only on seed, step and draw order). */
  at(step: number): void;
  /** Frees the noise pool, if any. */
  dispose(): void;
}

const MIN_POOL = 1 << 21;
/** The largest float32 below 1. */
const LARGEST_BELOW_ONE = 1 - 2 ** -24;

/**
 * Gate noise as windows of pools of N(0, 1) and U(0, 1) values generated once from the seed and
 * kept in JavaScript memory. Generating ~266k fresh normals costs ~10 ms per step on CPU and
 * WASM (tfjs draws them in JavaScript), more than the matrix products; copying a window into a
 * new tensor costs a memcpy. (Windows of a pool tensor on the backend are slower on WASM: its
 * `slice` copies the whole input to JavaScript first, and its `gather` is slower than a copy.)
 * Within a step every gate gets its own window; across steps the offsets are independent.
 */
export function poolNoise(seed: number, largestDraw: number): SeededNoise {
  const size = Math.max(MIN_POOL, 4 * largestDraw);
  const pools = new Map<'normal' | 'uniform', Float32Array>();
  const offsetKey = streamKey(seed, 'noise/offsets');
  let counter = 0;
  let step = 0;
  const draw = (kind: 'normal' | 'uniform', shape: readonly number[]) => {
    let pool = pools.get(kind);
    if (pool === undefined) {
      const key = streamKey(seed, `noise/${kind}`);
      // A uniform just below 1 rounds to exactly 1 in float32 (1 - 2^-25 is a tie): keep it below.
      pool =
        kind === 'normal'
          ? Float32Array.from(normals(key, size))
          : Float32Array.from(uniforms(key, size), (u) => Math.min(u, LARGEST_BELOW_ONE));
      pools.set(kind, pool);
    }
    const count = shape.reduce((a, b) => a * b, 1);
    if (count > size) throw new RangeError(`noise draw of ${count} values exceeds the pool of ${size}`);
    const offset = (randomWords(offsetKey, 1, counter++, step)[0] as number) % (size - count + 1);
    return tensor(pool.subarray(offset, offset + count), [...shape], 'float32');
  };
  return {
    at(next) {
      step = next;
      counter = 0;
    },
    normal: (shape) => draw('normal', shape),
    uniform: (shape) => draw('uniform', shape),
    dispose() {
      pools.clear();
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
