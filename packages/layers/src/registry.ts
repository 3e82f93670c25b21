import { Registry } from '@slt/core';
import {
  convertAveragePooling2D,
  convertConv2D,
  convertGlobalAveragePooling2D,
  convertGlobalMaxPooling2D,
  convertMaxPooling2D,
} from './conv-layers.js';
import {
  convertActivation,
  convertDense,
  convertELU,
  convertFlatten,
  convertLeakyReLU,
  convertReLU,
  convertReshape,
  convertSoftmax,
  identityInSearch,
} from './core-layers.js';
import type { LayerConverter } from './layer-converter.js';
import {
  convertAdd,
  convertAverage,
  convertConcatenate,
  convertMaximum,
  convertMinimum,
  convertMultiply,
  convertSubtract,
} from './merge-layers.js';
import { convertBatchNormalization } from './normalization-layers.js';

/**
 * Layer converters by Layers class name (`layer.getClassName()`). Register a converter here to
 * support another layer type; converting a model with an unregistered layer throws an
 * `InputError` naming the layer and the supported classes.
 */
export const layerConverters = new Registry<LayerConverter>('layer class')
  .register('Dense', convertDense)
  .register('Conv2D', convertConv2D)
  .register('Flatten', convertFlatten)
  .register('Reshape', convertReshape)
  .register('Activation', convertActivation)
  .register('ReLU', convertReLU)
  .register('LeakyReLU', convertLeakyReLU)
  .register('ELU', convertELU)
  .register('Softmax', convertSoftmax)
  .register('MaxPooling2D', convertMaxPooling2D)
  .register('AveragePooling2D', convertAveragePooling2D)
  .register('GlobalAveragePooling2D', convertGlobalAveragePooling2D)
  .register('GlobalMaxPooling2D', convertGlobalMaxPooling2D)
  .register('BatchNormalization', convertBatchNormalization)
  .register('Dropout', identityInSearch)
  .register('SpatialDropout1D', identityInSearch)
  .register('GaussianDropout', identityInSearch)
  .register('AlphaDropout', identityInSearch)
  .register('GaussianNoise', identityInSearch)
  .register('Add', convertAdd)
  .register('Subtract', convertSubtract)
  .register('Multiply', convertMultiply)
  .register('Average', convertAverage)
  .register('Maximum', convertMaximum)
  .register('Minimum', convertMinimum)
  .register('Concatenate', convertConcatenate);
