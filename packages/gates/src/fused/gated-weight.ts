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
import { defineFusedKernel, fusedAvailable, runFused } from './kernel.js';

const FORWARD = 'SltGatedWeight';
const GRAD = 'SltGatedWeightGrad';
/** Floor of the mean square of the gates, so an all-closed layer gives 0, not NaN. */
const MIN_DENSITY = 1e-6;

interface Attrs {
  readonly scale: number;
  readonly rescaleByGates: boolean;
}

let registered = false;

function register(): void {
  if (registered) return;
  registered = true;
  defineFusedKernel<Attrs>(
    {
      name: FORWARD,
      outputShapes: (inputs) => [[...(inputs[0] as TensorInfo).shape], []],
      compute([w, z], [out, used], { scale, rescaleByGates }) {
        let s = scale;
        if (rescaleByGates) {
          let squares = 0;
          for (let i = 0; i < z.length; i++) squares += z[i] * z[i];
          s = scale / Math.sqrt(Math.max(squares / z.length, MIN_DENSITY));
        }
        used[0] = s;
        const units = z.length;
        if (units === w.length) {
          for (let i = 0; i < w.length; i++) out[i] = w[i] * z[i] * s;
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
      compute([dy, w, z, used], [dz]) {
        const s = used[0];
        const units = z.length;
        if (units === w.length) {
          for (let i = 0; i < w.length; i++) dz[i] = dy[i] * w[i] * s;
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
}

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
