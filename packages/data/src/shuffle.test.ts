import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shuffledIndices } from './shuffle.js';

function isPermutation(order: Int32Array, count: number): boolean {
  if (order.length !== count) return false;
  const seen = new Uint8Array(count);
  for (const i of order) {
    if (i < 0 || i >= count || seen[i]) return false;
    seen[i] = 1;
  }
  return true;
}

describe('shuffledIndices', () => {
  it('is a permutation of 0..count-1 for any count, seed and epoch', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3000 }), fc.nat(), fc.nat({ max: 1000 }), (count, seed, epoch) =>
        isPermutation(shuffledIndices(count, seed, epoch), count),
      ),
      { numRuns: 200 },
    );
  });

  it('is a pure function of (seed, epoch), different across epochs and seeds', () => {
    const a = shuffledIndices(1000, 7, 3);
    expect(Array.from(shuffledIndices(1000, 7, 3))).toEqual(Array.from(a));
    expect(Array.from(shuffledIndices(1000, 7, 4))).not.toEqual(Array.from(a));
    expect(Array.from(shuffledIndices(1000, 8, 3))).not.toEqual(Array.from(a));
  });

  it('pins the permutation (a change to the algorithm changes every resumed run)', () => {
    expect(Array.from(shuffledIndices(10, 0, 0))).toEqual([7, 5, 9, 6, 8, 2, 0, 1, 4, 3]);
  });

  it('moves every index to every place about equally often', () => {
    // 3 items, 6000 epochs: each of the 6 orders about 1000 times.
    const counts = new Map<string, number>();
    for (let epoch = 0; epoch < 6000; epoch++) {
      const key = shuffledIndices(3, 11, epoch).join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(6);
    for (const n of counts.values()) {
      expect(n).toBeGreaterThan(880);
      expect(n).toBeLessThan(1120);
    }
  });

  it('rejects a bad count or epoch', () => {
    expect(() => shuffledIndices(-1, 0, 0)).toThrow(/count/);
    expect(() => shuffledIndices(10, 0, 1.5)).toThrow(/epoch/);
  });
});
