import { Registry } from '@slt/core';
import { lenet300 } from './lenet300.js';
import type { Model, ModelArgs } from './model.js';

/** Builds a model from the data set's shape and the model's options. */
export type ModelFactory = (args: ModelArgs) => Model;

/** Every registered model by name. */
export const models = new Registry<ModelFactory>('model').register('lenet300', lenet300);

/** Builds the registered model `name`; an unknown name throws with the known names. */
export function createModel(name: string, args: ModelArgs): Model {
  return models.get(name)(args);
}
