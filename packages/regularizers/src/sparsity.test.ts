import '@tensorflow/tfjs-backend-cpu';
import { memory, setBackend, tensor } from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { countMasked } from './sparsity.js';

beforeAll(async () => {
  await setBackend('cpu');
});

const maskArb = fc.record({
  bits: fc.array(fc.constantFrom(0, 1), { minLength: 1, maxLength: 200 }),
  weightsPerEntry: fc.integer({ min: 1, max: 50 }),
});

describe('countMasked', () => {
  it('equals the zeros counted in JavaScript, weighted by the weights each entry covers', () => {
    fc.assert(
      fc.property(fc.array(maskArb, { minLength: 0, maxLength: 5 }), (masks) => {
        const before = memory().numTensors;
        const tensors = masks.map((m) => ({
          mask: tensor(m.bits, [m.bits.length], 'float32'),
          weightsPerEntry: m.weightsPerEntry,
        }));
        const count = countMasked(tensors);
        const zeros = masks.reduce((n, m) => n + m.bits.filter((b) => b === 0).length * m.weightsPerEntry, 0);
        const total = masks.reduce((n, m) => n + m.bits.length * m.weightsPerEntry, 0);
        expect(count.zeros).toBe(zeros);
        expect(count.total).toBe(total);
        expect(count.sparsity).toBe(total === 0 ? 0 : zeros / total);
        for (const t of tensors) t.mask.dispose();
        expect(memory().numTensors).toBe(before);
      }),
      { numRuns: 200 },
    );
  });

  it('counts exactly on masks of a million entries (no float32 rounding of the sum)', () => {
    const n = 1 << 20;
    const bits = new Float32Array(n);
    for (let i = 0; i < n; i += 3) bits[i] = 1;
    const mask = tensor(bits, [1024, 1024]);
    const count = countMasked([{ mask, weightsPerEntry: 1 }]);
    expect(count.zeros).toBe(n - Math.ceil(n / 3));
    mask.dispose();
  });
});
