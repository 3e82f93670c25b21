/**
 * sum(Phi(scale * x + shift)) in one pass, with gradient scale * phi(scale * x + shift): sums of
 * Gaussian gate probabilities such as P(z > 1/2) = Phi(mu / sigma).
 */
import { add, mul, type Scalar, scalar, sub, sum, type Tensor, type TensorInfo } from '@tensorflow/tfjs-core';
import { normalCdf } from '../math.js';
import { defineFusedKernel, fusedAvailable, once, runWithSavedOutputs } from './kernel.js';
import { normalTable, TABLE_SCALE, ZERO_ROW } from './normal-table.js';
import { jsStart, type SimdKernels } from './simd/kernels.js';

const SUM = 'SltNormalCdfSum';

// Both the JavaScript loops (float64) and the SIMD kernels (float32) read Phi and phi from one
// table (normal-table.ts), by the same polynomial, so that the two paths agree to float32
// rounding. Positions are t in table units (t * TABLE_SCALE); Phi(t) is the tail Q(|t|) where
// t < 0 and 1 - Q(|t|) where t >= 0. The loops spell out `lookup` (normal-table.ts) at each use:
// through a call and an output array they ran at 0.6 times this speed.

/** sum of Phi(scale * x[i] + shift) over i >= from; slope[i] = scale * phi(...). */
export function sumCdf(x: Float32Array, slope: Float32Array, scale: number, shift: number, from: number): number {
  const table = normalTable();
  // in table units, where h phi times scale / h is scale phi
  const [s, c] = [scale * TABLE_SCALE, shift * TABLE_SCALE];
  let total = 0;
  for (let i = from; i < x.length; i++) {
    const t = s * x[i] + c;
    const a = t < 0 ? -t : t;
    const p = a > ZERO_ROW ? ZERO_ROW : a;
    const k = (p + 0.5) | 0;
    const f = p - k;
    const row = 4 * k;
    const v = f * table[row + 3];
    const u = table[row + 2] + v;
    const q = table[row] - f * (table[row + 1] + f * u);
    total += t < 0 ? q : 1 - q;
    slope[i] = s * (table[row + 1] + f * (u + u + v));
  }
  return total;
}

/** sum of Phi(scale * x[i] + shift) - Phi(scale * x[i] + minusShift) over i >= from, and its slope per entry. */
export function sumCdfBetween(
  x: Float32Array,
  slope: Float32Array,
  scale: number,
  shift: number,
  minusShift: number,
  from: number,
): number {
  const table = normalTable();
  const [s, c1, c2] = [scale * TABLE_SCALE, shift * TABLE_SCALE, minusShift * TABLE_SCALE];
  let total = 0;
  for (let i = from; i < x.length; i++) {
    const t1 = s * x[i] + c1;
    const t2 = s * x[i] + c2;
    const a1 = t1 < 0 ? -t1 : t1;
    const p1 = a1 > ZERO_ROW ? ZERO_ROW : a1;
    const k1 = (p1 + 0.5) | 0;
    const f1 = p1 - k1;
    const row1 = 4 * k1;
    const v1 = f1 * table[row1 + 3];
    const u1 = table[row1 + 2] + v1;
    const q1 = table[row1] - f1 * (table[row1 + 1] + f1 * u1);
    const a2 = t2 < 0 ? -t2 : t2;
    const p2 = a2 > ZERO_ROW ? ZERO_ROW : a2;
    const k2 = (p2 + 0.5) | 0;
    const f2 = p2 - k2;
    const row2 = 4 * k2;
    const v2 = f2 * table[row2 + 3];
    const u2 = table[row2 + 2] + v2;
    const q2 = table[row2] - f2 * (table[row2 + 1] + f2 * u2);
    // Phi(t) = [t >= 0] + (Q or -Q): the tails are subtracted before the integer parts, as in
    // the SIMD kernel, so that two Phi near 1 do not cancel
    total += (t1 < 0 ? q1 : -q1) - (t2 < 0 ? q2 : -q2) + ((t1 < 0 ? 0 : 1) - (t2 < 0 ? 0 : 1));
    slope[i] = s * (table[row1 + 1] + f1 * (u1 + u1 + v1) - (table[row2 + 1] + f2 * (u2 + u2 + v2)));
  }
  return total;
}

interface Attrs {
  readonly scale: number;
  readonly shift: number;
  /** When set, Phi(scale * x + minusShift) is subtracted in the same pass. */
  readonly minusShift: number | null;
}

/** The sum over entries from `from` on, in JavaScript. */
function jsSum(x: Float32Array, slope: Float32Array, { scale, shift, minusShift }: Attrs, from: number): number {
  return minusShift === null
    ? sumCdf(x, slope, scale, shift, from)
    : sumCdfBetween(x, slope, scale, shift, minusShift, from);
}

/** The sum over the entries the SIMD loops cover, 0 without SIMD. */
function simdSum(x: Float32Array, slope: Float32Array, attrs: Attrs, simd: SimdKernels | undefined): number {
  if (simd === undefined) return 0;
  const { scale, shift, minusShift } = attrs;
  return minusShift === null
    ? simd.sumCdf(x.byteOffset, slope.byteOffset, x.length, scale, shift)
    : simd.sumCdfBetween(x.byteOffset, slope.byteOffset, x.length, scale, shift, minusShift);
}

const register = once(() => {
  // One pass gives the sum and, as a second output, each entry's derivative scale * phi(scale * x),
  // which the gradient only multiplies by the incoming scalar.
  defineFusedKernel<Attrs>(
    {
      name: SUM,
      outputShapes: (inputs) => [[], [...(inputs[0] as TensorInfo).shape]],
      compute([x], [out, slope], attrs, _shapes, simd) {
        out[0] = simdSum(x, slope, attrs, simd) + jsSum(x, slope, attrs, jsStart(x.length, simd));
      },
    },
    ['x'],
  );
});

/**
 * sum over all entries of Phi(scale * x + shift), minus Phi(scale * x + minusShift) when given
 * (a probability between two thresholds), differentiable in `x`.
 */
export function normalCdfSum(x: Tensor, scale: number, shift = 0, minusShift: number | null = null): Scalar {
  if (!fusedAvailable()) {
    const cdf = (s: number) => normalCdf(add(mul(x, scalar(scale)), scalar(s)));
    return sum(minusShift === null ? cdf(shift) : sub(cdf(shift), cdf(minusShift))) as Scalar;
  }
  register();
  return runWithSavedOutputs(SUM, x, { scale, shift, minusShift }, (dy, [slope]) => mul(slope as Tensor, dy)) as Scalar;
}
