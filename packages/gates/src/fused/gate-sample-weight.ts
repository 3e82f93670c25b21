/**
 * A Gaussian gate's training sample and the weight it gates in one pass: w * z * s with
 * z = clamp(mu + sigma * eps + 1/2, 0, 1), or z = 1[mu + sigma * eps > 0] for the binary (`hard`)
 * sample, and s = `scale`, times 1/sqrt(mean z^2) when `rescaleByGates`. The same arithmetic as
 * `clampedNoise` or `hardSample` followed by `gatedWeight`, without storing z: on LeNet-300-100
 * that is a pass and a 235k-entry tensor fewer each way per step. The gradient flows to mu only:
 * dy * w * s where 0 < z < 1 (every entry for the binary sample: straight-through), with z
 * recomputed from (mu, eps); s is a statistic, not a path for gradients.
 */
import { customGrad, type GradSaveFunc, type Tensor, type TensorInfo } from '@tensorflow/tfjs-core';
import { clampUnit, insideUnit } from './clamped-noise.js';
import { rescaled } from './gated-weight.js';
import { defineFusedKernel, once, runFused } from './kernel.js';
import { jsStart } from './simd/kernels.js';

const FORWARD = 'SltGateSampleWeight';
const GRAD = 'SltGateSampleWeightGrad';

/** Options of {@link gateSampleWeight}. */
export interface GateSampleAttrs {
  readonly sigma: number;
  readonly hard: boolean;
  readonly scale: number;
  readonly rescaleByGates: boolean;
}

/** z of entry i as the JavaScript loops of `clampedNoise` and `hardSample` store it (float32). */
function sampleAt(mu: Float32Array, eps: Float32Array, i: number, sigma: number, hard: boolean): number {
  const v = mu[i] + sigma * eps[i];
  return hard ? (v > 0 ? 1 : 0) : Math.fround(clampUnit(v + 0.5));
}

const register = once(() => {
  defineFusedKernel<GateSampleAttrs>(
    {
      name: FORWARD,
      outputShapes: (inputs) => [[...(inputs[0] as TensorInfo).shape], []],
      compute([w, mu, eps], [out, used], { sigma, hard, scale, rescaleByGates }, _shapes, simd) {
        const flag = hard ? 1 : 0;
        const n = out.length;
        const from = jsStart(n, simd);
        let s = scale;
        if (rescaleByGates) {
          // The factor needs every z: SIMD stores w * z while it sums z^2, then scales in place.
          let squares =
            simd?.gateSampleWeightSquares(
              w.byteOffset,
              mu.byteOffset,
              eps.byteOffset,
              out.byteOffset,
              n,
              sigma,
              flag,
            ) ?? 0;
          for (let i = from; i < n; i++) {
            const z = sampleAt(mu, eps, i, sigma, hard);
            squares += z * z;
          }
          s = rescaled(scale, squares, n);
          simd?.scaleInPlace(out.byteOffset, n, s);
        } else {
          simd?.gateSampleWeight(w.byteOffset, mu.byteOffset, eps.byteOffset, out.byteOffset, n, sigma, flag, s);
        }
        used[0] = s;
        for (let i = from; i < n; i++) out[i] = w[i] * sampleAt(mu, eps, i, sigma, hard) * s;
      },
    },
    ['w', 'mu', 'eps'],
  );
  defineFusedKernel<GateSampleAttrs>(
    {
      name: GRAD,
      outputShapes: (inputs) => [[...(inputs[0] as TensorInfo).shape]],
      compute([dy, w, mu, eps, used], [dx], { sigma, hard }, _shapes, simd) {
        const s = used[0] as number;
        simd?.gateSampleWeightGrad(
          dy.byteOffset,
          w.byteOffset,
          mu.byteOffset,
          eps.byteOffset,
          dx.byteOffset,
          dx.length,
          sigma,
          hard ? 1 : 0,
          s,
        );
        for (let i = jsStart(dx.length, simd); i < dx.length; i++) {
          const g = dy[i] * w[i] * s;
          dx[i] = hard ? g : g * insideUnit(sampleAt(mu, eps, i, sigma, hard));
        }
      },
    },
    ['dy', 'w', 'mu', 'eps', 'used'],
  );
});

/**
 * `w` gated by the training sample of Gaussian gates with locations `mu` (w's shape) and noise
 * `eps`, differentiable in `mu`. Fused kernels only: the caller checks `fusedAvailable()`.
 */
export function gateSampleWeight(w: Tensor, mu: Tensor, eps: Tensor, attrs: GateSampleAttrs): Tensor {
  if (w.size !== mu.size || eps.size !== mu.size) {
    throw new RangeError(
      `gateSampleWeight: w [${w.shape}], mu [${mu.shape}] and eps [${eps.shape}] must have one size`,
    );
  }
  register();
  const op = customGrad((...args: Array<Tensor | GradSaveFunc>) => {
    const [m, save] = args as [Tensor, GradSaveFunc];
    const [out, used] = runFused(FORWARD, { w, mu: m, eps }, attrs) as [Tensor, Tensor];
    save([w, m, eps, used]);
    return {
      value: out,
      gradFunc: (dy: Tensor, saved: Tensor[]) => {
        const [ws, ms, es, us] = saved as [Tensor, Tensor, Tensor, Tensor];
        return runFused(GRAD, { dy, w: ws, mu: ms, eps: es, used: us }, attrs)[0] as Tensor;
      },
    };
  });
  return op(mu);
}
