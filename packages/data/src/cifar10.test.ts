import { join } from 'node:path';
import { isInputError } from '@slt/core';
import { describe, expect, it } from 'vitest';
import {
  CIFAR10_SUBFOLDER,
  CIFAR10_TEST_FILE,
  CIFAR10_TRAIN_FILES,
  decodeCifarBatches,
  encodeCifarBatch,
} from './cifar10.js';
import { loadDataset } from './registry.js';
import { sameBytes, tempDir, testBytes, writeFiles } from './test-files.js';

const PIXELS = 32 * 32 * 3;

/** Small batches: batch b holds b + 1 records (test: 2), as HWC bytes and labels. */
function smallBatches() {
  const batches: Record<string, { images: Uint8Array; labels: Uint8Array }> = {};
  [...CIFAR10_TRAIN_FILES, CIFAR10_TEST_FILE].forEach((name, b) => {
    const count = name === CIFAR10_TEST_FILE ? 2 : b + 1;
    batches[name] = { images: testBytes(count * PIXELS, 256, 10 + b), labels: testBytes(count, 10, 20 + b) };
  });
  const files = Object.fromEntries(
    Object.entries(batches).map(([name, { images, labels }]) => [name, encodeCifarBatch(images, labels)]),
  );
  return { batches, files };
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

async function loadError(dataDir?: string): Promise<Error> {
  const error = await loadDataset('cifar10', { dataDir }).catch((e: unknown) => e);
  expect(isInputError(error), `expected an InputError, got ${String(error)}`).toBe(true);
  return error as Error;
}

describe('cifar10 reader', () => {
  it('decodes channel-major records to HWC floats: red, green, blue planes interleaved', () => {
    // One record: label 3, red plane all 255, green plane 0, blue plane the pixel index mod 256.
    const record = new Uint8Array(1 + PIXELS);
    record[0] = 3;
    record.fill(255, 1, 1 + 1024);
    for (let p = 0; p < 1024; p++) record[1 + 2048 + p] = p % 256;
    const split = decodeCifarBatches([{ file: 'one.bin', bytes: record }]);
    expect(split.count).toBe(1);
    expect(split.labels[0]).toBe(3);
    for (const p of [0, 1, 31, 32, 500, 1023]) {
      expect(split.images[3 * p]).toBe(1);
      expect(split.images[3 * p + 1]).toBe(0);
      expect(split.images[3 * p + 2]).toBe(Math.fround((p % 256) / 255));
    }
  });

  it('reads the batches from dataDir in order, train = batches 1..5 concatenated', async () => {
    const { batches, files } = smallBatches();
    const dir = writeFiles(tempDir(), files);
    const data = await loadDataset('cifar10', { dataDir: dir });
    expect(data.source).toBe(dir);
    expect(data.train.count).toBe(1 + 2 + 3 + 4 + 5);
    expect(data.test.count).toBe(2);
    const trainBytes = concat(CIFAR10_TRAIN_FILES.map((name) => batches[name].images));
    expect(
      sameBytes(
        data.train.images,
        Float32Array.from(trainBytes, (b) => b / 255),
      ),
    ).toBe(true);
    expect(Array.from(data.train.labels)).toEqual(
      Array.from(concat(CIFAR10_TRAIN_FILES.map((n) => batches[n].labels))),
    );
    const testImages = batches[CIFAR10_TEST_FILE].images;
    expect(
      sameBytes(
        data.test.images,
        Float32Array.from(testImages, (b) => b / 255),
      ),
    ).toBe(true);
  });

  it('finds the files in the cifar-10-batches-bin subfolder, and honours limits', async () => {
    const { files } = smallBatches();
    const dir = tempDir();
    writeFiles(join(dir, CIFAR10_SUBFOLDER), files);
    const data = await loadDataset('cifar10', { dataDir: dir, trainLimit: 4, testLimit: 1 });
    expect(data.source).toBe(join(dir, CIFAR10_SUBFOLDER));
    expect(data.train.count).toBe(4);
    expect(data.train.images.length).toBe(4 * PIXELS);
    expect(data.test.count).toBe(1);
  });

  it('needs a data directory', async () => {
    expect((await loadError()).message).toMatch(/data directory only.*data_batch_1\.bin.*test_batch\.bin.*--data-dir/);
  });

  it('a data directory without the files names it and the missing files', async () => {
    const { files } = smallBatches();
    const { 'data_batch_3.bin': _, ...rest } = files;
    const dir = writeFiles(tempDir(), rest);
    const message = (await loadError(dir)).message;
    expect(message).toContain(`missing data_batch_3.bin in ${dir}`);
    expect(message).toContain(CIFAR10_SUBFOLDER);
  });

  it('a truncated batch is an InputError naming the file', async () => {
    const { files } = smallBatches();
    const dir = writeFiles(tempDir(), { ...files, 'data_batch_2.bin': files['data_batch_2.bin'].subarray(0, 5000) });
    expect((await loadError(dir)).message).toMatch(/data_batch_2\.bin is truncated.*5000 bytes.*3073-byte records/);
  });

  it('a label not below 10 is an InputError naming the file and record', async () => {
    const { files } = smallBatches();
    const bad = files[CIFAR10_TEST_FILE].slice();
    bad[3073] = 12;
    const dir = writeFiles(tempDir(), { ...files, [CIFAR10_TEST_FILE]: bad });
    expect((await loadError(dir)).message).toMatch(/test_batch\.bin: label 12 of record 1/);
  });
});
