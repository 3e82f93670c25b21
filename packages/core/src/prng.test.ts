import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  detCos,
  detLog,
  detSin,
  normals,
  philoxBlock,
  randomWords,
  streamKey,
  toUnitInterval,
  uniforms,
} from './prng.js';

const seed = fc.integer({ min: 0, max: 0xffffffff });
const name = fc.string({ maxLength: 24 });
const hex = (words: Uint32Array) => Array.from(words, (w) => w.toString(16).padStart(8, '0'));

describe('Philox4x32-10', () => {
  it('matches the known-answer vectors of Random123 (Salmon et al. 2011)', () => {
    const out = new Uint32Array(4);
    philoxBlock([0, 0], 0, 0, 0, 0, out);
    expect(hex(out)).toEqual(['6627e8d5', 'e169c58d', 'bc57ac4c', '9b00dbd8']);
    philoxBlock([0xffffffff, 0xffffffff], 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, out);
    expect(hex(out)).toEqual(['408f276d', '41c83b0e', 'a20bc7c6', '6d5451fd']);
    philoxBlock([0xa4093822, 0x299f31d0], 0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, out);
    expect(hex(out)).toEqual(['d16cfe09', '94fdcceb', '5001e420', '24126ea1']);
  });

  it('pins the stream of (seed 0, name "x"): a change here changes every ticket ever written', () => {
    // These values are what the generator produced when tickets started being written; they pin
    // streamKey's hashing, the counter layout and the uint32 -> (0, 1) and Box-Muller maps.
    const key = streamKey(0, 'x');
    expect(key).toEqual([794621484, 1175668303]);
    expect(hex(randomWords(key, 8))).toEqual([
      '8fbe1285',
      'ed21ca64',
      '4269185c',
      'fd481be6',
      'f6353924',
      '687dd606',
      '00453c7a',
      '93466617',
    ]);
    expect(Array.from(uniforms(key, 2))).toEqual([0.5614940226078033, 0.9262968599796295]);
    expect(Array.from(normals(key, 2))).toEqual([0.9612288480233427, -0.4799452075483882]);
    expect(hex(randomWords(streamKey(7, 'fc1.weight'), 4, 0, 1))).toEqual([
      'c2577b97',
      'e5dde84a',
      'c7e0bfdd',
      'e3f7f72f',
    ]);
  });
});

describe('streams', () => {
  it('the same (seed, name) always gives the same words', () => {
    fc.assert(
      fc.property(seed, name, fc.integer({ min: 1, max: 64 }), (s, n, count) => {
        expect(randomWords(streamKey(s, n), count)).toEqual(randomWords(streamKey(s, n), count));
      }),
    );
  });

  it('different names give different streams', () => {
    fc.assert(
      fc.property(seed, name, name, (s, a, b) => {
        fc.pre(a !== b);
        expect(hex(randomWords(streamKey(s, a), 4))).not.toEqual(hex(randomWords(streamKey(s, b), 4)));
      }),
    );
  });

  it('different seeds give different streams', () => {
    fc.assert(
      fc.property(seed, seed, name, (s, t, n) => {
        fc.pre(s !== t);
        expect(hex(randomWords(streamKey(s, n), 4))).not.toEqual(hex(randomWords(streamKey(t, n), 4)));
      }),
    );
  });

  it('different lanes give different streams', () => {
    fc.assert(
      fc.property(seed, name, fc.integer({ min: 1, max: 1000 }), (s, n, lane) => {
        const key = streamKey(s, n);
        expect(hex(randomWords(key, 4, 0, lane))).not.toEqual(hex(randomWords(key, 4, 0, 0)));
      }),
    );
  });

  it('randomWords(key, n, start) is the slice [start, start + n) of randomWords(key, start + n)', () => {
    fc.assert(
      fc.property(
        seed,
        name,
        fc.integer({ min: 0, max: 77 }),
        fc.integer({ min: 0, max: 77 }),
        fc.integer({ min: 0, max: 3 }),
        (s, n, start, count, lane) => {
          const key = streamKey(s, n);
          expect(randomWords(key, count, start, lane)).toEqual(randomWords(key, start + count, 0, lane).slice(start));
        },
      ),
    );
  });

  it('uniforms(key, n, start) is the same slice of uniforms(key, start + n)', () => {
    fc.assert(
      fc.property(seed, fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 50 }), (s, start, count) => {
        const key = streamKey(s, 'u');
        expect(uniforms(key, count, start)).toEqual(uniforms(key, start + count).slice(start));
      }),
    );
  });

  it('rejects seeds that are not integers in [0, 2^32)', () => {
    for (const bad of [-1, 0.5, 2 ** 32, Number.NaN]) expect(() => streamKey(bad, 'x')).toThrow(/seed/);
  });

  it('counters past 2^32 blocks use the high counter word (no wrap onto the start of the stream)', () => {
    const key = streamKey(3, 'far');
    const far = randomWords(key, 4, 4 * 2 ** 32);
    const block = new Uint32Array(4);
    philoxBlock(key, 0, 1, 0, 0, block);
    expect(far).toEqual(block);
    expect(far).not.toEqual(randomWords(key, 4));
  });
});

describe('uniforms and normals', () => {
  it('uniforms lie in the open interval (0, 1), extremes included', () => {
    expect(toUnitInterval(0)).toBeGreaterThan(0);
    expect(toUnitInterval(0xffffffff)).toBeLessThan(1);
    fc.assert(
      fc.property(seed, name, fc.integer({ min: 0, max: 1e6 }), (s, n, start) => {
        for (const u of uniforms(streamKey(s, n), 64, start)) {
          expect(u).toBeGreaterThan(0);
          expect(u).toBeLessThan(1);
        }
      }),
    );
  });

  it('100k uniforms have mean 1/2 and variance 1/12', () => {
    const u = uniforms(streamKey(1, 'uniform-moments'), 100_000);
    const mean = u.reduce((a, b) => a + b, 0) / u.length;
    const variance = u.reduce((a, b) => a + (b - mean) ** 2, 0) / u.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.005); // standard error 0.0009
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(0.002);
  });

  it('100k normals have mean 0, variance 1 and the normal tail mass', () => {
    const z = normals(streamKey(2, 'normal-moments'), 100_000);
    const mean = z.reduce((a, b) => a + b, 0) / z.length;
    const variance = z.reduce((a, b) => a + (b - mean) ** 2, 0) / z.length;
    const beyond2 = z.filter((v) => Math.abs(v) > 2).length / z.length;
    expect(Math.abs(mean)).toBeLessThan(0.015); // standard error 0.0032
    expect(Math.abs(variance - 1)).toBeLessThan(0.02); // standard error 0.0045
    expect(Math.abs(beyond2 - 0.0455)).toBeLessThan(0.004); // P(|Z| > 2) = 0.0455, s.e. 0.0007
  });

  it('an odd count of normals is a prefix of the next even count', () => {
    const key = streamKey(5, 'odd');
    expect(normals(key, 7)).toEqual(normals(key, 8).slice(0, 7));
  });
});

describe('deterministic elementary functions', () => {
  const close = (actual: number, expected: number) =>
    expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-14 * Math.max(1, Math.abs(expected)));

  it('detLog is within 1e-14 of Math.log over positive normal numbers', () => {
    fc.assert(
      fc.property(fc.double({ min: 2 ** -1022, max: 1e300, noNaN: true, noDefaultInfinity: true }), (x) => {
        close(detLog(x), Math.log(x));
      }),
      { numRuns: 2000 },
    );
    for (const x of [1, 2, Math.E, 0.5, 2 ** -25, 1 - 2 ** -24, Math.SQRT2, Math.SQRT1_2])
      close(detLog(x), Math.log(x));
  });

  it('detSin and detCos are within 1e-14 of Math.sin and Math.cos on |x| < 2 pi + 1', () => {
    const range = 2 * Math.PI + 1;
    fc.assert(
      fc.property(fc.double({ min: -range, max: range, noNaN: true }), (x) => {
        close(detSin(x), Math.sin(x));
        close(detCos(x), Math.cos(x));
      }),
      { numRuns: 2000 },
    );
    for (let k = -8; k <= 8; k++) {
      close(detSin((k * Math.PI) / 4), Math.sin((k * Math.PI) / 4));
      close(detCos((k * Math.PI) / 4), Math.cos((k * Math.PI) / 4));
    }
  });
});
