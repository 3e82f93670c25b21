import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { grad, setBackend, type Tensor, tensor1d, tidy } from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { exactTail } from '../normal-cdf.testing.js';
import { decisionSums } from './decision-sums.js';
import { normalCdfSum } from './normal-cdf-sum.js';

// The fused sums against float64 references on both backends. The references start from the
// float32 value of mu, as the kernels do; what they cannot match is the float32 rounding of an
// argument t (mu / sigma, (1/2 -+ |mu|) / sigma) on WASM, a few 2^-24 |t|, which moves phi(t)
// by |t| phi(t) times it: 3 2^-24 t^2 relative, 1e-5 at |t| = 7, where phi is below 1e-11.

const EPS32 = 2 ** -24;
const density = (t: number) => Math.exp(-0.5 * t * t) / Math.sqrt(2 * Math.PI);
/** Phi(t) with a lower tail's relative accuracy. */
const cdf = (t: number) => (t < 0 ? exactTail(-t) : 1 - exactTail(t));

/** Per entry: P(z > 1/2), P(0 < z < 1), their derivatives in mu, and the scale of their errors. */
function reference(mu: number, sigma: number) {
  const scale = 1 / sigma;
  const t = mu * scale;
  // P(0 < z < 1) is even in mu: at |mu| the subtracted Phi is a lower tail
  const [hi, lo] = [(0.5 - Math.abs(mu)) * scale, -(0.5 + Math.abs(mu)) * scale];
  const [above, below] = [(0.5 - mu) * scale, -(0.5 + mu) * scale];
  // relative error of phi(u) from the float32 rounding of u (see above)
  const rounding = (u: number) => 3 * EPS32 * u * u;
  return {
    keep: cdf(t),
    undecided: cdf(hi) - exactTail(-lo),
    keepSlope: scale * density(t),
    undecidedSlope: scale * (density(below) - density(above)),
    // what a relative error of 1e-5 in each phi term, and the argument's rounding, allow; phi
    // beyond the table (|t| > 8) reads 0, an error below 1e-14 scale
    keepSlopeTolerance: scale * density(t) * (1e-5 + rounding(t)) + 1e-14 * scale,
    undecidedSlopeTolerance:
      scale * (density(below) * (1e-5 + rounding(below)) + density(above) * (1e-5 + rounding(above))) + 1e-14 * scale,
  };
}

/** Deterministic values spread over [-1, 1]. */
function unit(n: number, seed: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => Math.sin((i + 1) * 12.9898 + seed * 78.233));
}

/** mu layouts: spread over [-2, 2], over the crbg range [-0.75, 0.75], within 6 sigma of the decision points 0 and +-1/2, or in the lower tail of P(keep). */
const layouts: Record<string, (n: number, sigma: number) => Float32Array> = {
  spread: (n) => unit(n, 1).map((u) => 2 * u),
  crbg: (n) => unit(n, 2).map((u) => 0.75 * u),
  boundaries: (n, sigma) => unit(n, 3).map((u, i) => [0, 0.5, -0.5][i % 3] + 6 * sigma * u),
  tail: (n, sigma) => unit(n, 4).map((u) => Math.max(-2, sigma * (-4 + 2 * u))),
};

// Lengths with every remainder mod 4 (the SIMD loop leaves n % 4 entries to JavaScript) and
// noise scales on both sides of the kernel's switches. On WASM SIMD: below sigma = 1/32 one lookup
// per entry; above, one lookup in a table the kernel builds for the call where n pays for its
// build (n at least 2 or 6 times its last row, 1091 to 3077, kernels.wat: 18471 entries take it at
// every sigma above 1/32, 4097 from sigma 0.1 on), else two lookups below sigma = 1/16, three above.
const lengths = [1, 6, 1003, 4097, 18471];
const sigmas = [0.005, 0.01, 0.03, 0.0313, 0.05, 0.0626, 0.1, 0.25, 1];

/** Worst error of `decisionSums` over the layouts and lengths, in units of its tolerance (pass < 1). */
function decisionErrors(sigma: number) {
  let [sums, slopes] = [0, 0];
  for (const n of lengths) {
    for (const layout of Object.values(layouts)) {
      const mu = layout(n, sigma);
      const [keep, undecided, keepSlope, undecidedSlope] = tidy(() => {
        const x = tensor1d(mu);
        const [k, u] = decisionSums(x, sigma);
        const slope = (which: 0 | 1) => grad((v: Tensor) => decisionSums(v, sigma)[which])(x).dataSync();
        return [k.dataSync()[0] as number, u.dataSync()[0] as number, slope(0), slope(1)];
      });
      const expected = Array.from(mu, (m) => reference(m, sigma));
      const total = (key: 'keep' | 'undecided') => expected.reduce((s, e) => s + e[key], 0);
      // sums: 1e-6 relative, or 1e-10 per entry where a sum is tiny
      for (const [got, want] of [
        [keep, total('keep')],
        [undecided, total('undecided')],
      ] as const) {
        sums = Math.max(sums, Math.abs(got - want) / (1e-6 * Math.abs(want) + 1e-10 * n));
      }
      expected.forEach((e, i) => {
        slopes = Math.max(
          slopes,
          Math.abs(keepSlope[i] - e.keepSlope) / e.keepSlopeTolerance,
          Math.abs(undecidedSlope[i] - e.undecidedSlope) / e.undecidedSlopeTolerance,
        );
      });
    }
  }
  return { sums, slopes };
}

/** Worst error of `normalCdfSum` (single and between), in units of the same tolerances. */
function cdfSumErrors(sigma: number) {
  let worst = 0;
  const scale = 1 / sigma;
  for (const n of lengths) {
    const mu = layouts.boundaries(n, sigma);
    const [keep, between] = tidy(() => {
      const x = tensor1d(mu);
      return [
        normalCdfSum(x, scale).dataSync()[0] as number,
        normalCdfSum(x, -scale, scale / 2, -scale / 2).dataSync()[0] as number,
      ];
    });
    const expected = Array.from(mu, (m) => reference(m, sigma));
    const keepWant = expected.reduce((s, e) => s + e.keep, 0);
    const betweenWant = expected.reduce((s, e) => s + e.undecided, 0);
    worst = Math.max(
      worst,
      Math.abs(keep - keepWant) / (1e-6 * keepWant + 1e-10 * n),
      Math.abs(between - betweenWant) / (1e-6 * betweenWant + 1e-10 * n),
    );
  }
  return worst;
}

describe.each(['cpu', 'wasm'])('fused Phi sums on the %s backend, against float64', (backendName) => {
  it.each(sigmas)('decisionSums: sums to 1e-6 relative, slopes to 1e-5 (sigma %f)', async (sigma) => {
    await setBackend(backendName);
    const { sums, slopes } = decisionErrors(sigma);
    expect(sums).toBeLessThan(1);
    expect(slopes).toBeLessThan(1);
  });

  it.each([0.005, 0.05, 0.25, 1])('normalCdfSum: sums to 1e-6 relative (sigma %f)', async (sigma) => {
    await setBackend(backendName);
    expect(cdfSumErrors(sigma)).toBeLessThan(1);
  });

  it('reads Phi as 0 or 1 and phi as 0 beyond the table, and passes NaN on', async () => {
    await setBackend(backendName);
    const [keep, undecided, slope, nanKeep, nanUndecided] = tidy(() => {
      // t = mu / sigma = -+20: beyond the table on both sides
      const x = tensor1d([-0.2, 0.2, -0.2, 0.2, 0.2]);
      const [k, u] = decisionSums(x, 0.01);
      const nan = decisionSums(tensor1d([0, Number.NaN, 1, 2, 3]), 0.01);
      return [
        k.dataSync()[0] as number,
        u.dataSync()[0] as number,
        grad((v: Tensor) => decisionSums(v, 0.01)[0])(x).dataSync(),
        nan[0].dataSync()[0] as number,
        nan[1].dataSync()[0] as number,
      ];
    });
    expect(keep).toBe(3);
    expect(undecided).toBe(5);
    expect(Array.from(slope)).toEqual([0, 0, 0, 0, 0]);
    expect(nanKeep).toBeNaN();
    expect(nanUndecided).toBeNaN();
  });

  // sigma 1/4 and 1/20 with enough entries for the kernel's per-call table (see `lengths`)
  it.each([0.25, 0.05])('reads the limits beyond the table and passes NaN on, %f, 24000 entries', async (sigma) => {
    await setBackend(backendName);
    const n = 24000;
    // |mu| = 3 and 20: t and (1/2 - |mu|) / sigma beyond -+8; +-inf: the limits
    const far = Float32Array.from({ length: n }, (_, i) => [-3, 3, 20, -20, Infinity, -Infinity][i % 6]);
    const [keep, undecided, keepSlope, undecidedSlope, nanKeep, nanUndecided] = tidy(() => {
      const x = tensor1d(far);
      const [k, u] = decisionSums(x, sigma);
      const slope = (which: 0 | 1) => grad((v: Tensor) => decisionSums(v, sigma)[which])(x).dataSync();
      const withNaN = far.map((m, i) => (i === 1234 ? Number.NaN : Number.isFinite(m) ? m : 0));
      const nan = decisionSums(tensor1d(withNaN), sigma);
      return [
        k.dataSync()[0] as number,
        u.dataSync()[0] as number,
        slope(0),
        slope(1),
        nan[0].dataSync()[0] as number,
        nan[1].dataSync()[0] as number,
      ];
    });
    expect(keep).toBe(n / 2);
    expect(undecided).toBe(0);
    expect(keepSlope.every((s) => s === 0)).toBe(true);
    expect(undecidedSlope.every((s) => s === 0)).toBe(true);
    expect(nanKeep).toBeNaN();
    expect(nanUndecided).toBeNaN();
  });
});
