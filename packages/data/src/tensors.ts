/**
 * A decoded split as tensors, once per run: images normalised per channel with the data set's
 * training mean and std, labels as int32.
 */
import {
  div,
  type Rank,
  sub,
  type Tensor,
  type Tensor1D,
  type Tensor4D,
  tensor1d,
  tensor4d,
  tidy,
} from '@tensorflow/tfjs-core';
import type { DatasetInfo, Split } from './dataset.js';

/** A split on the backend: x (N, H, W, C) float32, normalised; y (N,) int32 class indices. */
export interface TensorSplit {
  readonly x: Tensor4D;
  readonly y: Tensor1D;
}

/** (x - mean) / std per channel, for images (..., C) in [0, 1] of the data set `info`. */
export function normalizeImages<R extends Rank>(x: Tensor<R>, info: DatasetInfo): Tensor<R> {
  return tidy(() => div(sub(x, tensor1d([...info.mean])), tensor1d([...info.std])));
}

/**
 * Uploads `split` as tensors: x (N, H, W, C) normalised with `info`'s mean and std, y (N,) int32.
 * The caller owns both and disposes them.
 */
export function toTensors(split: Split, info: DatasetInfo): TensorSplit {
  const [height, width, channels] = info.inputShape;
  if (split.images.length !== split.count * height * width * channels || split.labels.length !== split.count) {
    throw new RangeError(
      `split of ${split.count} examples has ${split.images.length} pixels and ${split.labels.length} labels; ${info.name} needs ${height}x${width}x${channels} per example`,
    );
  }
  const x = tidy(() => normalizeImages(tensor4d(split.images, [split.count, height, width, channels]), info));
  const y = tensor1d(Int32Array.from(split.labels), 'int32');
  return { x, y };
}
