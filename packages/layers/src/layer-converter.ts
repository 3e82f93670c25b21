import type { ApplyContext, ParamSpec, Weights } from '@slt/models';
import type { Tensor } from '@tensorflow/tfjs-core';
import type { layers } from '@tensorflow/tfjs-layers';

/** A layer of a TensorFlow.js Layers model. */
export type Layer = layers.Layer;

/** What a converted layer's `apply` is told besides its weights and inputs. */
export interface LayerApplyContext extends ApplyContext {
  /**
   * True when the layer's inputs depend on no prunable weight (they are the data, or computed from
   * it by frozen layers): a layer may then skip the gradient with respect to its input.
   */
  readonly inputIsData: boolean;
}

/** A Layers layer rewritten as a pure function of its weights and inputs. */
export interface ConvertedLayer {
  /**
   * The layer's weights, in the order `layer.getWeights()` returns them: kernels are prunable,
   * everything else (biases, normalisation parameters and statistics) is frozen and not prunable.
   */
  readonly params: readonly ParamSpec[];
  /** The layer's computation before its activation. */
  apply(weights: Weights, inputs: readonly Tensor[], ctx: LayerApplyContext): Tensor;
  /** Name of the activation (see `layerActivations`) that follows `apply`; `'linear'` if none. */
  readonly activation: string;
}

/**
 * Converts one layer. `name` is the layer's unique name within the converted model (nested
 * models prefix it with their own name and a slash); parameter names are `${name}.${weight}`.
 * `inputShapes` are the shapes of the layer's inputs, batch axis first (null where unknown).
 */
export type LayerConverter = (
  layer: Layer,
  name: string,
  inputShapes: readonly (readonly (number | null)[])[],
) => ConvertedLayer;
