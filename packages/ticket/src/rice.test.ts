import { isInputError } from '@slt/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { randomMask } from './masks.testing.js';
import { riceDecode, riceEncode } from './rice.js';

function entropy(p: number): number {
  return p <= 0 || p >= 1 ? 0 : -p * Math.log2(p) - (1 - p) * Math.log2(1 - p);
}

describe('Rice-coded masks', () => {
  it('round-trip for any size and density', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 3000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer(),
        (size, density, seed) => {
          const mask = randomMask(size, density, seed);
          const coded = riceEncode(mask);
          expect(riceDecode(coded, size)).toEqual(mask);
        },
      ),
    );
  });

  it('round-trip clustered masks (long runs of both symbols)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 400 }), fc.boolean()), { maxLength: 30 }), (runs) => {
        const mask = Uint8Array.from(runs.flatMap(([length, one]) => new Array<number>(length).fill(one ? 1 : 0)));
        expect(riceDecode(riceEncode(mask), mask.length)).toEqual(mask);
      }),
    );
  });

  it('comes within 5% of the entropy bound on i.i.d. masks at sparsity 0.9 and 0.97', () => {
    for (const sparsity of [0.9, 0.97]) {
      const size = 200_000;
      const coded = riceEncode(randomMask(size, 1 - sparsity, 7));
      const bitsPerWeight = (coded.bytes.length * 8) / size;
      expect(bitsPerWeight).toBeLessThan(entropy(1 - sparsity) * 1.05);
      expect(bitsPerWeight).toBeGreaterThan(entropy(1 - sparsity) * 0.98);
    }
  });

  it('reports corrupt streams as input errors and never runs past its input', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 64 }),
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: -2, max: 600 }),
        fc.integer({ min: 0, max: 1000 }),
        fc.constantFrom(0 as const, 1 as const),
        (bytes, k, count, size, symbol) => {
          try {
            const out = riceDecode({ k, symbol, count, bytes }, size);
            expect(out.length).toBe(size);
          } catch (error) {
            expect(isInputError(error)).toBe(true);
          }
        },
      ),
    );
  });
});
