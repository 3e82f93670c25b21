/** What a classification data set is: fixed facts defined once, here and nowhere else. */
export interface DatasetInfo {
  readonly name: string;
  /** Shape of one example: (height, width, channels). */
  readonly inputShape: readonly [number, number, number];
  readonly classes: number;
  /** Per-channel mean and standard deviation of the training images (pixel values in [0, 1]). */
  readonly mean: readonly number[];
  readonly std: readonly number[];
  readonly classNames: readonly string[];
}

/** One split of a data set, decoded once: pixels in [0, 1] (HWC order), integer labels. */
export interface Split {
  readonly images: Float32Array;
  readonly labels: Uint8Array;
  readonly count: number;
}

/** A loaded data set: its facts, both splits, and where it was read from. */
export interface Dataset {
  readonly info: DatasetInfo;
  readonly train: Split;
  readonly test: Split;
  /** Where the files came from (a directory or a package), for the run's config. */
  readonly source: string;
}

/** Options of {@link loadDataset}. */
export interface LoadOptions {
  /** Read the files from here only: if they are missing, that is an error (no silent fall-back). */
  readonly dataDir?: string;
  /** Keep the first N training / test examples (after the data set's fixed order). */
  readonly trainLimit?: number;
  readonly testLimit?: number;
}
