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

  it('a validation fraction holds out the end of the training split in place of the test split', async () => {
    const full = await loadDataset('mnist10k');
    const data = await loadDataset('mnist10k', { validation: 0.1, trainLimit: 500 });
    expect(full.evaluatedOn).toBe('test');
    expect(data.evaluatedOn).toBe('validation');
    expect(data.train.count).toBe(500);
    // Per class, the last tenth of its training digits; the test split is unused.
    const perClass = (labels: Uint8Array) => Array.from({ length: 10 }, (_, c) => labels.filter((l) => l === c).length);
    const trainPerClass = perClass(full.train.labels);
    expect(perClass(data.test.labels)).toEqual(trainPerClass.map((n) => Math.round(n / 10)));
    const last = full.train.labels.lastIndexOf(data.test.labels[data.test.count - 1] as number);
    expect(data.test.images.slice(-784)).toEqual(full.train.images.slice(last * 784, (last + 1) * 784));
    // The training part keeps the split's balanced order.
    expect([...data.train.labels]).toEqual([...full.train.labels.slice(0, 500)]);
    // Nothing is in both parts: together they are the whole training split.
    const whole = await loadDataset('mnist10k', { validation: 0.1 });
    expect(whole.train.count + whole.test.count).toBe(8000);
    expect(perClass(whole.train.labels).map((n, c) => n + (perClass(whole.test.labels)[c] as number))).toEqual(
      trainPerClass,
    );
  });

  it('a validation fraction outside (0, 0.5] is an InputError', async () => {
    for (const validation of [0, 0.6, -0.1, Number.NaN]) {
      const error = await loadDataset('mnist10k', { validation }).catch((e: unknown) => e);
      expect(isInputError(error)).toBe(true);
      expect((error as Error).message).toMatch(/validation fraction must be in \(0, 0\.5\]/);
    }
  });
});
