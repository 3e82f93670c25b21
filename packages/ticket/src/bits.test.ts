import { isInputError } from '@slt/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countOnes, packBits, packedLength, unpackBits } from './bits.js';

const shapes = fc.array(fc.integer({ min: 0, max: 7 }), { minLength: 0, maxLength: 4 });

describe('bit packing', () => {
  it('round-trips masks of arbitrary shapes, with zero padding bits', () => {
    fc.assert(
      fc.property(shapes, fc.double({ min: 0, max: 1, noNaN: true }), fc.integer(), (shape, density, seed) => {
        const size = shape.reduce((a, b) => a * b, 1);
        let state = seed >>> 0;
        const mask = new Uint8Array(size);
        for (let i = 0; i < size; i++) {
          state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
          mask[i] = state / 2 ** 32 < density ? 1 : 0;
        }
        const packed = packBits(mask);
        expect(packed.length).toBe(packedLength(size));
        if (size % 8 !== 0) expect(packed[packed.length - 1] >>> (size % 8)).toBe(0);
        expect(unpackBits(packed, size)).toEqual(mask);
        expect(countOnes(unpackBits(packed, size))).toBe(countOnes(mask));
      }),
    );
  });

  it('uses little bit order: entry i is bit i % 8 of byte i / 8', () => {
    expect([...packBits([1, 0, 0, 0, 0, 0, 0, 0, 0, 1])]).toEqual([0b1, 0b10]);
    expect([...packBits([0, 0, 0, 0, 0, 0, 0, 1])]).toEqual([0x80]);
  });

  it('rejects a wrong byte count or non-zero padding as input errors', () => {
    const errors = [() => unpackBits(new Uint8Array(2), 7), () => unpackBits(new Uint8Array([0x80]), 7)].map((f) => {
      try {
        f();
        return undefined;
      } catch (error) {
        return error;
      }
    });
    expect(errors.every(isInputError)).toBe(true);
  });

  it('refuses to pack values other than 0 and 1', () => {
    expect(() => packBits([0, 2])).toThrow(RangeError);
  });
});
