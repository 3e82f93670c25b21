export { type ActivationFn, layerActivations } from './activations.js';
export { type ApplyMasksOptions, applyMasks, cloneLayersModel } from './apply-masks.js';
export {
  type ConvertedLayerInfo,
  type FromLayersOptions,
  fromLayersModel,
  type LayersConversion,
  weightTensors,
} from './convert.js';
export type { ConvertedLayer, Layer, LayerApplyContext, LayerConverter } from './layer-converter.js';
export { layerConverters } from './registry.js';
