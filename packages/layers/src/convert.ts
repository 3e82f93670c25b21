/**
 * Turns a TensorFlow.js Layers model into slt's pure `Model` by walking its graph of layers, so
 * a user's own network can be gated without rewriting it: kernels become prunable parameters
 * frozen at their current values (the strong-lottery-ticket setting of Ramanujan et al. 2020,
 * "What's hidden in a randomly weighted neural network?").
 */
import { check, InputError } from '@slt/core';
import type { ApplyContext, Model, ParamSpec, Weights } from '@slt/models';
import { type Tensor, tensor } from '@tensorflow/tfjs-core';
import { LayersModel, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import { layerActivations } from './activations.js';
import type { ConvertedLayer, Layer } from './layer-converter.js';
import { layerConverters } from './registry.js';

/** Options of {@link fromLayersModel}. */
export interface FromLayersOptions {
  /**
   * Keep a final softmax (a `softmax` activation on the output layer, or a trailing Softmax or
   * Activation('softmax') layer) in `apply`. Default false: `apply` returns logits, which is what
   * slt's cross-entropy expects; {@link LayersConversion.outputActivation} says what was left out.
   */
  readonly keepSoftmax?: boolean;
}

/** A Layers model as slt sees it. */
export interface LayersConversion {
  /** The pure model: `apply(weights, x, ctx)` computes what the Layers model computes. */
  readonly model: Model;
  /** The Layers model's current weights by parameter name (copies, in `model.params` order). */
  readonly weights: ReadonlyMap<string, Float32Array>;
  /** `'softmax'` when a final softmax was left out of `apply` (the model then outputs logits), else `'linear'`. */
  readonly outputActivation: 'softmax' | 'linear';
  /** The converted layers with their parameters, in evaluation order. */
  readonly layers: readonly ConvertedLayerInfo[];
}

/** One converted layer: where its parameters came from. */
export interface ConvertedLayerInfo {
  /** Unique name: the layer's name, prefixed by the names of the models that contain it (`outer/inner`). */
  readonly name: string;
  /** The Layers class name (`Dense`, `Conv2D`, ...). */
  readonly className: string;
  /** The layer's parameters, in `layer.getWeights()` order. */
  readonly params: readonly ParamSpec[];
  /** The layer itself, so masked weights can be written back with `layer.setWeights`. */
  readonly layer: Layer;
}

interface Step {
  readonly converted: ConvertedLayer;
  readonly inputs: readonly number[]; // indices into the value list; 0 is the model input
  readonly inputIsData: boolean;
}

interface Graph {
  readonly steps: Step[];
  readonly layers: ConvertedLayerInfo[];
  readonly weights: Map<string, Float32Array>;
  readonly converted: Map<Layer, ConvertedLayer>;
  readonly dataRefs: Set<number>;
}

function convertLayer(graph: Graph, layer: Layer, name: string, inputs: readonly SymbolicTensor[]): ConvertedLayer {
  const known = graph.converted.get(layer);
  if (known) return known; // a shared layer: one set of parameters, applied at each call
  const className = layer.getClassName();
  if (!layerConverters.has(className)) {
    throw new InputError(
      `unsupported layer '${name}' (${className}); supported: ${layerConverters.names().join(', ')}`,
    );
  }
  const converted = layerConverters.get(className)(
    layer,
    name,
    inputs.map((t) => t.shape),
  );
  layerActivations.get(converted.activation); // an unknown activation fails here, with the known names
  const values = layer.getWeights();
  check(
    values.length === converted.params.length,
    () => `layer '${name}' (${className}) has ${values.length} weights, expected ${converted.params.length}`,
  );
  converted.params.forEach((spec, i) => {
    check(!graph.weights.has(spec.name), () => `two parameters are named '${spec.name}'`);
    const shape = values[i].shape;
    check(
      shape.length === spec.shape.length && shape.every((d, k) => d === spec.shape[k]),
      () => `layer '${name}': weight ${i} has shape [${shape}], expected [${spec.shape}]`,
    );
    graph.weights.set(spec.name, Float32Array.from(values[i].dataSync()));
  });
  graph.converted.set(layer, converted);
  graph.layers.push({ name, className, params: converted.params, layer });
  return converted;
}

/** Adds the steps computing `model`'s single output from the values `inputRefs`; returns the output's ref. */
function walk(graph: Graph, model: LayersModel, inputRefs: readonly number[], prefix: string): number {
  check(
    model.outputs.length === 1,
    () => `model '${model.name}' has ${model.outputs.length} outputs; slt needs exactly one`,
  );
  check(
    model.inputs.length === inputRefs.length,
    () => `model '${model.name}' has ${model.inputs.length} inputs, expected ${inputRefs.length}`,
  );
  const refs = new Map<number, number>(); // SymbolicTensor id -> value index
  model.inputs.forEach((t, i) => {
    refs.set(t.id, inputRefs[i]);
  });
  const visit = (t: SymbolicTensor): number => {
    const known = refs.get(t.id);
    if (known !== undefined) return known;
    const layer = t.sourceLayer;
    const name = `${prefix}${layer.name}`;
    check(layer.getClassName() !== 'InputLayer', () => `input '${name}' of '${model.name}' is not connected`);
    const inputs = t.inputs.map(visit);
    let ref: number;
    if (layer instanceof LayersModel) {
      ref = walk(graph, layer, inputs, `${name}/`);
    } else {
      check((t.outputTensorIndex ?? 0) === 0, () => `layer '${name}' has several outputs; not supported`);
      const converted = convertLayer(graph, layer, name, t.inputs);
      const inputIsData = inputs.every((i) => graph.dataRefs.has(i));
      graph.steps.push({ converted, inputs, inputIsData });
      ref = graph.steps.length;
      if (inputIsData && converted.params.every((p) => !p.prunable)) graph.dataRefs.add(ref);
    }
    refs.set(t.id, ref);
    return ref;
  };
  return visit(model.outputs[0]);
}

function knownShape(shape: readonly (number | null)[], what: string): number[] {
  check(
    shape.every((d) => typeof d === 'number' && d > 0),
    () => `${what} must have a fully known shape, got [${shape.map((d) => d ?? 'null')}]`,
  );
  return shape as number[];
}

/**
 * Converts a built `tf.LayersModel` (from `tf.sequential`, `tf.model` or `tf.loadLayersModel`)
 * into slt's pure {@link Model}, reading the weights it holds now. Dense and Conv2D kernels become
 * prunable parameters (unit axis: the last one); biases and BatchNormalization parameters are
 * frozen and never masked. Nested models are walked; shared layers share their parameters.
 * Throws an `InputError` naming the first unsupported layer or activation.
 */
export function fromLayersModel(source: LayersModel, options: FromLayersOptions = {}): LayersConversion {
  check(
    source.inputs !== undefined && source.inputs.length > 0,
    `model '${source.name}' is not built: give its first layer an inputShape`,
  );
  check(
    source.inputs.length === 1,
    () => `model '${source.name}' has ${source.inputs.length} inputs; slt needs exactly one`,
  );
  const inputShape = knownShape(source.inputs[0].shape.slice(1), `the input of '${source.name}'`);
  const graph: Graph = { steps: [], layers: [], weights: new Map(), converted: new Map(), dataRefs: new Set([0]) };
  const output = walk(graph, source, [0], '');
  const outputShape = knownShape(source.outputs[0].shape.slice(1), `the output of '${source.name}'`);
  check(
    outputShape.length === 1,
    () => `the output of '${source.name}' must be (batch, classes), got [batch, ${outputShape}]`,
  );
  const last = output > 0 ? graph.steps[output - 1] : undefined;
  const stripSoftmax = !options.keepSoftmax && last?.converted.activation === 'softmax';
  const activations = graph.steps.map((step) => layerActivations.get(step.converted.activation));
  const params = graph.layers.flatMap((l) => l.params);

  const model: Model = {
    name: `layers:${source.name}`,
    args: { inputShape, classes: outputShape[0], source: 'tfjs-layers', layers: graph.layers.map((l) => l.className) },
    params,
    inputShape,
    classes: outputShape[0],
    apply(weights: Weights, x: Tensor, ctx: ApplyContext): Tensor {
      const values: Tensor[] = [x];
      graph.steps.forEach((step, i) => {
        const inputs = step.inputs.map((ref) => values[ref]);
        const y = step.converted.apply(weights, inputs, { training: ctx.training, inputIsData: step.inputIsData });
        values.push(stripSoftmax && i + 1 === output ? y : activations[i](y));
      });
      return values[output];
    },
  };
  return { model, weights: graph.weights, outputActivation: stripSoftmax ? 'softmax' : 'linear', layers: graph.layers };
}

/**
 * The conversion's weights as tensors keyed by parameter name, ready for `model.apply`. The caller
 * owns them (dispose them when done).
 */
export function weightTensors(conversion: LayersConversion): Record<string, Tensor> {
  const out: Record<string, Tensor> = {};
  for (const spec of conversion.model.params)
    out[spec.name] = tensor(conversion.weights.get(spec.name)!, [...spec.shape]);
  return out;
}
