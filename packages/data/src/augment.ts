/**
 * Batched image augmentation as tensor ops: random crop after zero padding and random horizontal
 * flip, the CIFAR-10 recipe of He et al., "Deep residual learning for image recognition" (CVPR
 * 2016): pad 4 pixels, crop back to 32x32 at a random offset, flip half of the images. Batch
 * selection, crop and flip are one `gather` over indices built with a few integer tensor ops (no
 * per-image loops, exact: pixels are copied, never interpolated), and the padding is a mask.
 * Draws come from slt's Philox stream `augment/<epoch>` of the seed, lane = batch, so a batch's
 * augmentation is a pure function of (seed, epoch, batch).
 */
import { randomWords, streamKey } from '@slt/core';
import {
  add,
  cast,
  gather,
  greaterEqual,
  less,
  logicalAnd,
  maximum,
  minimum,
  mul,
  range,
  reshape,
  scalar,
  type Tensor,
  type Tensor4D,
  tensor1d,
  tidy,
} from '@tensorflow/tfjs-core';

/** Zero padding of the standard CIFAR crop, pixels on each side. */
export const CROP_PADDING = 4;

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
 * Gathers the examples `examples` (B,) of `source` (M, H, W, C) and crops and flips each in one
 * `gather`: out[n, i, j] = padded[examples[n], offsetY[n] + i, offsetX[n] + (flip[n] ? W - 1 - j : j)],
 * where `padded` is `source` zero-padded by `padding` on every side (never materialised: pixels
 * that fall in the padding are masked to zero). Zero is zero in the source's units: on normalised
 * images it is the per-channel mean colour.
 */
export function gatherCropFlip(
  source: Tensor4D,
  examples: Int32Array,
  params: CropFlipParams,
  padding: number,
): Tensor4D {
  const [total, height, width, channels] = source.shape;
  const n = examples.length;
  if (params.offsetY.length !== n || params.offsetX.length !== n || params.flip.length !== n) {
    throw new RangeError(`crop/flip parameters must have one entry per example (${n})`);
  }
  if (!Number.isInteger(padding) || padding < 0)
    throw new RangeError(`padding must be a non-negative integer, got ${padding}`);
  const shiftY = params.offsetY.map((offset) => offset - padding); // (B,): source row of output row 0
  const shiftX = params.offsetX.map((offset) => offset - padding); // (B,): source column of output column 0
  // Integer clamp to [0, top] (clipByValue is float-only on the WASM backend).
  const clamp = (t: Tensor, top: number) => maximum(minimum(t, scalar(top, 'int32')), scalar(0, 'int32'));
  return tidy(() => {
    const pixels = reshape(source, [total * height * width, channels]); // (M * H * W, C)
    const rows = add(reshape(range(0, height, 1, 'int32'), [1, height]), reshape(tensor1d(shiftY, 'int32'), [n, 1])); // (B, H)
    const j = range(0, width, 1, 'int32'); // (W,)
    const mirror = add(mul(j, scalar(-2, 'int32')), scalar(width - 1, 'int32')); // (W,): W - 1 - 2j
    const cols = add(
      add(reshape(j, [1, width]), mul(reshape(tensor1d(params.flip, 'int32'), [n, 1]), reshape(mirror, [1, width]))),
      reshape(tensor1d(shiftX, 'int32'), [n, 1]),
    ); // (B, W)
    const start = mul(tensor1d(examples, 'int32'), scalar(height * width, 'int32')); // (B,)
    const index = add(
      add(reshape(start, [n, 1, 1]), reshape(mul(clamp(rows, height - 1), scalar(width, 'int32')), [n, height, 1])),
      reshape(clamp(cols, width - 1), [n, 1, width]),
    ); // (B, H, W): rows of `pixels`
    const gathered = gather(pixels, index, 0) as Tensor4D; // (B, H, W, C)
    if (padding === 0) return gathered;
    const inside = (t: Tensor, size: number) =>
      logicalAnd(greaterEqual(t, scalar(0, 'int32')), less(t, scalar(size, 'int32')));
    const valid = logicalAnd(
      reshape(inside(rows, height), [n, height, 1]),
      reshape(inside(cols, width), [n, 1, width]),
    ); // (B, H, W)
    return mul(gathered, cast(reshape(valid, [n, height, width, 1]), 'float32'));
  });
}

/**
 * Crops each example of the batch x (N, H, W, C) at its offset in the image zero-padded by
 * `padding`, then mirrors those whose `flip` is 1 (see {@link gatherCropFlip}).
 */
export function cropFlip(x: Tensor4D, params: CropFlipParams, padding: number): Tensor4D {
  const examples = new Int32Array(x.shape[0]);
  for (let i = 0; i < examples.length; i++) examples[i] = i;
  return gatherCropFlip(x, examples, params, padding);
}

/**
 * The crop offsets and flips of batch `batch` of `epoch` under `seed` for `count` examples: three
 * words per example from the stream `augment/<epoch>`, lane `batch`.
 */
export function cropFlipParams(count: number, options: AugmentOptions): CropFlipParams {
  const padding = options.padding ?? CROP_PADDING;
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
  return cropFlip(x, cropFlipParams(x.shape[0], options), options.padding ?? CROP_PADDING);
}
