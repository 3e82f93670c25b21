/**
 * w * z * s in one pass, where z is a gate tensor of w's shape (unstructured) or of its last
 * axis (one gate per output unit, broadcast), and s is `scale`, times 1/sqrt(mean z^2) when
 * `rescaleByGates` (a layer's soft density, as edge-popup's 1/sqrt(density) weight scaling).
 * The gradient flows to z only (w is frozen; s is a statistic, not a path for gradients).
 */
import {
  customGrad,
  type GradSaveFunc,
  maximum,
  mean,
  mul,
  registerGradient,
  rsqrt,
  scalar,
  square,
  type Tensor,
  type TensorInfo,
  zerosLike,
} from '@tensorflow/tfjs-core';
import { defineFusedKernel, fusedAvailable, once, runFused } from './kernel.js';
import { jsStart, type SimdKernels } from './simd/kernels.js';

const FORWARD = 'SltGatedWeight';
const GRAD = 'SltGatedWeightGrad';
/** Floor of the mean square of the gates, so an all-closed layer gives 0, not NaN. */
const MIN_DENSITY = 1e-6;

interface Attrs {
  readonly scale: number;
  readonly rescaleByGates: boolean;
}

/** `scale` times 1/sqrt(mean z^2) for gates whose squares sum to `squares` over `count` entries. */
export function rescaled(scale: number, squares: number, count: number): number {
  return scale / Math.sqrt(Math.max(squares / count, MIN_DENSITY));
}

/** sum of z^2, in SIMD where available. */
function sumSquares(z: Float32Array, simd: SimdKernels | undefined): number {
  let squares = simd === undefined ? 0 : simd.sumSquares(z.byteOffset, z.length);
  for (let i = jsStart(z.length, simd); i < z.length; i++) squares += z[i] * z[i];
  return squares;
}

/** out = a * b * s entry by entry, in SIMD where available. */
function scaledProduct(a: Float32Array, b: Float32Array, out: Float32Array, s: number, simd: SimdKernels | undefined) {
  simd?.scaledProduct(a.byteOffset, b.byteOffset, out.byteOffset, out.length, s);
  for (let i = jsStart(out.length, simd); i < out.length; i++) out[i] = a[i] * b[i] * s;
}

const register = once(() => {
  defineFusedKernel<Attrs>(
    {
      name: FORWARD,
      outputShapes: (inputs) => [[...(inputs[0] as TensorInfo).shape], []],
      compute([w, z], [out, used], { scale, rescaleByGates }, _shapes, simd) {
        const s = rescaleByGates ? rescaled(scale, sumSquares(z, simd), z.length) : scale;
        used[0] = s;
        const units = z.length;
        if (units === w.length) {
          scaledProduct(w, z, out, s, simd);
        } else {
          for (let row = 0; row < w.length; row += units) {
            for (let u = 0; u < units; u++) out[row + u] = w[row + u] * z[u] * s;
          }
        }
      },
    },
    ['w', 'z'],
  );
  defineFusedKernel<Record<string, never>>(
    {
      name: GRAD,
      outputShapes: (inputs) => [[...(inputs[2] as TensorInfo).shape]],
      compute([dy, w, z, used], [dz], _attrs, _shapes, simd) {
        const s = used[0];
        const units = z.length;
        if (units === w.length) {
          scaledProduct(dy, w, dz, s, simd);
        } else {
          dz.fill(0);
          for (let row = 0; row < w.length; row += units) {
            for (let u = 0; u < units; u++) dz[u] += dy[row + u] * w[row + u] * s;
          }
        }
      },
    },
    ['dy', 'w', 'z', 'used'],
  );
  registerGradient({
    kernelName: FORWARD,
    inputsToSave: ['w', 'z'],
    outputsToSave: [false, true],
    gradFunc: (dy, saved) => {
      const [w, z, used] = saved as Tensor[];
      const dOut = (Array.isArray(dy) ? dy[0] : dy) as Tensor;
      return { z: () => runFused(GRAD, { dy: dOut, w, z, used }, {})[0] as Tensor };
    },
  });
});

/** Identity whose gradient is zero: keeps the rescale factor off the gradient path. */
const detach = customGrad((...args: Array<Tensor | GradSaveFunc>) => {
  const x = args[0] as Tensor;
  return { value: mul(x, scalar(1)), gradFunc: (dy: Tensor) => zerosLike(dy) };
});

/**
 * `w` gated by `z`: z has w's shape, or the shape [units] of w's last axis (broadcast over the
 * other axes). Multiplies by `scale` and, when `rescaleByGates`, by 1/sqrt(mean z^2).
 */
export function gatedWeight(w: Tensor, z: Tensor, scale: number, rescaleByGates: boolean): Tensor {
  const unitsLast = z.rank === 1 && z.size === w.shape[w.rank - 1];
  if (z.size !== w.size && !unitsLast) {
    throw new RangeError(`gatedWeight: gate shape [${z.shape}] fits neither the weight [${w.shape}] nor its last axis`);
  }
  if (fusedAvailable()) {
    register();
    return runFused(FORWARD, { w, z }, { scale, rescaleByGates })[0] as Tensor;
  }
  const gated = mul(mul(w, z), scalar(scale));
  if (!rescaleByGates) return gated;
  return mul(gated, detach(rsqrt(maximum(mean(square(z)), scalar(MIN_DENSITY)))));
}
