/**
 * Reader of CIFAR-10's binary version (Krizhevsky, "Learning multiple layers of features from
 * tiny images", 2009): `data_batch_1.bin`..`data_batch_5.bin` (training) and `test_batch.bin`,
 * each a run of records of 1 label byte followed by 3,072 pixel bytes, channel-major (the 1,024
 * red values of the 32x32 image row by row, then green, then blue). Decoded to height-width-
 * channel float32 in [0, 1]. Read from `dataDir` only: it cannot be downloaded at run time.
 */
import { InputError } from '@slt/core';
import type { Dataset, DatasetInfo, DatasetSource, Split } from './dataset.js';
import { existingFiles, isDirectory, joinPath, readMaybeGzipped } from './files.js';
import { CIFAR10_INFO } from './info.js';

/** The training batches, in the order their records are concatenated. */
export const CIFAR10_TRAIN_FILES = [
  'data_batch_1.bin',
  'data_batch_2.bin',
  'data_batch_3.bin',
  'data_batch_4.bin',
  'data_batch_5.bin',
] as const;
/** The file of the test batch (10,000 images) in the official binary archive. */
export const CIFAR10_TEST_FILE = 'test_batch.bin';
/** The folder the official archive unpacks to; looked for inside `dataDir`. */
export const CIFAR10_SUBFOLDER = 'cifar-10-batches-bin';

const ALL_FILES = [...CIFAR10_TRAIN_FILES, CIFAR10_TEST_FILE];

/**
 * Decodes CIFAR-10 binary batches (already read) into one split: HWC float32 pixels in [0, 1].
 * A file that is not a whole number of records, is empty, or has a label not below
 * `info.classes` throws an {@link InputError} naming it.
 */
export function decodeCifarBatches(
  batches: readonly { readonly file: string; readonly bytes: Uint8Array }[],
  info: DatasetInfo = CIFAR10_INFO,
): Split {
  const [height, width, channels] = info.inputShape;
  const plane = height * width;
  const pixels = plane * channels;
  const record = 1 + pixels;
  let count = 0;
  for (const { file, bytes } of batches) {
    if (bytes.length === 0 || bytes.length % record !== 0) {
      throw new InputError(
        `${file} is truncated or not a CIFAR-10 binary batch: ${bytes.length} bytes is not a whole number of ${record}-byte records`,
      );
    }
    count += bytes.length / record;
  }
  const unit = new Float32Array(256);
  for (let b = 0; b < 256; b++) unit[b] = b / 255;
  const images = new Float32Array(count * pixels); // (count, 32, 32, 3)
  const labels = new Uint8Array(count);
  let n = 0;
  for (const { file, bytes } of batches) {
    for (let start = 0; start < bytes.length; start += record, n++) {
      const label = bytes[start];
      if (label >= info.classes) {
        throw new InputError(
          `${file}: label ${label} of record ${start / record} is not below the ${info.classes} classes`,
        );
      }
      labels[n] = label;
      const out = n * pixels;
      for (let c = 0; c < channels; c++) {
        const source = start + 1 + c * plane;
        for (let p = 0; p < plane; p++) images[out + p * channels + c] = unit[bytes[source + p]];
      }
    }
  }
  return { images, labels, count };
}

/** Encodes HWC bytes and labels as one CIFAR-10 binary batch (the inverse of decoding), e.g. for tests. */
export function encodeCifarBatch(images: Uint8Array, labels: Uint8Array, info: DatasetInfo = CIFAR10_INFO): Uint8Array {
  const [height, width, channels] = info.inputShape;
  const plane = height * width;
  const pixels = plane * channels;
  if (images.length !== labels.length * pixels) {
    throw new RangeError(`${labels.length} labels need ${labels.length * pixels} pixel bytes, got ${images.length}`);
  }
  const out = new Uint8Array(labels.length * (1 + pixels));
  for (let n = 0; n < labels.length; n++) {
    const start = n * (1 + pixels);
    out[start] = labels[n];
    for (let c = 0; c < channels; c++) {
      for (let p = 0; p < plane; p++) out[start + 1 + c * plane + p] = images[n * pixels + p * channels + c];
    }
  }
  return out;
}

/** Loads `cifar10` from `dataDir` or its `cifar-10-batches-bin/` subfolder. */
export async function loadCifar10(dataDir: string | undefined, info: DatasetInfo = CIFAR10_INFO): Promise<Dataset> {
  const expected = `${CIFAR10_TRAIN_FILES[0]}..${CIFAR10_TRAIN_FILES[CIFAR10_TRAIN_FILES.length - 1]} and ${CIFAR10_TEST_FILE}`;
  if (dataDir === undefined) {
    throw new InputError(
      `cifar10 is read from a data directory only: put ${expected} (CIFAR-10 binary version) in a directory and pass it as dataDir (slt: --data-dir DIR)`,
    );
  }
  if (!(await isDirectory(dataDir))) throw new InputError(`data directory ${dataDir} does not exist`);
  const nested = await joinPath(dataDir, CIFAR10_SUBFOLDER);
  let dir: string | undefined;
  let missing: string[] = [];
  for (const candidate of [dataDir, nested]) {
    const found = await existingFiles(candidate, ALL_FILES);
    if (found.length === ALL_FILES.length) {
      dir = candidate;
      break;
    }
    if (candidate === dataDir) missing = ALL_FILES.filter((name) => !found.some((path) => path.endsWith(name)));
  }
  if (dir === undefined) {
    throw new InputError(
      `cifar10: missing ${missing.join(', ')} in ${dataDir} (expected ${expected} there or in ${nested})`,
    );
  }
  const from = dir;
  const read = async (name: string) => {
    const file = await joinPath(from, name);
    return { file, bytes: await readMaybeGzipped(file) };
  };
  const train = await Promise.all(CIFAR10_TRAIN_FILES.map(read));
  const test = await read(CIFAR10_TEST_FILE);
  return { info, train: decodeCifarBatches(train, info), test: decodeCifarBatches([test], info), source: dir };
}

/** The registry entry of `cifar10`. */
export const cifar10Source: DatasetSource = {
  info: CIFAR10_INFO,
  description: 'CIFAR-10 binary batches (50,000 / 10,000 colour 32x32 images) from dataDir only',
  load: (options) => loadCifar10(options.dataDir),
};
