import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { check, InputError, isInputError } from '@slt/core';
import { type Dataset, type DatasetInfo, datasetInfo, loadDataset, toTensors } from '@slt/data';
import { createModel, type Model } from '@slt/models';
import { readDenseSafetensors, rebuildWeights, TFJS_WEIGHTS_FILE, weightTensors } from '@slt/ticket';
import { DENSE_WEIGHTS_FILE, readInputFile, readTicket } from '@slt/ticket/node';
import { type BackendName, backendNames, EVAL_BATCH_SIZE, evalBatchSize, useBackend } from '@slt/train';
import { argMax, dispose, io, slice, type Tensor, tidy } from '@tensorflow/tfjs-core';
import { loadLayersModel } from '@tensorflow/tfjs-layers';
import { parseNumber } from '../options.js';
import { type Command, parseCommandArgs } from './command.js';

const HELP = `usage: slt eval TICKET|MODEL_DIR --dataset NAME [--split S] [--data-dir D] [--backend B] [--json]

Rebuilds the network from a ticket (.slt) and prints its accuracy on the test split (or the
training split: how closely the ticket fits what it was searched on) and its sparsity. MODEL_DIR
is a directory written by 'slt export' (TF.js Layers model.json, or dense weights.safetensors).

  --dataset NAME     data set to evaluate on (slt list)
  --split S          test (default) or train
  --data-dir D       read the data set from this directory only
  --backend B        ${backendNames.join(', ')} (default wasm)
  --test-limit N     evaluate the first N examples of the split
  --json             print one JSON object: {"test_acc" (or "train_acc"), "sparsity", ...}`;

/** A classifier read from disk: logits for a batch of normalised images, and its sparsity. */
interface Classifier {
  readonly kind: 'ticket' | 'tfjs' | 'dense';
  readonly sparsity: number;
  /** Examples per prediction batch (the search's evaluation batches, so batch statistics match). */
  readonly batchSize: number;
  predict(x: Tensor): Tensor;
  dispose(): void;
}

/** The split `slt eval` measures. */
export type EvalSplit = 'train' | 'test';
const splits: readonly EvalSplit[] = ['test', 'train'];

/** What `slt eval` measured. */
export interface EvalResult {
  readonly source: 'ticket' | 'tfjs' | 'dense';
  readonly split: EvalSplit;
  /** Fraction of the split's examples classified correctly. */
  readonly accuracy: number;
  readonly sparsity: number;
  readonly examples: number;
  readonly backend: string;
  /** Predicted class of every example of the split, in order. */
  readonly predictions: Int32Array;
}

function modelClassifier(
  model: Model,
  weights: ReadonlyMap<string, Float32Array>,
  kind: 'ticket' | 'dense',
  sparsity: number,
): Classifier {
  const tensors = weightTensors(model, weights);
  return {
    kind,
    sparsity,
    batchSize: evalBatchSize(model),
    predict: (x) => model.apply(tensors, x, { training: false }),
    dispose: () => dispose(Object.values(tensors)),
  };
}

function ticketClassifier(path: string, info: DatasetInfo): Classifier {
  const ticket = readTicket(path, { inputShape: info.inputShape, classes: info.classes });
  const { model, weights } = rebuildWeights(ticket);
  return modelClassifier(model, weights, 'ticket', ticket.sparsity);
}

function zeroFraction(arrays: Iterable<Float32Array>): number {
  let zeros = 0;
  let total = 0;
  for (const values of arrays) {
    for (const v of values) zeros += v === 0 ? 1 : 0;
    total += values.length;
  }
  return total === 0 ? 0 : zeros / total;
}

function denseClassifier(path: string, info: DatasetInfo): Classifier {
  const dense = readDenseSafetensors(readInputFile(path, 'dense weights'), path);
  let model: Model;
  try {
    model = createModel(dense.model, dense.modelArgs as Parameters<typeof createModel>[1]);
  } catch (error) {
    if (isInputError(error)) throw new InputError(`${path}: ${error.message}`);
    throw new InputError(`${path}: cannot build ${dense.model} from its arguments`);
  }
  check(
    model.inputShape.join('x') === info.inputShape.join('x') && model.classes === info.classes,
    `${path}: model is for input ${model.inputShape.join('x')} with ${model.classes} classes, not ${info.name}`,
  );
  for (const spec of model.params) {
    const values = dense.weights.get(spec.name);
    const size = spec.shape.reduce((a, b) => a * b, 1);
    check(
      values !== undefined && values.length === size,
      `${path}: weights '${spec.name}' missing or of the wrong size`,
    );
  }
  const sparsity = Number.isFinite(dense.sparsity) ? dense.sparsity : zeroFraction(dense.weights.values());
  return modelClassifier(model, dense.weights, 'dense', sparsity);
}

async function tfjsClassifier(dir: string, info: DatasetInfo): Promise<Classifier> {
  const jsonPath = join(dir, 'model.json');
  let json: {
    modelTopology?: unknown;
    weightsManifest?: Array<{ paths?: unknown; weights?: io.WeightsManifestEntry[] }>;
    userDefinedMetadata?: { slt?: { sparsity?: unknown } };
  };
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(readInputFile(jsonPath, 'model')));
  } catch (error) {
    if (isInputError(error)) throw error;
    throw new InputError(`${jsonPath}: not valid JSON`);
  }
  check(
    typeof json === 'object' && json !== null && Array.isArray(json.weightsManifest),
    `${jsonPath}: no weightsManifest`,
  );
  const specs: io.WeightsManifestEntry[] = [];
  const chunks: Uint8Array[] = [];
  for (const group of json.weightsManifest) {
    check(Array.isArray(group.paths) && Array.isArray(group.weights), `${jsonPath}: malformed weightsManifest`);
    for (const file of group.paths) {
      check(typeof file === 'string' && !file.includes('/') && !file.includes('\\'), `${jsonPath}: bad weights path`);
      chunks.push(readInputFile(join(dir, file), 'weights'));
    }
    specs.push(...group.weights);
  }
  const weightData = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    weightData.set(chunk, offset);
    offset += chunk.length;
  }
  const expectedBytes = specs.reduce(
    (n, s) => n + (Array.isArray(s.shape) ? s.shape.reduce((a, b) => a * b, 1) : Number.NaN) * 4,
    0,
  );
  check(
    expectedBytes === weightData.length,
    `${dir}: weights files hold ${weightData.length} bytes, model.json describes ${expectedBytes}`,
  );
  let layers: Awaited<ReturnType<typeof loadLayersModel>>;
  try {
    layers = await loadLayersModel(
      io.fromMemory({ modelTopology: json.modelTopology as object, weightSpecs: specs, weightData: weightData.buffer }),
    );
  } catch (error) {
    throw new InputError(`${dir}: TF.js cannot load the model (${(error as Error).message})`);
  }
  const inputShape = layers.inputs[0]?.shape.slice(1).join('x');
  if (inputShape !== info.inputShape.join('x') || layers.outputs[0]?.shape[1] !== info.classes) {
    layers.dispose();
    throw new InputError(
      `${dir}: model takes input ${inputShape} with ${String(layers.outputs[0]?.shape[1])} outputs, not ${info.name}`,
    );
  }
  const recorded = Number(json.userDefinedMetadata?.slt?.sparsity);
  const zeros = zeroFraction(layers.getWeights().map((w) => w.dataSync() as Float32Array));
  return {
    kind: 'tfjs',
    sparsity: Number.isFinite(recorded) ? recorded : zeros,
    batchSize: EVAL_BATCH_SIZE,
    predict: (x) => layers.predict(x) as Tensor,
    dispose: () => layers.dispose(),
  };
}

async function openClassifier(path: string, info: DatasetInfo): Promise<Classifier> {
  check(existsSync(path), `${path}: no such file or directory`);
  if (!statSync(path).isDirectory()) return ticketClassifier(path, info);
  if (existsSync(join(path, 'model.json'))) return tfjsClassifier(path, info);
  if (existsSync(join(path, DENSE_WEIGHTS_FILE))) return denseClassifier(join(path, DENSE_WEIGHTS_FILE), info);
  throw new InputError(`${path}: a directory without model.json (+ ${TFJS_WEIGHTS_FILE}) or ${DENSE_WEIGHTS_FILE}`);
}

/** Options of {@link evaluatePath}. */
export interface EvalOptions {
  readonly dataset: string;
  readonly dataDir?: string;
  readonly backend?: BackendName;
  /** The split to measure (default test). */
  readonly split?: EvalSplit;
  /** Evaluate the first N examples of the split. */
  readonly testLimit?: number;
  /** An already loaded copy of the data set (skips reading it again). */
  readonly data?: Dataset;
}

/** Evaluates a ticket or an exported model directory on a split (default test) of `options.dataset`. */
export async function evaluatePath(path: string, options: EvalOptions): Promise<EvalResult> {
  check(
    (backendNames as readonly string[]).includes(options.backend ?? 'wasm'),
    `unknown backend '${options.backend}' (known: ${backendNames.join(', ')})`,
  );
  const split = options.split ?? 'test';
  check(splits.includes(split), `unknown split '${split}' (known: ${splits.join(', ')})`);
  await useBackend(options.backend ?? 'wasm');
  // Check the file against the data set's shape before reading the data itself.
  const classifier = await openClassifier(path, datasetInfo(options.dataset));
  let dataset: Dataset;
  try {
    // Only the measured split is read in full: the other is cut to one example.
    const limits =
      split === 'test'
        ? { testLimit: options.testLimit, trainLimit: 1 }
        : { trainLimit: options.testLimit, testLimit: 1 };
    dataset = options.data ?? (await loadDataset(options.dataset, { dataDir: options.dataDir, ...limits }));
  } catch (error) {
    classifier.dispose();
    throw error;
  }
  const examples = split === 'test' ? dataset.test : dataset.train;
  const count = Math.min(examples.count, options.testLimit ?? examples.count);
  const data = toTensors(examples, dataset.info);
  const predictions = new Int32Array(count);
  try {
    const batch = classifier.batchSize;
    for (let start = 0; start < count; start += batch) {
      const size = Math.min(batch, count - start);
      const predicted = tidy(() => argMax(classifier.predict(slice(data.x, [start], [size])), -1));
      predictions.set(predicted.dataSync() as Int32Array, start);
      predicted.dispose();
    }
  } finally {
    classifier.dispose();
    dispose([data.x, data.y]);
  }
  let correct = 0;
  for (let i = 0; i < count; i++) correct += predictions[i] === examples.labels[i] ? 1 : 0;
  return {
    source: classifier.kind,
    split,
    accuracy: count === 0 ? 0 : correct / count,
    sparsity: classifier.sparsity,
    examples: count,
    backend: options.backend ?? 'wasm',
    predictions,
  };
}

export const evalCommand: Command = {
  summary: 'test accuracy and sparsity of a ticket or an exported model',
  async run(argv) {
    const parsed = parseCommandArgs(
      argv,
      {
        dataset: { type: 'string' },
        split: { type: 'string' },
        'data-dir': { type: 'string' },
        backend: { type: 'string' },
        'test-limit': { type: 'string' },
        json: { type: 'boolean' },
      },
      HELP,
      true,
    );
    if (parsed === undefined) return 0;
    const { values, positionals } = parsed;
    check(positionals.length === 1, 'expected one TICKET or MODEL_DIR (slt eval --help)');
    check(values.dataset !== undefined, '--dataset NAME is required');
    const result = await evaluatePath(positionals[0], {
      dataset: values.dataset,
      dataDir: values['data-dir'],
      backend: values.backend as BackendName | undefined,
      split: values.split as EvalSplit | undefined,
      testLimit: parseNumber('test-limit', values['test-limit']),
    });
    // The accuracy is named after its split, as in a search's summary (test_acc).
    const key = `${result.split}_acc`;
    if (values.json) {
      const { predictions: _, accuracy, source, split, ...rest } = result;
      process.stdout.write(`${JSON.stringify({ source, split, [key]: accuracy, ...rest })}\n`);
    } else {
      process.stdout.write(
        `${positionals[0]} (${result.source}) on ${values.dataset}: ${key} ${(result.accuracy * 100).toFixed(2)}% ` +
          `of ${result.examples} ${result.split} examples, sparsity ${result.sparsity.toFixed(4)}, backend ${result.backend}\n`,
      );
    }
    return 0;
  },
};
