/**
 * Mini-batches over tensors already on the backend: an epoch's shuffled order cut into index
 * tensors of the batch size, and the gathered (and, for the data set's recipe, augmented)
 * batches themselves.
 */
import { gather, type Tensor1D, type Tensor4D, tensor1d, tidy } from '@tensorflow/tfjs-core';
import { CROP_PADDING, cropFlipParams, gatherCropFlip } from './augment.js';
import type { Augmentation } from './dataset.js';
import { shuffledIndices } from './shuffle.js';
import type { TensorSplit } from './tensors.js';

/** Options of {@link indexBatches}. */
export interface BatchOptions {
  /** Drop a last batch smaller than the batch size (default false: keep it). */
  readonly dropLast?: boolean;
}

/** The number of batches of `batchSize` over `count` examples. */
export function batchCount(count: number, batchSize: number, dropLast = false): number {
  if (!Number.isInteger(batchSize) || batchSize <= 0) {
    throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
  }
  return dropLast ? Math.floor(count / batchSize) : Math.ceil(count / batchSize);
}

/** 0, 1, ..., count-1: the order of an unshuffled pass (evaluation). */
export function sequentialIndices(count: number): Int32Array {
  const order = new Int32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  return order;
}

/**
 * Cuts `order` into consecutive index tensors (B,) int32 of `batchSize` (the last one smaller
 * unless `dropLast`). Each yielded tensor belongs to the caller, who disposes it; gather a batch
 * with `tf.gather(x, indices)`.
 */
export function* indexBatches(order: Int32Array, batchSize: number, options: BatchOptions = {}): Generator<Tensor1D> {
  const batches = batchCount(order.length, batchSize, options.dropLast);
  for (let b = 0; b < batches; b++) {
    yield tensor1d(order.slice(b * batchSize, Math.min((b + 1) * batchSize, order.length)), 'int32');
  }
}

/** Options of {@link epochBatches}. */
export interface EpochOptions extends BatchOptions {
  readonly seed: number;
  readonly epoch: number;
  readonly batchSize: number;
  /** Augmentation of each batch (default 'none'; a data set's usual one is `info.augmentation`). */
  readonly augmentation?: Augmentation;
}

/** One training batch: x (B, H, W, C) float32, y (B,) int32. */
export interface Batch {
  readonly x: Tensor4D;
  readonly y: Tensor1D;
}

/**
 * The batches of one training epoch over `data`: shuffled by (seed, epoch), gathered, and
 * augmented when asked (random crop + flip, by (seed, epoch, batch)). Each yielded batch belongs
 * to the caller, who disposes its two tensors.
 */
export function* epochBatches(data: TensorSplit, options: EpochOptions): Generator<Batch> {
  const order = shuffledIndices(data.y.shape[0], options.seed, options.epoch);
  const batches = batchCount(order.length, options.batchSize, options.dropLast);
  for (let b = 0; b < batches; b++) {
    const slice = order.slice(b * options.batchSize, Math.min((b + 1) * options.batchSize, order.length));
    yield tidy(() => {
      const indices = tensor1d(slice, 'int32'); // (B,)
      const y = gather(data.y, indices) as Tensor1D; // (B,)
      if (options.augmentation === 'crop-flip') {
        const params = cropFlipParams(slice.length, { seed: options.seed, epoch: options.epoch, batch: b });
        return { x: gatherCropFlip(data.x, slice, params, CROP_PADDING), y }; // (B, H, W, C)
      }
      return { x: gather(data.x, indices) as Tensor4D, y }; // (B, H, W, C)
    });
  }
}
