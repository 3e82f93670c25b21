/**
 * Export of a rebuilt ticket to formats other tools load: a TensorFlow.js Layers model
 * (`model.json` + one weights file) and a dense float32 safetensors file. A ticket's masked
 * network is exported physically smaller: hidden units that can never contribute (every incoming
 * weight masked, so relu(0) = 0, or every outgoing weight masked) are removed together with their
 * rows in the next layer, which is exact because the models have no bias. A structured ticket
 * thus loses every removed unit (Louizos et al. 2018 discuss this use of unit-level L0 gates).
 */
import { InputError } from '@slt/core';
import { type Model, negativeSlope } from '@slt/models';
import { float32Bytes } from './fingerprint.js';
import { type RebuiltTicket, rebuildWeights } from './rebuild.js';
import { type RawTensor, readSafetensors, writeSafetensors } from './safetensors.js';
import type { Ticket } from './ticket.js';

/** One dense layer of an exported network: its kernel (inputs, units), row-major. */
export interface ExportedLayer {
  readonly name: string;
  readonly inputs: number;
  readonly units: number;
  readonly kernel: Float32Array;
  /** Indices of the original layer's output units that were kept. */
  readonly keptUnits: readonly number[];
}

/** A ticket's network with dead units removed: dense layers and the activation between them. */
export interface CompactNetwork {
  readonly inputShape: readonly number[];
  /** Activation after every layer but the last (`relu`, `prelu` or `leaky-relu`). */
  readonly activation: string;
  /** Slope of the activation's negative part: 0 for `relu`, a LeakyReLU's alpha otherwise. */
  readonly negativeSlope: number;
  readonly layers: readonly ExportedLayer[];
  /** Weights left (the kept units' weights, masked entries included as zeros). */
  readonly parameterCount: number;
  /** Weights of the network before removing units. */
  readonly originalParameterCount: number;
}

function requireMlp(model: Model): void {
  if (model.name !== 'lenet300') {
    throw new InputError(`export: only lenet300 tickets can be exported for now, not ${model.name}`);
  }
}

/**
 * The ticket's network as a chain of dense layers with every dead hidden unit removed
 * (exact: no bias, and every supported activation maps 0 to 0).
 */
export function compactNetwork(rebuilt: RebuiltTicket): CompactNetwork {
  const { model, weights } = rebuilt;
  requireMlp(model);
  const kernels = model.params.map((spec) => ({
    name: spec.name,
    rows: spec.shape[0],
    cols: spec.shape[1],
    w: weights.get(spec.name) as Float32Array,
  }));
  const last = kernels.length - 1;
  const activation = String(model.args.activation ?? 'relu');
  // Forward: a hidden unit is alive if some kept input reaches it through a non-zero weight.
  const kept: number[][] = [];
  let inputs = Array.from({ length: kernels[0].rows }, (_, i) => i);
  for (const [index, k] of kernels.entries()) {
    const units: number[] = [];
    for (let c = 0; c < k.cols; c++) {
      if (index === last || inputs.some((r) => k.w[r * k.cols + c] !== 0)) units.push(c);
    }
    kept.push(units);
    inputs = units;
  }
  // Backward: a hidden unit is useful if it reaches some kept unit of the next layer.
  for (let index = last - 1; index >= 0; index--) {
    const next = kernels[index + 1];
    kept[index] = kept[index].filter((r) => kept[index + 1].some((c) => next.w[r * next.cols + c] !== 0));
  }
  const layers: ExportedLayer[] = kernels.map((k, index) => {
    const rows = index === 0 ? Array.from({ length: k.rows }, (_, i) => i) : kept[index - 1];
    const cols = kept[index];
    const kernel = new Float32Array(rows.length * cols.length);
    rows.forEach((r, i) => {
      cols.forEach((c, j) => {
        kernel[i * cols.length + j] = k.w[r * k.cols + c];
      });
    });
    return { name: k.name.replace(/\.weight$/, ''), inputs: rows.length, units: cols.length, kernel, keptUnits: cols };
  });
  return {
    inputShape: model.inputShape,
    activation,
    negativeSlope: negativeSlope(activation, model.args.slope as number | undefined),
    layers,
    parameterCount: layers.reduce((n, l) => n + l.inputs * l.units, 0),
    originalParameterCount: kernels.reduce((n, k) => n + k.rows * k.cols, 0),
  };
}

/** The JSON of a TensorFlow.js Layers `model.json` and the bytes of its one weights file. */
export interface TfjsArtifacts {
  /** Contents of `model.json` (weights manifest pointing at `weightsPath`). */
  readonly modelJson: TfjsModelJson;
  readonly weightData: Uint8Array;
  readonly network: CompactNetwork;
}

/** The subset of the TF.js `model.json` schema slt writes. */
export interface TfjsModelJson {
  readonly format: 'layers-model';
  readonly generatedBy: string;
  readonly convertedBy: null;
  readonly modelTopology: Record<string, unknown>;
  readonly weightsManifest: Array<{
    paths: string[];
    weights: Array<{ name: string; shape: number[]; dtype: 'float32' }>;
  }>;
  readonly userDefinedMetadata: Record<string, unknown>;
}

/** Name of the weights file next to `model.json`. */
export const TFJS_WEIGHTS_FILE = 'weights.bin';

/**
 * Builds a TensorFlow.js Layers model of the ticket: Flatten, then Dense layers without bias
 * (dead units removed), relu or LeakyReLU between them. The model takes the same normalised
 * input as the ticket's `model.apply` and returns logits. Checks the weights' fingerprint.
 */
export function tfjsArtifacts(ticket: Ticket): TfjsArtifacts {
  const network = compactNetwork(rebuildWeights(ticket));
  const slope = network.negativeSlope === 0 ? undefined : network.negativeSlope;
  const layers: Array<Record<string, unknown>> = [
    {
      class_name: 'Flatten',
      config: { name: 'flatten', batch_input_shape: [null, ...network.inputShape], dtype: 'float32', trainable: false },
    },
  ];
  network.layers.forEach((layer, index) => {
    const hidden = index < network.layers.length - 1;
    layers.push({
      class_name: 'Dense',
      config: {
        name: layer.name,
        units: layer.units,
        activation: hidden && slope === undefined ? 'relu' : 'linear',
        use_bias: false,
        dtype: 'float32',
        trainable: false,
      },
    });
    if (hidden && slope !== undefined) {
      layers.push({ class_name: 'LeakyReLU', config: { name: `${layer.name}_act`, alpha: slope, trainable: false } });
    }
  });
  const weightData = new Uint8Array(network.parameterCount * 4);
  let offset = 0;
  for (const layer of network.layers) {
    weightData.set(float32Bytes(layer.kernel), offset);
    offset += layer.kernel.byteLength;
  }
  return {
    modelJson: {
      format: 'layers-model',
      generatedBy: 'slt',
      convertedBy: null,
      modelTopology: {
        class_name: 'Sequential',
        config: { name: `${ticket.model}_ticket`, layers },
        keras_version: 'tfjs-layers 4.22.0',
        backend: 'tensor_flow.js',
      },
      weightsManifest: [
        {
          paths: [TFJS_WEIGHTS_FILE],
          weights: network.layers.map((l) => ({
            name: `${l.name}/kernel`,
            shape: [l.inputs, l.units],
            dtype: 'float32',
          })),
        },
      ],
      userDefinedMetadata: {
        slt: {
          model: ticket.model,
          dataset: ticket.dataset,
          sparsity: ticket.sparsity,
          structure: ticket.structure,
          parameters: network.parameterCount,
          input: 'images normalised with the data set mean and std, as during the search',
        },
      },
    },
    weightData,
    network,
  };
}

/** Metadata key of a dense export that holds the ticket's model name (and marks the file). */
const DENSE_KEY = 'slt_dense';

/**
 * The ticket's masked, scaled weights as a float32 safetensors file in the parameters' shapes,
 * for other frameworks; the metadata records the model and its arguments.
 */
export function denseSafetensors(ticket: Ticket): Uint8Array {
  const { model, weights } = rebuildWeights(ticket);
  const tensors = new Map<string, RawTensor>();
  for (const spec of model.params) {
    tensors.set(spec.name, {
      dtype: 'F32',
      shape: [...spec.shape],
      bytes: float32Bytes(weights.get(spec.name) as Float32Array),
    });
  }
  return writeSafetensors({
    tensors,
    metadata: {
      [DENSE_KEY]: '1',
      model: ticket.model,
      model_args: JSON.stringify(ticket.modelArgs),
      dataset: ticket.dataset,
      sparsity: String(ticket.sparsity),
      weights_sha256: ticket.fingerprint,
    },
  });
}

/** A dense export read back: model name, arguments and float32 weights by parameter name. */
export interface DenseWeights {
  readonly model: string;
  readonly modelArgs: Record<string, unknown>;
  readonly dataset: string;
  readonly sparsity: number;
  readonly weights: Map<string, Float32Array>;
}

/** Parses a dense export written by {@link denseSafetensors}; problems are InputErrors. */
export function readDenseSafetensors(bytes: Uint8Array, what = 'dense weights'): DenseWeights {
  const file = readSafetensors(bytes, what);
  const meta = file.metadata;
  if (meta[DENSE_KEY] !== '1') throw new InputError(`${what}: not an slt dense export (no '${DENSE_KEY}' metadata)`);
  let modelArgs: unknown;
  try {
    modelArgs = JSON.parse(meta.model_args ?? '');
  } catch {
    throw new InputError(`${what}: metadata 'model_args' is not valid JSON`);
  }
  if (typeof modelArgs !== 'object' || modelArgs === null || Array.isArray(modelArgs)) {
    throw new InputError(`${what}: metadata 'model_args' is not an object`);
  }
  const weights = new Map<string, Float32Array>();
  for (const [name, tensor] of file.tensors) {
    if (tensor.dtype !== 'F32') throw new InputError(`${what}: tensor '${name}' is not F32`);
    const copy = new Uint8Array(tensor.bytes); // aligned copy
    const view = new DataView(copy.buffer);
    const values = new Float32Array(copy.length / 4);
    for (let i = 0; i < values.length; i++) values[i] = view.getFloat32(i * 4, true);
    weights.set(name, values);
  }
  return {
    model: meta.model ?? '',
    modelArgs: modelArgs as Record<string, unknown>,
    dataset: meta.dataset ?? '',
    sparsity: Number(meta.sparsity),
    weights,
  };
}
