import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { isInputError } from '@slt/core';
import { describe, expect, it } from 'vitest';
import { encodeIdx, parseIdx } from './idx.js';
import { IDX_FILE_NAMES } from './idx-source.js';
import { loadDataset } from './registry.js';
import { tempDir, testBytes, writeFiles } from './test-files.js';

const TRAIN = 12;
const TEST = 5;

/** The four files of a small MNIST-format data set, as IDX bytes, with their contents. */
function smallIdx() {
  const trainPixels = testBytes(TRAIN * 784, 256, 1);
  const trainLabels = testBytes(TRAIN, 10, 2);
  const testPixels = testBytes(TEST * 784, 256, 3);
  const testLabels = testBytes(TEST, 10, 4);
  return {
    contents: { trainPixels, trainLabels, testPixels, testLabels },
    files: {
      'train-images-idx3-ubyte': encodeIdx([TRAIN, 28, 28], trainPixels),
      'train-labels-idx1-ubyte': encodeIdx([TRAIN], trainLabels),
      't10k-images-idx3-ubyte': encodeIdx([TEST, 28, 28], testPixels),
      't10k-labels-idx1-ubyte': encodeIdx([TEST], testLabels),
    } as Record<string, Uint8Array>,
  };
}

/** Writes the small data set, replacing file `name` by `bytes` when given; `gz` gzips all. */
function writeSmall(gz: boolean, replace?: { name: string; bytes: Uint8Array }): string {
  const { files } = smallIdx();
  if (replace) files[replace.name] = replace.bytes;
  const dir = tempDir();
  writeFiles(dir, Object.fromEntries(Object.entries(files).map(([name, bytes]) => [gz ? `${name}.gz` : name, bytes])));
  return dir;
}

/** Expects loading `mnist` from `dir` to fail with an InputError matching every pattern. */
async function expectInputError(dir: string, ...patterns: RegExp[]): Promise<void> {
  const error = await loadDataset('mnist', { dataDir: dir }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isInputError(error), `expected an InputError, got ${String(error)}`).toBe(true);
  for (const pattern of patterns) expect((error as Error).message).toMatch(pattern);
}

describe('IDX round trip', () => {
  for (const gz of [false, true]) {
    it(`reads back what was written (${gz ? 'gzipped' : 'plain'})`, async () => {
      const { contents } = smallIdx();
      const dir = writeSmall(gz);
      const data = await loadDataset('mnist', { dataDir: dir });
      expect(data.source).toBe(dir);
      expect(data.train.count).toBe(TRAIN);
      expect(data.test.count).toBe(TEST);
      expect(Array.from(data.train.labels)).toEqual(Array.from(contents.trainLabels));
      expect(Array.from(data.test.labels)).toEqual(Array.from(contents.testLabels));
      expect(data.train.images).toEqual(Float32Array.from(contents.trainPixels, (b) => b / 255));
      expect(data.test.images).toEqual(Float32Array.from(contents.testPixels, (b) => b / 255));
    });
  }

  it('parses header dimensions big-endian', () => {
    const parsed = parseIdx(encodeIdx([2, 300, 1], new Uint8Array(600).fill(7)), 'f');
    expect(parsed.dims).toEqual([2, 300, 1]);
    expect(parsed.data.length).toBe(600);
  });

  it('finds the files in a subfolder named after the data set', async () => {
    const dir = tempDir();
    writeFiles(join(dir, 'mnist'), smallIdx().files);
    const data = await loadDataset('mnist', { dataDir: dir });
    expect(data.source).toBe(join(dir, 'mnist'));
    expect(data.train.count).toBe(TRAIN);
  });
});

describe('IDX errors', () => {
  const images = 'train-images-idx3-ubyte';
  const labels = 'train-labels-idx1-ubyte';
  const good = () => smallIdx().files;

  it('a bad magic number', async () => {
    const bytes = good()[images].slice();
    bytes[0] = 0x12;
    await expectInputError(writeSmall(false, { name: images, bytes }), new RegExp(images), /bad magic number/);
  });

  it('an element type other than unsigned bytes', async () => {
    const bytes = good()[images].slice();
    bytes[2] = 0x0d;
    await expectInputError(writeSmall(false, { name: images, bytes }), new RegExp(images), /element type 0x0d/);
  });

  it('a header cut short', async () => {
    const bytes = good()[images].slice(0, 10);
    await expectInputError(writeSmall(true, { name: images, bytes }), new RegExp(images), /truncated.*header/);
  });

  it('data shorter than the dimensions', async () => {
    const bytes = good()[images].slice(0, -1);
    await expectInputError(writeSmall(true, { name: images, bytes }), new RegExp(images), /truncated.*need 9408 bytes/);
  });

  it('bytes after the data', async () => {
    const full = good()[labels];
    const bytes = new Uint8Array(full.length + 3);
    bytes.set(full);
    await expectInputError(writeSmall(false, { name: labels, bytes }), new RegExp(labels), /3 bytes after/);
  });

  it('wrong image dimensions', async () => {
    const bytes = encodeIdx([TRAIN, 27, 28], new Uint8Array(TRAIN * 27 * 28));
    await expectInputError(
      writeSmall(false, { name: images, bytes }),
      new RegExp(images),
      /\[12, 27, 28\].*\[N, 28, 28\]/,
    );
  });

  it('labels with more than one dimension', async () => {
    const bytes = encodeIdx([TRAIN, 1], new Uint8Array(TRAIN));
    await expectInputError(writeSmall(false, { name: labels, bytes }), new RegExp(labels), /labels need \[N\]/);
  });

  it('a label count different from the image count', async () => {
    const bytes = encodeIdx([TRAIN - 1], new Uint8Array(TRAIN - 1));
    await expectInputError(writeSmall(false, { name: labels, bytes }), /11 labels but .*12 images/);
  });

  it('a label not below the number of classes', async () => {
    const values = new Uint8Array(TRAIN);
    values[7] = 10;
    const bytes = encodeIdx([TRAIN], values);
    await expectInputError(writeSmall(true, { name: labels, bytes }), new RegExp(labels), /label 10 at index 7/);
  });

  it('a corrupt gzip stream', async () => {
    const dir = writeSmall(true);
    const zipped = gzipSync(good()[images]);
    writeFileSync(join(dir, `${images}.gz`), zipped.subarray(0, zipped.length >> 1));
    await expectInputError(dir, new RegExp(`${images}.gz`), /not a valid gzip file/);
  });

  it('a .gz file that is not gzipped', async () => {
    const dir = writeSmall(true);
    writeFileSync(join(dir, `${images}.gz`), good()[images]);
    await expectInputError(dir, new RegExp(`${images}.gz`), /not a gzip file/);
  });

  it('a data directory without the files names it and the expected files', async () => {
    const dir = tempDir();
    writeFiles(dir, { 'train-images-idx3-ubyte': good()[images] });
    const escaped = dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    await expectInputError(
      dir,
      new RegExp(`missing train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte in ${escaped}`),
      new RegExp(IDX_FILE_NAMES.join(', ')),
    );
  });

  it('a data directory that does not exist', async () => {
    await expectInputError(join(tempDir(), 'nowhere'), /does not exist/);
  });

  it('mnist without a data directory says where to put it and suggests mnist10k', async () => {
    const error = await loadDataset('mnist').catch((e: unknown) => e);
    expect(isInputError(error)).toBe(true);
    expect((error as Error).message).toMatch(/dataDir .*--data-dir.*mnist10k/);
  });
});
