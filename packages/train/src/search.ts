/**
 * The strong-lottery-ticket search: Adam (or SGD) on gate parameters only, every weight frozen at
 * its seeded initial value; each epoch evaluates the binary ticket on the test split and logs the
 * relaxed network's accuracy beside it. `dense` trains the weights instead (the ceiling).
 */
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { check, InputError } from '@slt/core';
import { makeOutputDirectory, writeFileAtomic } from '@slt/core/node';
import { type Dataset, loadDataset, shuffledIndices, toTensors } from '@slt/data';
import type { AnnealedGate } from '@slt/gates';
import { createModel, initialWeights, type Model, type Weights } from '@slt/models';
import { createRegularizer, type Regularizer } from '@slt/regularizers';
import {
  add,
  dispose,
  gather,
  getBackend,
  keep,
  mul,
  type NamedTensorMap,
  type Scalar,
  scalar,
  type Tensor,
  tensor,
  tensor1d,
  tidy,
  type Variable,
  variableGrads,
} from '@tensorflow/tfjs-core';
import { type BackendName, useBackend } from './backend.js';
import { microBatchSize } from './batch-memory.js';
import { loadCheckpoint, type RunPosition, saveCheckpoint } from './checkpoint.js';
import { forSearchLength, type SearchConfig, searchSteps } from './config.js';
import { accuracy } from './evaluate.js';
import { GatedNetwork, type GatedNetworkOptions } from './gating.js';
import { crossEntropy } from './loss.js';
import { methods } from './methods.js';
import type { EpochMetrics } from './metrics.js';
import { freshNoise, poolNoise, type SeededNoise } from './noise.js';
import { createOptimizer, type Optimizer } from './optimizer.js';
import { type Progress, silentProgress } from './progress.js';
import { cosine } from './schedule.js';
import { accuracyLabel, describeTicket, type LayerStats, type Summary, type TicketStats } from './summary.js';
import { writeTicketFile } from './ticket-output.js';
import './gradients.js';

/** The sum of two gradient maps with the same keys; frees both. */
function addGradients(a: NamedTensorMap, b: NamedTensorMap): NamedTensorMap {
  const sum = Object.fromEntries(Object.keys(a).map((name) => [name, add(a[name], b[name])]));
  dispose([...Object.values(a), ...Object.values(b)]);
  return sum;
}

/** Options of {@link search}. */
export interface SearchOptions {
  /** Run directory: config.json, metrics.jsonl, checkpoint/, ticket.slt, summary.json. */
  readonly out?: string;
  /** Continue the run in `out` from its checkpoint. */
  readonly resume?: boolean;
  /** Stop cleanly (after writing a checkpoint) when aborted. */
  readonly signal?: AbortSignal;
  readonly progress?: Progress;
  /** Called after each epoch with that epoch's metrics line. */
  readonly onEpoch?: (metrics: EpochMetrics) => void;
  /** A model object to search instead of the registry's `config.model` (e.g. a converted tfjs-layers model). */
  readonly model?: Model;
  /** An already loaded data set (skips loading `config.dataset`). */
  readonly dataset?: Dataset;
  /**
   * Frozen weights by parameter name, used instead of drawing them with `config.init` and
   * `config.seed` (e.g. the current values of a converted tfjs-layers model).
   */
  readonly weights?: ReadonlyMap<string, Float32Array>;
}

/** What {@link search} returns. */
export interface SearchResult {
  readonly summary: Summary;
  readonly metrics: readonly EpochMetrics[];
  /**
   * Binary masks by parameter name (1 kept, 0 removed), flat in the gate's layout: the
   * parameter's entries, or one entry per unit where structured gates cover a unit axis; empty for `dense`.
   */
  readonly masks: ReadonlyMap<string, Uint8Array>;
  /** True when the search was stopped by the signal before its last epoch. */
  readonly interrupted: boolean;
}

function hashConfig(config: SearchConfig): string {
  const { epochs: _epochs, backend: _backend, ...identity } = config;
  return createHash('sha256').update(JSON.stringify(identity)).digest('hex').slice(0, 16);
}

function prepareRunDirectory(out: string, resume: boolean): void {
  makeOutputDirectory(out, 'run directory');
  if (!resume && existsSync(join(out, 'metrics.jsonl'))) {
    throw new InputError(`${out} already holds a run: pass --resume to continue it, or choose another --out`);
  }
  if (resume && !existsSync(join(out, 'checkpoint'))) {
    throw new InputError(`nothing to resume in ${out}: it has no checkpoint/`);
  }
}

/** The gates a gated search puts over the model's prunable weights, from its config. */
export function gatedNetworkOptions(config: SearchConfig): GatedNetworkOptions {
  return {
    gate: config.gate,
    structure: config.gates,
    rescale: config.rescale,
    targetSparsity: config.targetSparsity,
    // gateInit / gateLimit / sigma are the Gaussian gate's location and noise scale; other
    // families keep their own defaults (a log alpha clamped to 0.75 could never decide).
    gateOptions:
      config.gate === 'gaussian'
        ? {
            sigma: config.sigma,
            init: config.gateInit,
            initSpread: config.gateInitSpread,
            muLimit: config.gateLimit,
            seed: config.seed,
          }
        : { seed: config.seed },
  };
}

/** Runs a search described by `config` (already resolved: see `resolveConfig`). */
export async function search(config: SearchConfig, options: SearchOptions = {}): Promise<SearchResult> {
  // A search that throws (bad resume, a NaN loss, a failed write) still frees its tensors and
  // variables: tfjs variable names are global, so leftover gates would break the next search.
  const cleanup: Array<() => void> = [];
  try {
    return await runSearch(config, options, cleanup);
  } catch (error) {
    for (const free of cleanup.reverse()) free();
    throw error;
  }
}

async function runSearch(
  requested: SearchConfig,
  options: SearchOptions,
  cleanup: Array<() => void>,
): Promise<SearchResult> {
  const method = methods.get(requested.method);
  const out = options.out === undefined ? undefined : resolve(options.out);
  if (out !== undefined) prepareRunDirectory(out, options.resume === true);
  await useBackend(requested.backend as BackendName);
  const progress = options.progress ?? silentProgress;

  check(
    options.dataset === undefined || requested.valSplit === undefined,
    'valSplit holds out part of a data set that search loads itself: with a data set passed in, pass its parts (holdOut of @slt/data) instead',
  );
  const dataset =
    options.dataset ??
    (await loadDataset(requested.dataset, {
      dataDir: requested.dataDir,
      trainLimit: requested.trainLimit,
      testLimit: requested.testLimit,
      validation: requested.valSplit,
    }));
  // `auto` settings depend on the search's length; config.json records the numbers.
  const config = forSearchLength(requested, dataset.train.count);
  const model =
    options.model ??
    createModel(config.model, {
      ...config.modelArgs,
      inputShape: dataset.info.inputShape,
      classes: dataset.info.classes,
      activation: config.activation,
    });
  check(
    model.classes === dataset.info.classes,
    `model ${model.name} has ${model.classes} classes but data set ${dataset.info.name} has ${dataset.info.classes}`,
  );
  if (out !== undefined && options.resume !== true) {
    writeFileAtomic(
      join(out, 'config.json'),
      `${JSON.stringify({ ...config, resolvedModelArgs: model.args }, null, 2)}\n`,
    );
  }

  const train = toTensors(dataset.train, dataset.info);
  const test = toTensors(dataset.test, dataset.info);
  cleanup.push(() => dispose([train.x, train.y, test.x, test.y]));
  const initial = options.weights ?? initialWeights(model.params, { recipe: config.init, seed: config.seed });
  for (const spec of model.params)
    check(initial.has(spec.name), () => `no initial weights for parameter '${spec.name}'`);
  const frozen: Record<string, Tensor> = {};
  for (const spec of model.params) frozen[spec.name] = tensor(initial.get(spec.name) as Float32Array, [...spec.shape]);
  cleanup.push(() => dispose(Object.values(frozen)));

  // Gated methods optimise gates over frozen weights; `dense` optimises the weights themselves.
  let network: GatedNetwork | undefined;
  let trainable: Variable[];
  let denseWeights: Record<string, Variable> | undefined;
  if (method.gated) {
    network = new GatedNetwork(model.params, frozen, gatedNetworkOptions(config));
    trainable = network.variables();
    cleanup.push(() => network?.dispose());
  } else {
    denseWeights = Object.fromEntries(
      model.params.map((spec) => [spec.name, frozen[spec.name].variable(true, `weight/${spec.name}`)]),
    );
    trainable = Object.values(denseWeights);
    cleanup.push(() => dispose(trainable));
  }
  const microBatch = microBatchSize(model, config.batchSize);
  const regularizer: Regularizer | undefined =
    method.gated && config.regularizer !== 'none'
      ? createRegularizer(config.regularizer, {
          lambda: config.lambda,
          targetSparsity: config.targetSparsity,
          dualLr: config.dualLr,
          penalty: config.penalty,
          decision: config.decision,
        })
      : undefined;
  cleanup.push(() => regularizer?.dispose?.());
  const optimizer: Optimizer = createOptimizer(trainable, {
    kind: config.optimizer,
    momentum: config.momentum,
    weightDecay: config.weightDecay,
  });
  cleanup.push(() => optimizer.dispose());
  const largestGate =
    network === undefined ? 0 : Math.max(...network.groups.map((g) => g.gate.shape.reduce((a, b) => a * b, 1)));
  const noise: SeededNoise = config.noise === 'pool' ? poolNoise(config.seed, largestGate) : freshNoise(config.seed);
  cleanup.push(() => noise.dispose());

  const trainCount = dataset.train.count;
  const { stepsPerEpoch, totalSteps } = searchSteps(config, trainCount);
  const annealed =
    network === undefined ? [] : [...network.gates.values()].filter((g): g is AnnealedGate => 'sigma' in g);
  const configHash = hashConfig(config);

  let position: RunPosition = {
    epoch: 0,
    batch: 0,
    steps: 0,
    lossSum: 0,
    seconds: 0,
    regularizer: {},
    metrics: [],
    configHash,
  };
  if (options.resume === true && out !== undefined) {
    const saved = loadCheckpoint(out);
    if (saved === undefined) throw new InputError(`nothing to resume in ${out}: no checkpoint`);
    cleanup.push(() => dispose([...saved.tensors.values()]));
    check(
      saved.position.configHash === configHash,
      `${out}: the checkpoint was made with another config; resume with the same settings`,
    );
    for (const v of trainable) {
      const t = saved.tensors.get(`param/${v.name}`);
      if (t === undefined) throw new InputError(`${out}: checkpoint lacks '${v.name}'`);
      v.assign(t);
    }
    const optimizerState = new Map(
      [...saved.tensors].filter(([k]) => k.startsWith('opt/')).map(([k, t]) => [k.slice(4), t]),
    );
    optimizer.restore(optimizerState, saved.position.steps);
    regularizer?.restore(saved.position.regularizer);
    dispose([...saved.tensors.values()]);
    position = saved.position;
    writeFileAtomic(join(out, 'metrics.jsonl'), position.metrics.map((m) => `${JSON.stringify(m)}\n`).join(''));
  }

  const checkpoint = () => {
    if (out === undefined) return;
    const tensors = new Map<string, Tensor>();
    for (const v of trainable) tensors.set(`param/${v.name}`, v);
    for (const [k, t] of optimizer.state().tensors) tensors.set(`opt/${k}`, t);
    saveCheckpoint(out, tensors, { ...position, regularizer: regularizer?.state() ?? {} });
  };

  const currentWeights = (mode: 'sample' | 'deterministic' | 'mask'): Weights =>
    network === undefined ? (denseWeights as Weights) : network.effectiveWeights(mode, noise);

  /** Accuracy on `split` (default test) with the gates in `mode`, freeing the gated weights it made. */
  const ticketAccuracy = (mode: 'mask' | 'deterministic', split = test): number => {
    const weights = tidy(() => currentWeights(mode));
    try {
      return accuracy(model, weights, split.x, split.y);
    } finally {
      if (network !== undefined)
        dispose(
          Object.keys(weights)
            .filter((k) => weights[k] !== frozen[k])
            .map((k) => weights[k]),
        );
    }
  };

  // A noise pool is generated at its first draw (~0.2 s for LeNet-300-100's gates), a set-up cost
  // like the initial weights': pay it before an epoch's clock starts. A draw depends only on the
  // seed, the step and its order within the step (`at` resets the order), so this one changes none.
  if (network !== undefined) {
    const gates = network;
    noise.at(position.steps);
    tidy(() => {
      gates.effectiveWeights('sample', noise);
    });
  }

  const metrics: EpochMetrics[] = [...position.metrics];
  let interrupted = false;
  // The ticket as described after the last finished epoch (the gates do not change after it).
  let lastStats: TicketStats | undefined;
  const classes = dataset.info.classes;

  for (let epoch = position.epoch; epoch < config.epochs && !interrupted; epoch++) {
    const order = shuffledIndices(trainCount, config.seed, epoch);
    let lossSum = tidy(() => scalar(position.lossSum)) as Scalar;
    const started = performance.now() - position.seconds * 1000;
    let lr = config.lr;
    for (let batch = position.batch; batch < stepsPerEpoch; batch++) {
      if (options.signal?.aborted) {
        interrupted = true;
        position = {
          ...position,
          epoch,
          batch,
          lossSum: lossSum.dataSync()[0] as number,
          seconds: (performance.now() - started) / 1000,
        };
        break;
      }
      const step = position.steps;
      lr = cosine(config.lr, 0, step, totalSteps);
      const sigma = cosine(config.sigma, config.sigmaEnd, step, totalSteps);
      for (const gate of annealed) {
        gate.sigma = sigma;
        gate.hard = step >= config.hardFrom * totalSteps;
      }
      const indices = order.subarray(batch * config.batchSize, Math.min(trainCount, (batch + 1) * config.batchSize));
      const nextLossSum = tidy(() => {
        // Large models take the batch in micro-batches whose gradients add up to the batch's:
        // each is weighted by its share, all see the same gate sample, and the regulariser's
        // term counts once.
        let value: Scalar | undefined;
        let grads: NamedTensorMap | undefined;
        for (let from = 0; from < indices.length; from += microBatch) {
          const part = indices.subarray(from, Math.min(indices.length, from + microBatch));
          const share = part.length / indices.length;
          noise.at(step);
          const index = tensor1d(part, 'int32');
          const xb = gather(train.x, index);
          const yb = gather(train.y, index);
          const objective = () => {
            const logits = model.apply(currentWeights('sample'), xb, { training: true });
            const crossEntropyLoss = crossEntropy(logits, yb, classes, config.labelSmoothing);
            const task = share === 1 ? crossEntropyLoss : (mul(crossEntropyLoss, scalar(share)) as Scalar);
            return regularizer === undefined || from > 0
              ? task
              : (add(task, regularizer.loss(network?.groups ?? [])) as Scalar);
          };
          // A fixed mask (the `random` baseline) has nothing to train: the loss is only measured.
          const result =
            trainable.length === 0 ? { value: objective(), grads: {} } : variableGrads(objective, trainable);
          value = value === undefined ? result.value : (add(value, result.value) as Scalar);
          grads = grads === undefined ? result.grads : addGradients(grads, result.grads);
        }
        if (trainable.length > 0) optimizer.step(grads as NamedTensorMap, lr);
        return add(lossSum, value as Scalar) as Scalar;
      });
      lossSum.dispose();
      lossSum = keep(nextLossSum);
      if (network !== undefined) for (const gate of network.gates.values()) gate.project();
      if (regularizer !== undefined && network !== undefined) regularizer.update(network.groups);
      position = { ...position, steps: step + 1 };
      progress.step(epoch, batch, stepsPerEpoch);
    }
    if (interrupted) {
      lossSum.dispose();
      break;
    }
    const seconds = (performance.now() - started) / 1000;
    const trainLoss = (lossSum.dataSync()[0] as number) / stepsPerEpoch;
    lossSum.dispose();
    if (!Number.isFinite(trainLoss)) {
      throw new InputError(
        `the loss became ${trainLoss} in epoch ${epoch + 1}: lower --lr (now ${config.lr}) or check the data`,
      );
    }
    lastStats = describeTicket(model, network);
    const testAcc = ticketAccuracy('mask');
    const line: EpochMetrics = {
      epoch: epoch + 1,
      train_loss: trainLoss,
      test_acc: testAcc,
      // `dense` has no gates: its relaxed network is the network itself.
      test_acc_relaxed: network === undefined ? testAcc : ticketAccuracy('deterministic'),
      sparsity: lastStats.sparsity,
      expected_sparsity: lastStats.expectedSparsity,
      lambda: regularizer?.lambda ?? 0,
      lr,
      sigma: annealed.length > 0 ? (annealed[0] as AnnealedGate).sigma : null,
      seconds,
    };
    metrics.push(line);
    position = { ...position, epoch: epoch + 1, batch: 0, lossSum: 0, seconds: 0, metrics };
    if (out !== undefined) appendFileSync(join(out, 'metrics.jsonl'), `${JSON.stringify(line)}\n`);
    checkpoint();
    options.onEpoch?.(line);
    progress.epoch(
      `epoch ${line.epoch}/${config.epochs}  loss ${trainLoss.toFixed(4)}  ${accuracyLabel(dataset.evaluatedOn)} ${(line.test_acc * 100).toFixed(2)}%  ` +
        `relaxed ${(line.test_acc_relaxed * 100).toFixed(2)}%  sparsity ${line.sparsity.toFixed(4)}  ${seconds.toFixed(2)} s`,
    );
  }
  if (interrupted) checkpoint();
  progress.done();

  const stats = !interrupted && lastStats !== undefined ? lastStats : describeTicket(model, network);
  const masks = stats.masks;
  const last = metrics[metrics.length - 1];
  const trainSeconds = metrics.map((m) => m.seconds);
  const summary: Summary = {
    method: config.method,
    model: model.name,
    dataset: dataset.info.name,
    gates: config.gates,
    evaluated_on: dataset.evaluatedOn ?? 'test',
    test_acc: last?.test_acc ?? null,
    test_acc_relaxed: last?.test_acc_relaxed ?? null,
    sparsity: stats.sparsity,
    unit_sparsity: config.gates === 'structured' && network !== undefined ? stats.unitSparsity : null,
    target_sparsity: method.gated ? config.targetSparsity : null,
    epochs: metrics.length,
    seconds_per_epoch: trainSeconds.length === 0 ? null : trainSeconds.reduce((a, b) => a + b, 0) / trainSeconds.length,
    seed: config.seed,
    backend: getBackend(),
    ticket: null,
    train_acc: interrupted ? null : ticketAccuracy('mask', train),
    layers: stats.layers as LayerStats[],
    p_keep_histogram: stats.histogram,
  };
  if (!interrupted && out !== undefined) {
    // A ticket is (registered model, init, seed, masks): weights or a model passed in as objects
    // cannot be regenerated from it, so such a search returns its masks without a ticket file.
    const regenerable = options.model === undefined && options.weights === undefined;
    if (network !== undefined && regenerable) {
      summary.ticket = writeTicketFile(join(out, 'ticket.slt'), { config, model, dataset: dataset.info.name, masks });
    }
    writeFileAtomic(join(out, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  }

  noise.dispose();
  optimizer.dispose();
  regularizer?.dispose?.();
  network?.dispose();
  dispose(Object.values(frozen));
  if (denseWeights !== undefined) dispose(Object.values(denseWeights));
  dispose([train.x, train.y, test.x, test.y]);
  return { summary, metrics, masks, interrupted };
}
