/**
 * The binary sample of a Gaussian gate, z = 1[x + scale * eps > 0], in one pass, with the
 * straight-through gradient dz/dx = 1 (Bengio et al. 2013) for every entry, also those far from
 * the threshold: a gate that the relaxed sample would clamp at 0 or 1 still hears the loss, so a
 * decided weight can come back (as edge-popup's scores do) instead of freezing.
 */
import { add, cast, greater, mul, registerGradient, scalar, type Tensor, type TensorInfo } from '@tensorflow/tfjs-core';
import { straightThrough } from '../straight-through.js';
import { defineFusedKernel, fusedAvailable, once, runFused } from './kernel.js';
import { jsStart } from './simd/kernels.js';

const SAMPLE = 'SltHardSample';

interface Attrs {
  readonly scale: number;
}

const register = once(() => {
  defineFusedKernel<Attrs>(
    {
      name: SAMPLE,
      outputShapes: (inputs) => [[...(inputs[0] as TensorInfo).shape]],
      compute([x, eps], [z], { scale }, _shapes, simd) {
        simd?.hardSample(x.byteOffset, eps.byteOffset, z.byteOffset, z.length, scale);
        for (let i = jsStart(z.length, simd); i < z.length; i++) z[i] = x[i] + scale * eps[i] > 0 ? 1 : 0;
      },
    },
    ['x', 'eps'],
  );
  registerGradient({ kernelName: SAMPLE, gradFunc: (dy) => ({ x: () => dy as Tensor }) });
});

/** 1[x + scale * eps > 0] as float32, with gradient 1 with respect to `x` (straight-through). */
export function hardSample(x: Tensor, eps: Tensor, scale: number): Tensor {
  if (!fusedAvailable())
    return straightThrough(x, (v) => cast(greater(add(v, mul(eps, scalar(scale))), scalar(0)), 'float32'));
  register();
  return runFused(SAMPLE, { x, eps }, { scale })[0] as Tensor;
}
