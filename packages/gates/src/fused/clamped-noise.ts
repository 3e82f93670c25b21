/**
 * z = clamp(x + scale * eps + shift, 0, 1) in one pass, with gradient dz/dx = 1[0 < z < 1]: the
 * relaxed sample of the Gaussian gate (Yamada et al. 2020) and its straight path for gradients.
 */
import { add, clipByValue, mul, registerGradient, scalar, type Tensor, type TensorInfo } from '@tensorflow/tfjs-core';
import { defineFusedKernel, fusedAvailable, once, runFused } from './kernel.js';
import { jsStart } from './simd/kernels.js';

const SAMPLE = 'SltClampedNoise';
const GRAD = 'SltInsideUnitGrad';

interface SampleAttrs {
  readonly scale: number;
  readonly shift: number;
}

// About a third of a gate sample lands on each side of [0, 1] at random, so a branch per entry
// is mispredicted often (3x slower here); these forms compile to branch-free instructions.

/** clamp(v, 0, 1) as (|v| - |v - 1| + 1) / 2. */
export function clampUnit(v: number): number {
  return 0.5 * (Math.abs(v) - Math.abs(v - 1) + 1);
}

/** 1 for z in (0, 1), 0 for z = 0 or z = 1 (z is a clamped sample): ceil of z's fractional part. */
export function insideUnit(z: number): number {
  return Math.ceil(z - Math.floor(z));
}

const register = once(() => {
  defineFusedKernel<SampleAttrs>(
    {
      name: SAMPLE,
      outputShapes: (inputs) => [[...(inputs[0] as TensorInfo).shape]],
      compute([x, eps], [z], { scale, shift }, _shapes, simd) {
        simd?.clampedNoise(x.byteOffset, eps.byteOffset, z.byteOffset, z.length, scale, shift);
        for (let i = jsStart(z.length, simd); i < z.length; i++) {
          const v = x[i] + scale * eps[i] + shift;
          z[i] = clampUnit(v);
        }
      },
    },
    ['x', 'eps'],
  );
  defineFusedKernel<Record<string, never>>(
    {
      name: GRAD,
      outputShapes: (inputs) => [[...(inputs[0] as TensorInfo).shape]],
      compute([dy, z], [dx], _attrs, _shapes, simd) {
        simd?.insideUnitGrad(dy.byteOffset, z.byteOffset, dx.byteOffset, dx.length);
        for (let i = jsStart(dx.length, simd); i < dx.length; i++) dx[i] = dy[i] * insideUnit(z[i]);
      },
    },
    ['dy', 'z'],
  );
  registerGradient({
    kernelName: SAMPLE,
    outputsToSave: [true],
    gradFunc: (dy, saved) => {
      const [z] = saved as Tensor[];
      return { x: () => runFused(GRAD, { dy: dy as Tensor, z }, {})[0] as Tensor };
    },
  });
});

/** clamp(x + scale * eps + shift, 0, 1); differentiable in `x` (zero gradient where clamped). */
export function clampedNoise(x: Tensor, eps: Tensor, scale: number, shift: number): Tensor {
  if (!fusedAvailable()) return clipByValue(add(add(x, mul(eps, scalar(scale))), scalar(shift)), 0, 1);
  register();
  return runFused(SAMPLE, { x, eps }, { scale, shift })[0] as Tensor;
}
