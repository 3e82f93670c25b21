export { type Activation, activations } from './activation.js';
export { dense } from './dense.js';
export { type InitOptions, type InitRecipe, initialWeights, initRecipes } from './init.js';
export { lenet300 } from './lenet300.js';
export type { ApplyContext, Model, ModelArgs, ParamSpec, Weights } from './model.js';
export { createModel, type ModelFactory, models } from './registry.js';
