/**
 * The two sums behind a Gaussian gate's binary decision, in one pass over mu: the expected kept
 * gates, sum P(z > 1/2) = sum Phi(mu / sigma), and the expected undecided gates,
 * sum P(0 < z < 1) = sum Phi((1/2 - mu) / sigma) - Phi(-(mu + 1/2) / sigma). The `target`
 * regulariser needs both every step; one pass evaluates the three Phi terms of an entry together
 * (table lookups, normal-table.ts; on WASM SIMD, where sigma < 1/32, one lookup per entry serves
 * all three, see kernels.wat) and its gradient is one weighted sum of the two slopes it saved,
 * instead of two products and an addition.
 *
 * On WASM SIMD, where sigma >= 1/32, the kernel first builds a table of its own for the call: per
 * table position of |mu| / sigma, the normal table's row for keep and the cubic Taylor polynomial
 * of the undecided term, so that one lookup per entry gives all four outputs where three or two
 * did (784x300, the op through tfjs: 0.80 to 0.50 ms at sigma >= 1/16, 0.63 to 0.52 between
 * 1/32 and 1/16, as fast as the one lookup below 1/32, 0.48). It builds it in a block of the
 * backend's heap that simd/kernels.ts places once per heap (96 KiB) beside the normal table.
 */
import { type Scalar, type Tensor, type TensorInfo, unstack } from '@tensorflow/tfjs-core';
import { defineFusedKernel, fusedAvailable, once, runFused, runWithSavedOutputs } from './kernel.js';
import { normalCdfSum, sumCdf, sumCdfBetween } from './normal-cdf-sum.js';
import { DECISION_TABLE_ROWS, jsStart } from './simd/kernels.js';

const SUMS = 'SltDecisionSums';
const GRAD = 'SltWeightedSum';

interface Attrs {
  /** 1 / sigma. */
  readonly scale: number;
}

const register = once(() => {
  defineFusedKernel<Attrs>(
    {
      name: SUMS,
      outputShapes: (inputs) => {
        const shape = [...(inputs[0] as TensorInfo).shape];
        return [[2], shape, shape];
      },
      compute([x], [sums, keepSlope, undecidedSlope], { scale }, _shapes, simd) {
        const half = scale / 2;
        const [k, u] = simd?.decisionSums(
          x.byteOffset,
          keepSlope.byteOffset,
          undecidedSlope.byteOffset,
          x.length,
          scale,
          half,
          simd.decisionTable,
          DECISION_TABLE_ROWS,
        ) ?? [0, 0];
        const from = jsStart(x.length, simd);
        sums[0] = k + sumCdf(x, keepSlope, scale, 0, from);
        sums[1] = u + sumCdfBetween(x, undecidedSlope, -scale, half, -half, from);
      },
    },
    ['x'],
  );
  defineFusedKernel<Record<string, never>>(
    {
      name: GRAD,
      outputShapes: (inputs) => [[...(inputs[0] as TensorInfo).shape]],
      compute([a, b, weights], [out], _attrs, _shapes, simd) {
        const [s, t] = [weights[0] as number, weights[1] as number];
        simd?.weightedSum(a.byteOffset, b.byteOffset, out.byteOffset, out.length, s, t);
        for (let i = jsStart(out.length, simd); i < out.length; i++) out[i] = a[i] * s + b[i] * t;
      },
    },
    ['a', 'b', 'weights'],
  );
});

/** sum P(z > 1/2) = sum Phi(mu / sigma) of Gaussian gates, differentiable in `mu`. */
export function keepSum(mu: Tensor, sigma: number): Scalar {
  return normalCdfSum(mu, 1 / sigma);
}

/** sum P(0 < z < 1) = sum Phi((1/2 - mu) / sigma) - Phi(-(mu + 1/2) / sigma), differentiable in `mu`. */
export function undecidedSum(mu: Tensor, sigma: number): Scalar {
  return normalCdfSum(mu, -1 / sigma, 0.5 / sigma, -0.5 / sigma);
}

/**
 * [keepSum, undecidedSum] of Gaussian gates with locations `mu` and noise scale `sigma`, in one
 * pass where fused kernels run.
 */
export function decisionSums(mu: Tensor, sigma: number): [Scalar, Scalar] {
  const scale = 1 / sigma;
  if (!fusedAvailable()) return [keepSum(mu, sigma), undecidedSum(mu, sigma)];
  register();
  // The gradient weighs the two saved slopes by the two sums' incoming gradients in one pass.
  const sums = runWithSavedOutputs(
    SUMS,
    mu,
    { scale },
    (dy, [keepSlope, undecidedSlope]) =>
      runFused(GRAD, { a: keepSlope as Tensor, b: undecidedSlope as Tensor, weights: dy }, {})[0] as Tensor,
  );
  return unstack(sums) as [Scalar, Scalar];
}
