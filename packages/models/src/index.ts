export { type Activation, type ActivationKind, activationFunction, activations, negativeSlope } from './activation.js';
export {
  attentionParams,
  batchMatMul,
  blockActivationFloats,
  gelu,
  mlp,
  mlpParams,
  selfAttention,
} from './attention.js';
export { type Conv2DOptions, conv2d } from './conv.js';
export { dense } from './dense.js';
export { type InitOptions, type InitRecipe, initialWeights, initRecipes } from './init.js';
export { lenet300 } from './lenet300.js';
export type { ApplyContext, InputUnits, Model, ModelArgs, ParamSpec, Weights } from './model.js';
export { batchNorm, layerNorm } from './norm.js';
export { globalAvgPool, maxPool2x2 } from './pool.js';
export { createModel, type ModelFactory, models } from './registry.js';
export { resnet18, resnet50, wrn50_2 } from './resnet.js';
export { swin } from './swin.js';
export { conv2, conv4, conv6, conv8 } from './vgg.js';
export { EMBEDDING_FAN_IN, patchify, vit } from './vit.js';
