/**
 * sum(Phi(scale * x + shift)) in one pass, with gradient scale * phi(scale * x + shift): sums of
 * Gaussian gate probabilities such as P(z > 1/2) = Phi(mu / sigma).
 */
import {
  add,
  mul,
  registerGradient,
  type Scalar,
  scalar,
  sub,
  sum,
  type Tensor,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { normalCdf, phi } from '../math.js';
import { defineFusedKernel, fusedAvailable, once, runFused } from './kernel.js';
import { jsStart, type SimdKernels } from './simd/kernels.js';

const SUM = 'SltNormalCdfSum';
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

// On WASM the SIMD kernels compute Phi by polynomial (simd/kernels.wat). The JavaScript loops
// tabulate Phi and phi on [-RANGE, RANGE] and interpolate linearly, instead of an exp and a
// rational erfc per entry, with error below 5e-7 (h^2 / 8 * max |Phi''| for h = 2 * RANGE / STEPS).
// Beyond the range Phi is 0 or 1 and phi is 0 to within 1e-14.
const RANGE = 8;
const STEPS = 4096;
const STEP = (2 * RANGE) / STEPS;
const INV_STEP = 1 / STEP;
// Per cell i: Phi and phi at its left edge and their slopes across it, interleaved, so that one
// lookup gives both values by one multiply-add each.
let table: Float64Array | undefined;

function cells(): Float64Array {
  if (table === undefined) {
    const at = (i: number) => -RANGE + i * STEP;
    const pdfAt = (t: number) => INV_SQRT_2PI * Math.exp(-0.5 * t * t);
    table = new Float64Array(4 * (STEPS + 1));
    for (let i = 0; i <= STEPS; i++) {
      const [t0, t1] = [at(i), at(i + 1)];
      table.set([phi(t0), phi(t1) - phi(t0), pdfAt(t0), pdfAt(t1) - pdfAt(t0)], 4 * i);
    }
  }
  return table;
}

/** Table position of t (cell index plus fraction), clamped to the table's range. */
function position(t: number): number {
  const p = (t + RANGE) * INV_STEP;
  return p < 0 ? 0 : p > STEPS ? STEPS : p;
}

// The two loops below are specialised on purpose: one general loop with a sign and an
// accumulate flag ran at half their speed.

/** sum of Phi(scale * x[i] + shift) over i >= from; slope[i] = scale * phi(...). */
export function sumCdf(x: Float32Array, slope: Float32Array, scale: number, shift: number, from: number): number {
  const c = cells();
  let total = 0;
  for (let i = from; i < x.length; i++) {
    const p = position(scale * x[i] + shift);
    const k = 4 * (p | 0);
    const f = p - (p | 0);
    total += c[k] + f * c[k + 1];
    slope[i] = scale * (c[k + 2] + f * c[k + 3]);
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
  const c = cells();
  let total = 0;
  for (let i = from; i < x.length; i++) {
    const t = scale * x[i];
    const p = position(t + shift);
    const k = 4 * (p | 0);
    const f = p - (p | 0);
    const q = position(t + minusShift);
    const m = 4 * (q | 0);
    const g = q - (q | 0);
    total += c[k] + f * c[k + 1] - (c[m] + g * c[m + 1]);
    slope[i] = scale * (c[k + 2] + f * c[k + 3] - (c[m + 2] + g * c[m + 3]));
  }
  return total;
}

interface Attrs {
  readonly scale: number;
  readonly shift: number;
  /** When set, Phi(scale * x + minusShift) is subtracted in the same pass. */
  readonly minusShift: number | null;
}

/** The sum over entries from `from` on by table lookups. */
function jsSum(x: Float32Array, slope: Float32Array, { scale, shift, minusShift }: Attrs, from: number): number {
  return minusShift === null
    ? sumCdf(x, slope, scale, shift, from)
    : sumCdfBetween(x, slope, scale, shift, minusShift, from);
}

/** The sum over the entries the SIMD loops cover (Phi by polynomial there), 0 without SIMD. */
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
  registerGradient({
    kernelName: SUM,
    outputsToSave: [false, true],
    gradFunc: (dy, saved) => {
      const [slope] = saved as Tensor[];
      const dOut = (Array.isArray(dy) ? dy[0] : dy) as Tensor;
      return { x: () => mul(slope as Tensor, dOut) };
    },
  });
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
  return runFused(SUM, { x }, { scale, shift, minusShift })[0] as Scalar;
}
