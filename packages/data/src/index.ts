export {
  type AugmentOptions,
  CROP_PADDING,
  type CropFlipParams,
  cropFlip,
  cropFlipParams,
  gatherCropFlip,
  randomCropFlip,
} from './augment.js';
export {
  type Batch,
  type BatchOptions,
  batchCount,
  type EpochOptions,
  epochBatches,
  indexBatches,
  sequentialIndices,
} from './batches.js';
export {
  CIFAR10_SUBFOLDER,
  CIFAR10_TEST_FILE,
  CIFAR10_TRAIN_FILES,
  decodeCifarBatches,
  encodeCifarBatch,
  loadCifar10,
} from './cifar10.js';
export type {
  Augmentation,
  Dataset,
  DatasetInfo,
  DatasetSource,
  EvaluatedSplit,
  LoadOptions,
  Split,
} from './dataset.js';
export { bytesToUnit, encodeIdx, type IdxArray, parseIdx } from './idx.js';
export { IDX_FILE_NAMES, type IdxPlaces, loadIdxDataset } from './idx-source.js';
export { CIFAR10_INFO, FASHION_MNIST_INFO, MNIST_INFO, MNIST10K_INFO } from './info.js';
export { loadMnist10k, loadMnist10kFrom, MNIST10K_TEST_PER_CLASS, resolveMnistPackage } from './mnist10k.js';
export { DEBIAN_FASHION_MNIST_DIR, datasetInfo, datasets, loadDataset } from './registry.js';
export { MAX_SHUFFLE_COUNT, shuffledIndices } from './shuffle.js';
export { holdOut, limitSplit } from './split-parts.js';
export { type ChannelStats, channelStats } from './stats.js';
export { normalizeImages, type TensorSplit, toTensors } from './tensors.js';
