import { memory, tensor1d, tensor4d } from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { cropFlipParams } from './augment.js';
import { TEST_BACKENDS, useBackend } from './backends.js';
import { batchCount, epochBatches, indexBatches, sequentialIndices } from './batches.js';
import { shuffledIndices } from './shuffle.js';

describe('indexBatches', () => {
  it('counts batches with the last partial one kept or dropped', () => {
    expect(batchCount(10, 4)).toBe(3);
    expect(batchCount(10, 4, true)).toBe(2);
    expect(batchCount(8, 4, true)).toBe(2);
    expect(() => batchCount(8, 0)).toThrow(/batchSize/);
  });

  it('cuts the order into index tensors of the batch size', async () => {
    await useBackend('cpu');
    const order = shuffledIndices(10, 1, 0);
    const kept = [...indexBatches(order, 4)];
    expect(kept.map((t) => t.shape[0])).toEqual([4, 4, 2]);
    expect(kept.every((t) => t.dtype === 'int32')).toBe(true);
    expect(kept.flatMap((t) => Array.from(t.dataSync()))).toEqual(Array.from(order));
    const dropped = [...indexBatches(order, 4, { dropLast: true })];
    expect(dropped.map((t) => t.shape[0])).toEqual([4, 4]);
    for (const t of [...kept, ...dropped]) t.dispose();
    expect(Array.from(sequentialIndices(4))).toEqual([0, 1, 2, 3]);
  });
});

for (const backend of TEST_BACKENDS) {
  describe(`epochBatches on ${backend}`, () => {
    // 10 examples of 2x2x1: example k is filled with k, labelled k % 3.
    const makeData = () => ({
      x: tensor4d(
        Float32Array.from({ length: 40 }, (_, i) => Math.floor(i / 4)),
        [10, 2, 2, 1],
      ),
      y: tensor1d(
        Int32Array.from({ length: 10 }, (_, k) => k % 3),
        'int32',
      ),
    });

    it('gathers the rows of the epoch order, labels with them', async () => {
      await useBackend(backend);
      const data = makeData();
      const order = shuffledIndices(10, 5, 2);
      const batches = [...epochBatches(data, { seed: 5, epoch: 2, batchSize: 4 })];
      expect(batches.map((b) => b.x.shape)).toEqual([
        [4, 2, 2, 1],
        [4, 2, 2, 1],
        [2, 2, 2, 1],
      ]);
      const firstPixels = batches.flatMap((b) => Array.from(b.x.dataSync()).filter((_, i) => i % 4 === 0));
      expect(firstPixels).toEqual(Array.from(order));
      expect(batches.flatMap((b) => Array.from(b.y.dataSync()))).toEqual(Array.from(order, (k) => k % 3));
      for (const b of batches) {
        b.x.dispose();
        b.y.dispose();
      }
      data.x.dispose();
      data.y.dispose();
    });

    it('augments with the crop/flip of (seed, epoch, batch) when asked', async () => {
      await useBackend(backend);
      const data = makeData();
      const [first] = epochBatches(data, { seed: 5, epoch: 0, batchSize: 4, augmentation: 'crop-flip' });
      const params = cropFlipParams(4, { seed: 5, epoch: 0, batch: 0 });
      const order = shuffledIndices(10, 5, 0);
      const got = first.x.dataSync();
      // A 2x2 image padded by 4: output pixel (i, j) of example n is the source pixel
      // (oy + i - 4, ox + j' - 4) when inside, else 0.
      for (let n = 0; n < 4; n++) {
        for (let i = 0; i < 2; i++) {
          for (let j = 0; j < 2; j++) {
            const r = params.offsetY[n] + i - 4;
            const c = params.offsetX[n] + (params.flip[n] ? 1 - j : j) - 4;
            const inside = r >= 0 && r < 2 && c >= 0 && c < 2;
            expect(got[n * 4 + i * 2 + j]).toBe(inside ? order[n] : 0);
          }
        }
      }
      first.x.dispose();
      first.y.dispose();
      data.x.dispose();
      data.y.dispose();
    });

    it('does not grow tf.memory().numTensors across batches and epochs', async () => {
      await useBackend(backend);
      const data = makeData();
      const before = memory().numTensors;
      for (let epoch = 0; epoch < 3; epoch++) {
        for (const batch of epochBatches(data, { seed: 0, epoch, batchSize: 3, augmentation: 'crop-flip' })) {
          batch.x.dispose();
          batch.y.dispose();
        }
        for (const indices of indexBatches(sequentialIndices(10), 4)) indices.dispose();
        expect(memory().numTensors).toBe(before);
      }
      data.x.dispose();
      data.y.dispose();
    });
  });
}
