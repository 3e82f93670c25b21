import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IDX_FILE_NAMES } from './idx-source.js';
import { FASHION_MNIST_INFO, MNIST10K_INFO } from './info.js';
import { DEBIAN_FASHION_MNIST_DIR, loadDataset } from './registry.js';
import { channelStats } from './stats.js';

const present = IDX_FILE_NAMES.every(
  (name) =>
    existsSync(join(DEBIAN_FASHION_MNIST_DIR, name)) || existsSync(join(DEBIAN_FASHION_MNIST_DIR, `${name}.gz`)),
);
if (!present) {
  console.warn(
    `skipping Fashion-MNIST tests: no IDX files in ${DEBIAN_FASHION_MNIST_DIR} (apt-get install dataset-fashion-mnist)`,
  );
}

describe.skipIf(!present)(
  `fashion-mnist from ${DEBIAN_FASHION_MNIST_DIR} (needs apt package dataset-fashion-mnist)`,
  () => {
    it('loads 60,000 / 10,000 balanced examples with typed-array decoding, matching its mean and std', async () => {
      // CPU time, not wall time: CI machines are shared. Typed-array decoding takes ~0.4 s here;
      // per-pixel object churn would take far longer than this generous bound.
      const start = process.cpuUsage();
      const data = await loadDataset('fashion-mnist');
      const used = process.cpuUsage(start);
      expect((used.user + used.system) / 1e6).toBeLessThan(10);
      expect(data.source).toBe(DEBIAN_FASHION_MNIST_DIR);
      expect(data.train.count).toBe(60000);
      expect(data.test.count).toBe(10000);
      const counts = new Array<number>(10).fill(0);
      for (const label of data.train.labels) counts[label]++;
      expect(counts).toEqual(new Array(10).fill(6000));
      const stats = channelStats(data.train, 1);
      expect(Math.abs(stats.mean[0] - FASHION_MNIST_INFO.mean[0])).toBeLessThan(5e-5);
      expect(Math.abs(stats.std[0] - FASHION_MNIST_INFO.std[0])).toBeLessThan(5e-5);
    });
  },
);

describe('mnist10k statistics', () => {
  it('match the constants of its info', async () => {
    const data = await loadDataset('mnist10k');
    const stats = channelStats(data.train, 1);
    expect(Math.abs(stats.mean[0] - MNIST10K_INFO.mean[0])).toBeLessThan(5e-5);
    expect(Math.abs(stats.std[0] - MNIST10K_INFO.std[0])).toBeLessThan(5e-5);
  });
});
