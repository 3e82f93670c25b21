import {
  customGrad,
  type GradSaveFunc,
  matMul,
  type Tensor,
  type Tensor2D,
  transpose,
  zerosLike,
} from '@tensorflow/tfjs-core';

/**
 * Builds x @ w for x (batch, in) and w (in, out) with a gradient that transposes explicitly:
 * tfjs's own matMul gradient uses the transposeA / transposeB forms, which the WASM backend runs
 * about 10x slower than an explicit transpose followed by a plain matMul. When the input is data
 * its gradient is never used, so `inputIsData` skips that (batch x in x out) product.
 */
function denseOp(inputIsData: boolean) {
  return customGrad((...args: Array<Tensor | GradSaveFunc>) => {
    const [x, w, save] = args as [Tensor2D, Tensor2D, GradSaveFunc];
    save([x, w]);
    return {
      value: matMul(x, w),
      gradFunc: (dy: Tensor, saved: Tensor[]) => {
        const [xs, ws] = saved as Tensor2D[];
        const dx = inputIsData ? zerosLike(xs) : matMul(dy as Tensor2D, transpose(ws));
        return [dx, matMul(transpose(xs), dy as Tensor2D)];
      },
    };
  });
}

const denseWithInputGrad = denseOp(false);
const denseOnData = denseOp(true);

/**
 * A fully connected layer without bias: (batch, in) @ (in, out) -> (batch, out).
 * Pass `inputIsData: true` for the first layer, whose input needs no gradient.
 */
export function dense(x: Tensor, w: Tensor, inputIsData = false): Tensor {
  return (inputIsData ? denseOnData : denseWithInputGrad)(x, w);
}
