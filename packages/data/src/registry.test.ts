import { isInputError } from '@slt/core';
import { describe, expect, it } from 'vitest';
import { datasetInfo, datasets, loadDataset } from './registry.js';

describe('datasets registry', () => {
  it('knows mnist10k, mnist, fashion-mnist and cifar10, each with consistent facts', () => {
    expect(datasets.names()).toEqual(['mnist10k', 'mnist', 'fashion-mnist', 'cifar10']);
    for (const name of datasets.names()) {
      const info = datasetInfo(name);
      expect(info.name).toBe(name);
      expect(info.classNames.length).toBe(info.classes);
      expect(info.mean.length).toBe(info.inputShape[2]);
      expect(info.std.length).toBe(info.inputShape[2]);
      expect(info.std.every((s) => s > 0)).toBe(true);
      expect(datasets.get(name).description.length).toBeGreaterThan(10);
    }
  });

  it('an unknown name is an InputError listing the known ones', async () => {
    const error = await loadDataset('imagenet').catch((e: unknown) => e);
    expect(isInputError(error)).toBe(true);
    expect((error as Error).message).toBe(
      "unknown dataset 'imagenet' (known: mnist10k, mnist, fashion-mnist, cifar10)",
    );
  });

  it('a limit that is not a positive integer is an InputError', async () => {
    for (const options of [{ trainLimit: 0 }, { testLimit: -3 }, { trainLimit: 2.5 }]) {
      const error = await loadDataset('mnist10k', options).catch((e: unknown) => e);
      expect(isInputError(error)).toBe(true);
      expect((error as Error).message).toMatch(/Limit must be a positive integer/);
    }
  });

  it('a limit above the split size keeps the whole split', async () => {
    const data = await loadDataset('mnist10k', { trainLimit: 1_000_000 });
    expect(data.train.count).toBe(8000);
  });
});
