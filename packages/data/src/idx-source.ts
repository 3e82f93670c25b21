/**
 * MNIST-format data sets (`mnist`, `fashion-mnist`) from their four IDX files, gzipped or not,
 * read from `dataDir` or else from known offline places (Debian's `dataset-fashion-mnist`).
 */
import { InputError } from '@slt/core';
import type { Dataset, DatasetInfo, DatasetSource } from './dataset.js';
import { existingFiles, isDirectory, joinPath, readMaybeGzipped } from './files.js';
import { idxSplit, parseIdx } from './idx.js';

/** The four IDX files of an MNIST-format data set (each may also be stored with `.gz`). */
export const IDX_FILE_NAMES = [
  'train-images-idx3-ubyte',
  'train-labels-idx1-ubyte',
  't10k-images-idx3-ubyte',
  't10k-labels-idx1-ubyte',
] as const;

/** Where the four files of one data set are. */
interface IdxLocation {
  readonly dir: string;
  readonly files: readonly string[];
}

/** The four files in `dir` (plain preferred to `.gz`), or the names of those missing. */
async function locate(dir: string): Promise<{ found?: IdxLocation; missing: string[] }> {
  const files: string[] = [];
  const missing: string[] = [];
  for (const name of IDX_FILE_NAMES) {
    const [path] = await existingFiles(dir, [name, `${name}.gz`]);
    if (path === undefined) missing.push(name);
    else files.push(path);
  }
  return missing.length === 0 ? { found: { dir, files }, missing } : { missing };
}

const EXPECTED = `${IDX_FILE_NAMES.join(', ')} (each optionally .gz)`;

/** Reads and checks the four files of `location` as the data set `info`. */
async function readIdxDataset(location: IdxLocation, info: DatasetInfo): Promise<Dataset> {
  const [trainImages, trainLabels, testImages, testLabels] = location.files;
  const [a, b, c, d] = await Promise.all(location.files.map((file) => readMaybeGzipped(file)));
  return {
    info,
    train: idxSplit(parseIdx(a, trainImages), trainImages, parseIdx(b, trainLabels), trainLabels, info),
    test: idxSplit(parseIdx(c, testImages), testImages, parseIdx(d, testLabels), testLabels, info),
    source: location.dir,
  };
}

/** Where an IDX data set is looked for when no `dataDir` is given, and what to say if absent. */
export interface IdxPlaces {
  /** Directories searched in order. */
  readonly dirs: readonly string[];
  /** Appended to the error when none holds the files: how to get them. */
  readonly hint: string;
}

/**
 * The files of `info` from `dataDir` (itself or its subfolder named after the data set) only, or,
 * without `dataDir`, from the first of `places.dirs` that has all four. Missing files are an
 * {@link InputError} saying where to put them.
 */
export async function loadIdxDataset(
  info: DatasetInfo,
  dataDir: string | undefined,
  places: IdxPlaces,
): Promise<Dataset> {
  if (dataDir !== undefined) {
    if (!(await isDirectory(dataDir))) throw new InputError(`data directory ${dataDir} does not exist`);
    const nested = await joinPath(dataDir, info.name);
    const direct = await locate(dataDir);
    if (direct.found) return readIdxDataset(direct.found, info);
    const sub = await locate(nested);
    if (sub.found) return readIdxDataset(sub.found, info);
    throw new InputError(
      `${info.name}: missing ${direct.missing.join(', ')} in ${dataDir} (expected ${EXPECTED} there or in ${nested})`,
    );
  }
  for (const dir of places.dirs) {
    const here = await locate(dir);
    if (here.found) return readIdxDataset(here.found, info);
  }
  const looked = places.dirs.length > 0 ? ` (looked in ${places.dirs.join(', ')})` : '';
  throw new InputError(`${info.name} not found${looked}: ${places.hint}`);
}

/** A registry entry for an IDX data set. */
export function idxSource(info: DatasetInfo, description: string, places: IdxPlaces): DatasetSource {
  return { info, description, load: (options) => loadIdxDataset(info, options.dataDir, places) };
}

/** The advice for putting IDX files in place by hand. */
export function idxHint(name: string): string {
  return `put ${EXPECTED} in a directory and pass it as dataDir (slt: --data-dir DIR); ${name} is not downloaded at run time`;
}
