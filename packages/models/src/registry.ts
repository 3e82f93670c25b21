import { Registry } from '@slt/core';
import { lenet300 } from './lenet300.js';
import type { Model, ModelArgs } from './model.js';
import { resnet18, resnet50, wrn50_2 } from './resnet.js';
import { swin } from './swin.js';
import { conv2, conv4, conv6, conv8 } from './vgg.js';
import { vit } from './vit.js';

/** Builds a model from the data set's shape and the model's options. */
export type ModelFactory = (args: ModelArgs) => Model;

/** Every registered model by name. */
export const models = new Registry<ModelFactory>('model')
  .register('lenet300', lenet300)
  .register('conv2', conv2)
  .register('conv4', conv4)
  .register('conv6', conv6)
  .register('conv8', conv8)
  .register('resnet18', resnet18)
  .register('resnet50', resnet50)
  .register('wrn50_2', wrn50_2)
  .register('vit', vit)
  .register('swin', swin);

/** Builds the registered model `name`; an unknown name throws with the known names. */
export function createModel(name: string, args: ModelArgs): Model {
  return models.get(name)(args);
}
