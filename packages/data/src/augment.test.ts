import { memory, type Tensor4D, tensor4d, tidy } from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { cropFlip, cropFlipParams, randomCropFlip } from './augment.js';
import { TEST_BACKENDS, useBackend } from './backends.js';

const N = 5;
const H = 6;
const W = 7;
const C = 3;

/** x[n, i, j, c] = a distinct positive value, so any misplaced pixel shows. */
function ramp(): Tensor4D {
  const values = new Float32Array(N * H * W * C);
  for (let i = 0; i < values.length; i++) values[i] = i + 1;
  return tensor4d(values, [N, H, W, C]);
}

/** The reference: out[n, i, j] = padded[n, oy + i, ox + (flip ? W - 1 - j : j)], zeros outside. */
function expected(
  values: Float32Array,
  params: { offsetY: Int32Array; offsetX: Int32Array; flip: Int32Array },
  padding: number,
): Float32Array {
  const out = new Float32Array(values.length);
  for (let n = 0; n < N; n++) {
    for (let i = 0; i < H; i++) {
      for (let j = 0; j < W; j++) {
        const sourceRow = params.offsetY[n] + i - padding;
        const sourceCol = params.offsetX[n] + (params.flip[n] ? W - 1 - j : j) - padding;
        for (let c = 0; c < C; c++) {
          const inside = sourceRow >= 0 && sourceRow < H && sourceCol >= 0 && sourceCol < W;
          out[((n * H + i) * W + j) * C + c] = inside ? values[((n * H + sourceRow) * W + sourceCol) * C + c] : 0;
        }
      }
    }
  }
  return out;
}

for (const backend of TEST_BACKENDS) {
  describe(`augmentation on ${backend}`, () => {
    it('crops exactly the shifted window of the zero-padded image', async () => {
      await useBackend(backend);
      const x = ramp();
      const values = x.dataSync() as Float32Array;
      const params = {
        offsetY: Int32Array.from([0, 8, 4, 2, 7]),
        offsetX: Int32Array.from([0, 8, 4, 5, 1]),
        flip: new Int32Array(N),
      };
      const out = cropFlip(x, params, 4);
      expect(out.shape).toEqual([N, H, W, C]);
      expect(Array.from(out.dataSync())).toEqual(Array.from(expected(values, params, 4)));
      // Offset (4, 4) is the identity.
      expect(Array.from(out.dataSync().subarray(2 * H * W * C, 3 * H * W * C))).toEqual(
        Array.from(values.subarray(2 * H * W * C, 3 * H * W * C)),
      );
      x.dispose();
      out.dispose();
    });

    it('flips exactly left-right, alone and combined with a crop', async () => {
      await useBackend(backend);
      const x = ramp();
      const values = x.dataSync() as Float32Array;
      const flipOnly = {
        offsetY: new Int32Array(N),
        offsetX: new Int32Array(N),
        flip: Int32Array.from([1, 0, 1, 1, 0]),
      };
      const flipped = cropFlip(x, flipOnly, 0);
      const got = flipped.dataSync();
      for (let n = 0; n < N; n++) {
        for (let i = 0; i < H; i++) {
          for (let j = 0; j < W; j++) {
            for (let c = 0; c < C; c++) {
              const source = flipOnly.flip[n] ? W - 1 - j : j;
              expect(got[((n * H + i) * W + j) * C + c]).toBe(values[((n * H + i) * W + source) * C + c]);
            }
          }
        }
      }
      const both = {
        offsetY: Int32Array.from([1, 2, 3, 0, 8]),
        offsetX: Int32Array.from([7, 0, 3, 8, 2]),
        flip: flipOnly.flip,
      };
      const out = cropFlip(x, both, 4);
      expect(Array.from(out.dataSync())).toEqual(Array.from(expected(values, both, 4)));
      for (const t of [x, flipped, out]) t.dispose();
    });

    it('is deterministic per (seed, epoch, batch) and draws offsets in [0, 2 * padding]', async () => {
      await useBackend(backend);
      const x = ramp();
      const a = randomCropFlip(x, { seed: 3, epoch: 1, batch: 2 });
      const b = randomCropFlip(x, { seed: 3, epoch: 1, batch: 2 });
      const c = randomCropFlip(x, { seed: 3, epoch: 1, batch: 3 });
      expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
      expect(Array.from(a.dataSync())).not.toEqual(Array.from(c.dataSync()));
      const params = cropFlipParams(N, { seed: 3, epoch: 1, batch: 2 });
      expect(Array.from(a.dataSync())).toEqual(Array.from(expected(x.dataSync() as Float32Array, params, 4)));
      for (const t of [x, a, b, c]) t.dispose();
    });

    it('leaves no tensors behind', async () => {
      await useBackend(backend);
      const x = ramp();
      const before = memory().numTensors;
      for (let batch = 0; batch < 5; batch++) {
        tidy(() => {
          randomCropFlip(x, { seed: 0, epoch: 0, batch });
        });
        randomCropFlip(x, { seed: 0, epoch: 0, batch }).dispose();
      }
      expect(memory().numTensors).toBe(before);
      x.dispose();
    });
  });
}

describe('cropFlipParams', () => {
  it('covers every offset and both flips, within range', () => {
    const params = cropFlipParams(4000, { seed: 1, epoch: 0, batch: 0 });
    const seen = new Set<number>();
    for (let i = 0; i < 4000; i++) {
      expect(params.offsetY[i]).toBeGreaterThanOrEqual(0);
      expect(params.offsetY[i]).toBeLessThanOrEqual(8);
      expect(params.offsetX[i]).toBeLessThanOrEqual(8);
      seen.add(params.offsetY[i]);
    }
    expect(seen.size).toBe(9);
    const flips = params.flip.reduce((s, f) => s + f, 0);
    expect(flips).toBeGreaterThan(1800);
    expect(flips).toBeLessThan(2200);
    const none = cropFlipParams(100, { seed: 1, epoch: 0, batch: 0, padding: 0, flip: false });
    expect(none.offsetX.every((o) => o === 0) && none.offsetY.every((o) => o === 0)).toBe(true);
    expect(none.flip.every((f) => f === 0)).toBe(true);
  });
});
