import { dispose, mean, moments, type Tensor } from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from './backend.js';
import { freshNoise, poolNoise } from './noise.js';

beforeAll(async () => {
  await useBackend('cpu');
});

const values = (t: Tensor) => {
  const v = Float32Array.from(t.dataSync());
  t.dispose();
  return v;
};

describe('poolNoise', () => {
  it('depends only on (seed, step, draw order)', () => {
    const a = poolNoise(5, 100);
    const b = poolNoise(5, 100);
    a.at(7);
    b.at(7);
    const first = values(a.normal([10, 10]));
    expect(values(b.normal([10, 10]))).toEqual(first);
    expect(values(a.normal([10, 10]))).not.toEqual(first); // the next draw of the step is another window
    a.at(7);
    expect(values(a.normal([10, 10]))).toEqual(first); // back to the step's start
    a.at(8);
    expect(values(a.normal([10, 10]))).not.toEqual(first);
    const c = poolNoise(6, 100);
    c.at(7);
    expect(values(c.normal([10, 10]))).not.toEqual(first);
    for (const n of [a, b, c]) n.dispose();
  });

  it('uniform draws lie strictly inside (0, 1) in float32, over whole pools', () => {
    // Seed 3's uniform stream holds a 24-bit value that rounds to exactly 1 in float32.
    for (const seed of [0, 3]) {
      const noise = poolNoise(seed, 1);
      const u = values(noise.uniform([1 << 21])); // the whole pool
      let outside = 0;
      for (const v of u) if (!(v > 0 && v < 1)) outside += 1;
      expect(outside, `seed ${seed}`).toBe(0);
      noise.dispose();
    }
  });

  it('normal draws have mean 0 and variance 1; a draw larger than the pool is refused', () => {
    const noise = poolNoise(1, 1000);
    const z = noise.normal([200_000]);
    const { mean: m, variance } = moments(z);
    expect(Math.abs(m.dataSync()[0])).toBeLessThan(0.01);
    expect(Math.abs(variance.dataSync()[0] - 1)).toBeLessThan(0.02);
    dispose([z, m, variance]);
    expect(() => noise.normal([(1 << 21) + 1])).toThrow(/exceeds the pool/);
    noise.dispose();
  });
});

describe('freshNoise', () => {
  it('is reproducible from (seed, step, draw order)', () => {
    const a = freshNoise(3);
    const b = freshNoise(3);
    a.at(2);
    b.at(2);
    const first = values(a.uniform([50]));
    expect(values(b.uniform([50]))).toEqual(first);
    expect(values(a.uniform([50]))).not.toEqual(first);
    for (const v of first) expect(v > 0 && v < 1).toBe(true);
    const z = a.normal([10_000]);
    expect(Math.abs(mean(z).dataSync()[0])).toBeLessThan(0.05);
    z.dispose();
  });
});
