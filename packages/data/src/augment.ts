/**
 * Batched image augmentation as tensor ops: random crop after zero padding and random horizontal
 * flip, the CIFAR-10 recipe of He et al., "Deep residual learning for image recognition" (CVPR
 * 2016): pad 4 pixels, crop back to 32x32 at a random offset, flip half of the images. Crop and
 * flip are one `gather` over precomputed indices (no per-image loops, exact: pixels are copied,
 * never interpolated). Draws come from slt's Philox stream `augment/<epoch>` of the seed, lane =
 * batch, so a batch's augmentation is a pure function of (seed, epoch, batch).
 */
import { randomWords, streamKey } from '@slt/core';
import { add, gather, mul, pad, range, reshape, scalar, type Tensor4D, tensor1d, tidy } from '@tensorflow/tfjs-core';

/** Per-example crop offsets and flips of one batch. */
export interface CropFlipParams {
  /** Row of the crop's top-left corner in the padded image, in [0, 2 * padding]; (N,). */
  readonly offsetY: Int32Array;
  /** Column of the crop's top-left corner in the padded image, in [0, 2 * padding]; (N,). */
  readonly offsetX: Int32Array;
  /** 1 to mirror the example left-right (after cropping), 0 to keep it; (N,). */
  readonly flip: Int32Array;
}

/** Options of {@link randomCropFlip}. */
export interface AugmentOptions {
  readonly seed: number;
  readonly epoch: number;
  /** Index of the batch within the epoch. */
  readonly batch: number;
  /** Zero padding on each side before the crop (default 4; 0 turns cropping off). */
  readonly padding?: number;
  /** Random horizontal flips (default true). */
  readonly flip?: boolean;
}

/**
 * Crops each example of x (N, H, W, C) at its offset in the image zero-padded by `padding` on
 * every side, then mirrors the examples whose `flip` is 1: out[n, i, j] =
 * padded[n, offsetY[n] + i, offsetX[n] + (flip[n] ? W - 1 - j : j)]. Zero padding is zero in
 * x's units: on normalised images it is the per-channel mean colour.
 */
export function cropFlip(x: Tensor4D, params: CropFlipParams, padding: number): Tensor4D {
  const [n, height, width, channels] = x.shape;
  if (params.offsetY.length !== n || params.offsetX.length !== n || params.flip.length !== n) {
    throw new RangeError(`crop/flip parameters must have one entry per example (${n})`);
  }
  if (!Number.isInteger(padding) || padding < 0)
    throw new RangeError(`padding must be a non-negative integer, got ${padding}`);
  const paddedHeight = height + 2 * padding;
  const paddedWidth = width + 2 * padding;
  return tidy(() => {
    const padded =
      padding > 0
        ? pad(x, [
            [0, 0],
            [padding, padding],
            [padding, padding],
            [0, 0],
          ])
        : x;
    const pixels = reshape(padded, [n * paddedHeight * paddedWidth, channels]); // (N * Hp * Wp, C)
    const rows = add(
      reshape(range(0, height, 1, 'int32'), [1, height]),
      reshape(tensor1d(params.offsetY, 'int32'), [n, 1]),
    ); // (N, H)
    const j = range(0, width, 1, 'int32'); // (W,)
    const mirror = add(mul(j, scalar(-2, 'int32')), scalar(width - 1, 'int32')); // (W,): W - 1 - 2j
    const cols = add(
      add(reshape(j, [1, width]), mul(reshape(tensor1d(params.flip, 'int32'), [n, 1]), reshape(mirror, [1, width]))),
      reshape(tensor1d(params.offsetX, 'int32'), [n, 1]),
    ); // (N, W)
    const start = mul(range(0, n, 1, 'int32'), scalar(paddedHeight * paddedWidth, 'int32')); // (N,)
    const index = add(
      add(reshape(start, [n, 1, 1]), reshape(mul(rows, scalar(paddedWidth, 'int32')), [n, height, 1])),
      reshape(cols, [n, 1, width]),
    ); // (N, H, W) rows of `pixels`
    return gather(pixels, index, 0) as Tensor4D; // (N, H, W, C)
  });
}

/**
 * The crop offsets and flips of batch `batch` of `epoch` under `seed` for `count` examples: three
 * words per example from the stream `augment/<epoch>`, lane `batch`.
 */
export function cropFlipParams(count: number, options: AugmentOptions): CropFlipParams {
  const padding = options.padding ?? 4;
  const flipOn = options.flip ?? true;
  const words = randomWords(streamKey(options.seed, `augment/${options.epoch}`), 3 * count, 0, options.batch);
  const span = 2 * padding + 1;
  const offsetY = new Int32Array(count);
  const offsetX = new Int32Array(count);
  const flip = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    offsetY[i] = Math.floor((words[3 * i] * span) / 0x100000000);
    offsetX[i] = Math.floor((words[3 * i + 1] * span) / 0x100000000);
    flip[i] = flipOn ? words[3 * i + 2] >>> 31 : 0;
  }
  return { offsetY, offsetX, flip };
}

/**
 * Random crop (zero padding `padding`, default 4) and random horizontal flip of a batch
 * x (N, H, W, C), deterministic for (seed, epoch, batch). Returns a new tensor; x is untouched.
 */
export function randomCropFlip(x: Tensor4D, options: AugmentOptions): Tensor4D {
  return cropFlip(x, cropFlipParams(x.shape[0], options), options.padding ?? 4);
}
