/**
 * Pooling with gradients that are exact on every backend. The WASM backend's `MaxPoolGrad` routes
 * the gradient to the wrong entry on some inputs, so 2x2 max pooling is written as a reshape and a
 * `max` reduction, whose gradient (dy where x equals the maximum) is computed from basic ops.
 * Max pooling as in Simonyan & Zisserman 2015 (VGG) and the Conv-2/4/6/8 nets of Frankle & Carbin
 * 2019; global average pooling as in Lin et al. 2014 ("Network in network").
 */
import { max, mean, reshape, slice, type Tensor } from '@tensorflow/tfjs-core';

/**
 * 2x2 max pooling with stride 2 (PyTorch's `MaxPool2d(2)`): (b, h, w, c) -> (b, floor(h/2),
 * floor(w/2), c); an odd last row or column is dropped. Where several entries of a window tie
 * for the maximum, each receives the gradient.
 */
export function maxPool2x2(x: Tensor): Tensor {
  const [b, h, w, c] = x.shape;
  const oh = Math.floor(h / 2);
  const ow = Math.floor(w / 2);
  if (oh === 0 || ow === 0) throw new RangeError(`maxPool2x2: input [${x.shape}] is smaller than 2x2`);
  const even = oh * 2 === h && ow * 2 === w ? x : slice(x, [0, 0, 0, 0], [b, oh * 2, ow * 2, c]);
  return max(reshape(even, [b, oh, 2, ow, 2, c]), [2, 4]); // (b, oh, ow, c)
}

/** Mean over the spatial axes: (b, h, w, c) -> (b, c). */
export function globalAvgPool(x: Tensor): Tensor {
  return mean(x, [1, 2]);
}
