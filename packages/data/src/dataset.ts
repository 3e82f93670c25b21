/**
 * The shape of a classification data set in slt: fixed facts ({@link DatasetInfo}), two decoded
 * splits, and the source a registry entry loads them from.
 */

/** How the standard training recipe of a data set augments its images. */
export type Augmentation = 'none' | 'crop-flip';

/** What a classification data set is: fixed facts defined once, in `info.ts`, and nowhere else. */
export interface DatasetInfo {
  readonly name: string;
  /** Shape of one example: (height, width, channels). */
  readonly inputShape: readonly [number, number, number];
  readonly classes: number;
  /** Per-channel mean and standard deviation of the training images (pixel values in [0, 1]). */
  readonly mean: readonly number[];
  readonly std: readonly number[];
  readonly classNames: readonly string[];
  /** Number of training and test examples of the full data set. */
  readonly trainCount: number;
  readonly testCount: number;
  /** The augmentation of the data set's usual training recipe (random crop + flip for CIFAR). */
  readonly augmentation: Augmentation;
}

/** One split of a data set, decoded once: pixels in [0, 1] (HWC order), integer labels. */
export interface Split {
  /** (count, height, width, channels), row-major, values in [0, 1]. */
  readonly images: Float32Array;
  /** (count,), each below the data set's number of classes. */
  readonly labels: Uint8Array;
  readonly count: number;
}

/** The split a search evaluates on: the data set's test split, or a part held out of training. */
export type EvaluatedSplit = 'test' | 'validation';

/** A loaded data set: its facts, both splits, and where it was read from. */
export interface Dataset {
  readonly info: DatasetInfo;
  readonly train: Split;
  /** The split a search evaluates on: the test split, or a validation split held out of training. */
  readonly test: Split;
  /** What `test` holds; absent means the data set's own test split. */
  readonly evaluatedOn?: EvaluatedSplit;
  /** Where the files came from (a directory or a package), for the run's config. */
  readonly source: string;
}

/** Options of `loadDataset`. */
export interface LoadOptions {
  /** Read the files from here only: if they are missing, that is an error (no silent fall-back). */
  readonly dataDir?: string;
  /**
   * Keep the first N training / test examples (after the data set's fixed order); a limit above
   * the split's size keeps the whole split.
   */
  readonly trainLimit?: number;
  readonly testLimit?: number;
  /**
   * Hold out this fraction (in (0, 0.5]) of each class's training examples, its last ones, and
   * return them as `test` (`evaluatedOn: 'validation'`), so recipe choices made on them leave the
   * test split unseen. The limits then apply to the two parts.
   */
  readonly validation?: number;
}

/** A registered data set: its facts and a loader of its full splits. */
export interface DatasetSource {
  readonly info: DatasetInfo;
  /** One line for `--help` and error messages: what it is and where it is read from. */
  readonly description: string;
  /** Loads both full splits (limits are applied by `loadDataset`). */
  load(options: { readonly dataDir?: string }): Promise<Dataset>;
}
