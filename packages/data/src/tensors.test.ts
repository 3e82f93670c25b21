import { memory } from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { TEST_BACKENDS, useBackend } from './backends.js';
import { CIFAR10_INFO } from './info.js';
import { toTensors } from './tensors.js';

for (const backend of TEST_BACKENDS) {
  describe(`toTensors on ${backend}`, () => {
    it('normalises each channel with the data set mean and std; labels as int32', async () => {
      await useBackend(backend);
      const before = memory().numTensors;
      // Two 32x32x3 images: the first all 0, the second all 1.
      const images = new Float32Array(2 * 32 * 32 * 3);
      images.fill(1, 32 * 32 * 3);
      const { x, y } = toTensors({ images, labels: Uint8Array.from([4, 9]), count: 2 }, CIFAR10_INFO);
      expect(x.shape).toEqual([2, 32, 32, 3]);
      expect(x.dtype).toBe('float32');
      expect(y.dtype).toBe('int32');
      expect(Array.from(y.dataSync())).toEqual([4, 9]);
      const values = x.dataSync();
      for (let c = 0; c < 3; c++) {
        const { mean, std } = { mean: CIFAR10_INFO.mean[c], std: CIFAR10_INFO.std[c] };
        expect(values[c]).toBeCloseTo(-mean / std, 5);
        expect(values[32 * 32 * 3 + 5 * 3 + c]).toBeCloseTo((1 - mean) / std, 5);
      }
      x.dispose();
      y.dispose();
      expect(memory().numTensors).toBe(before);
    });

    it('rejects a split whose size does not match the data set shape', async () => {
      await useBackend(backend);
      expect(() =>
        toTensors({ images: new Float32Array(10), labels: new Uint8Array(1), count: 1 }, CIFAR10_INFO),
      ).toThrow(/32x32x3/);
    });
  });
}
