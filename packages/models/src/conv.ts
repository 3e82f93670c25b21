/**
 * 2-D convolution (NHWC, no bias) with a gradient built only from ops every TensorFlow.js backend
 * has. The WASM backend registers no `Conv2DBackpropFilter` (tfjs issue 8474) and its
 * `Conv2DBackpropInput` is a plain loop, about 10x slower than its forward `Conv2D` (XNNPACK).
 * Both backward products are convolutions too (Dumoulin & Visin 2016, "A guide to convolution
 * arithmetic for deep learning"), so they are computed with the fast forward kernel:
 * - input gradient: the output gradient, dilated by the stride and padded by (k - 1), correlated
 *   with the kernel flipped in space and with its channel axes swapped;
 * - filter gradient: batch and channel axes swapped, so the (dilated) output gradient becomes the
 *   kernel: dW[u, v, ci, co] = sum over (b, y, x) of x[b, y*s + u, x*s + v, ci] * dy[b, y, x, co].
 */
import {
  customGrad,
  type GradSaveFunc,
  pad,
  reshape,
  reverse,
  slice,
  type Tensor,
  type Tensor4D,
  conv2d as tfConv2d,
  transpose,
  zerosLike,
} from '@tensorflow/tfjs-core';
import { dense } from './dense.js';

/** Options of {@link conv2d}. */
export interface Conv2DOptions {
  /** Stride in both spatial directions (default 1). */
  readonly stride?: number;
  /**
   * Zero padding on every side (default (k - 1) / 2 for the kernel height k, i.e. "same" for odd
   * kernels at stride 1, and PyTorch's padding = k // 2 at larger strides).
   */
  readonly padding?: number;
  /** The input is data, whose gradient is never needed: skips the input-gradient convolution. */
  readonly inputIsData?: boolean;
}

/** Inserts (stride - 1) zeros between rows and between columns: (b, h, w, c) -> (b, (h-1)s+1, (w-1)s+1, c). */
function dilate(dy: Tensor4D, stride: number): Tensor4D {
  if (stride === 1) return dy;
  const [b, h, w, c] = dy.shape;
  const spread = pad(reshape(dy, [b, h, 1, w, 1, c]), [
    [0, 0],
    [0, 0],
    [0, stride - 1],
    [0, 0],
    [0, stride - 1],
    [0, 0],
  ]); // (b, h, s, w, s, c)
  const full = reshape(spread, [b, h * stride, w * stride, c]);
  return slice(full, [0, 0, 0, 0], [b, (h - 1) * stride + 1, (w - 1) * stride + 1, c]) as Tensor4D;
}

/** dL/dx of a valid convolution: x (b, H, W, ci), w (kh, kw, ci, co), dy (b, oh, ow, co). */
function inputGradient(dy: Tensor4D, w: Tensor4D, inputShape: readonly number[], stride: number): Tensor4D {
  const [kh, kw] = w.shape;
  const [, height, width] = inputShape;
  const spread = dilate(dy, stride); // (b, (oh-1)s+1, (ow-1)s+1, co)
  const padded = pad(spread, [
    [0, 0],
    [kh - 1, height - spread.shape[1]],
    [kw - 1, width - spread.shape[2]],
    [0, 0],
  ]); // (b, H + kh - 1, W + kw - 1, co)
  const flipped = transpose(reverse(w, [0, 1]), [0, 1, 3, 2]); // (kh, kw, co, ci)
  return tfConv2d(padded, flipped, 1, 'valid');
}

/** dL/dw of a valid convolution, as a convolution of the input by the output gradient. */
function filterGradient(x: Tensor4D, dy: Tensor4D, filterShape: readonly number[], stride: number): Tensor4D {
  const [kh, kw, ci, co] = filterShape;
  const channelsFirst = transpose(x, [3, 1, 2, 0]); // (ci, H, W, b)
  const kernel = transpose(dy, [1, 2, 0, 3]); // (oh, ow, b, co)
  const full = tfConv2d(channelsFirst, kernel, 1, 'valid', 'NHWC', stride); // (ci, >= kh, >= kw, co)
  const cropped = full.shape[1] === kh && full.shape[2] === kw ? full : slice(full, [0, 0, 0, 0], [ci, kh, kw, co]);
  return transpose(cropped, [1, 2, 0, 3]); // (kh, kw, ci, co)
}

const validOps = new Map<string, (x: Tensor, w: Tensor) => Tensor>();

/** The unpadded convolution with its backend-independent gradient, one per (stride, inputIsData). */
function validConv(stride: number, inputIsData: boolean): (x: Tensor, w: Tensor) => Tensor {
  const key = `${stride}/${inputIsData}`;
  let op = validOps.get(key);
  if (op === undefined) {
    op = customGrad((...args: Array<Tensor | GradSaveFunc>) => {
      const [x, w, save] = args as [Tensor4D, Tensor4D, GradSaveFunc];
      save([x, w]);
      return {
        value: tfConv2d(x, w, stride, 'valid'),
        gradFunc: (dy: Tensor, saved: Tensor[]) => {
          const [xs, ws] = saved as Tensor4D[];
          const dy4 = dy as Tensor4D;
          const dx = inputIsData ? zerosLike(xs) : inputGradient(dy4, ws, xs.shape, stride);
          return [dx, filterGradient(xs, dy4, ws.shape, stride)];
        },
      };
    }) as (x: Tensor, w: Tensor) => Tensor;
    validOps.set(key, op);
  }
  return op;
}

/** Every `stride`-th row and column from the first: (b, h, w, c) -> (b, ceil(h/s), ceil(w/s), c). */
function subsample(x: Tensor, stride: number): Tensor {
  const [b, h, w, c] = x.shape;
  const oh = Math.ceil(h / stride);
  const ow = Math.ceil(w / stride);
  const even = pad(x, [
    [0, 0],
    [0, oh * stride - h],
    [0, ow * stride - w],
    [0, 0],
  ]);
  const grid = reshape(even, [b, oh, stride, ow, stride, c]);
  return reshape(slice(grid, [0, 0, 0, 0, 0, 0], [b, oh, 1, ow, 1, c]), [b, oh, ow, c]);
}

/** A 1x1 convolution as a matrix product: (b, h, w, ci) -> subsample by stride -> (b*h'*w', ci) @ (ci, co). */
function pointwise(x: Tensor, w: Tensor, stride: number, inputIsData: boolean): Tensor {
  const [b, , , ci] = x.shape;
  const sub = stride === 1 ? x : subsample(x, stride);
  const [, oh, ow] = sub.shape;
  const out = dense(reshape(sub, [-1, ci]), reshape(w, [ci, -1]), inputIsData); // (b*oh*ow, co)
  return reshape(out, [b, oh, ow, -1]);
}

/**
 * A 2-D convolution without bias: x (batch, height, width, cin) * w (kh, kw, cin, cout) ->
 * (batch, oh, ow, cout), oh = floor((height + 2 * padding - kh) / stride) + 1. Its gradient
 * (input and filter) runs on every backend, WASM included, at the speed of the forward kernel.
 */
export function conv2d(x: Tensor, w: Tensor, options: Conv2DOptions = {}): Tensor {
  if (x.rank !== 4) throw new RangeError(`conv2d: x must be (batch, height, width, channels), got [${x.shape}]`);
  if (w.rank !== 4 || w.shape[2] !== x.shape[3]) {
    throw new RangeError(`conv2d: w must be (kh, kw, ${x.shape[3]}, cout) for x [${x.shape}], got [${w.shape}]`);
  }
  const stride = options.stride ?? 1;
  const padding = options.padding ?? Math.floor((w.shape[0] - 1) / 2);
  if (!(Number.isInteger(stride) && stride >= 1)) throw new RangeError(`conv2d: stride must be >= 1, got ${stride}`);
  if (!(Number.isInteger(padding) && padding >= 0))
    throw new RangeError(`conv2d: padding must be >= 0, got ${padding}`);
  const inputIsData = options.inputIsData ?? false;
  if (w.shape[0] === 1 && w.shape[1] === 1 && padding === 0) return pointwise(x, w, stride, inputIsData);
  const padded =
    padding === 0
      ? x
      : pad(x, [
          [0, 0],
          [padding, padding],
          [padding, padding],
          [0, 0],
        ]);
  return validConv(stride, inputIsData)(padded, w);
}
