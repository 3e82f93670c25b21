// End-to-end checks of the search on a small slice of mnist10k: what a run reports is what its
// masks say, runs are reproducible and resumable bit for bit, and memory stays flat.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Dataset, loadDataset, toTensors } from '@slt/data';
import { createModel, initialWeights } from '@slt/models';
import { maskSparsity, TICKET_VERSION } from '@slt/ticket';
import { readTicket } from '@slt/ticket/node';
import { memory, type Tensor, tensor } from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { microBatchSize } from './batch-memory.js';
import { resolveConfig, type SearchConfig } from './config.js';
import { accuracy } from './evaluate.js';
import { methodDefaults, methods } from './methods.js';
import type { EpochMetrics } from './metrics.js';
import type { Progress } from './progress.js';
import { type SearchResult, search } from './search.js';

const work = mkdtempSync(join(tmpdir(), 'slt-search-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
let data: Dataset;
beforeAll(async () => {
  data = await loadDataset('mnist10k', { trainLimit: 1000, testLimit: 500 });
});

/** A small, fast search config: LeNet 784-64-32-10 on 1000 training digits, 3 epochs. */
function small(overrides: Partial<SearchConfig> = {}): SearchConfig {
  return resolveConfig({
    modelArgs: { hidden: [64, 32] },
    trainLimit: 1000,
    testLimit: 500,
    epochs: 3,
    targetSparsity: 0.5,
    ...overrides,
  });
}

const withoutSeconds = (metrics: readonly EpochMetrics[]) => metrics.map(({ seconds: _s, ...rest }) => rest);

function zerosOf(masks: ReadonlyMap<string, Uint8Array>): { zeros: number; total: number } {
  let zeros = 0;
  let total = 0;
  for (const mask of masks.values()) {
    for (const bit of mask) {
      expect(bit === 0 || bit === 1).toBe(true);
      if (bit === 0) zeros += 1;
    }
    total += mask.length;
  }
  return { zeros, total };
}

const SMALL_MODEL = createModel('lenet300', { inputShape: [28, 28, 1], classes: 10, hidden: [64, 32] });

/** The ticket's weights rebuilt from (init, seed, masks) alone, scaled as rescale 'mask' does. */
function ticketWeights(config: SearchConfig, masks: ReadonlyMap<string, Uint8Array>): Record<string, Tensor> {
  const initial = initialWeights(SMALL_MODEL.params, { recipe: config.init, seed: config.seed });
  const weights: Record<string, Tensor> = {};
  for (const spec of SMALL_MODEL.params) {
    const w = initial.get(spec.name) as Float32Array;
    const mask = masks.get(spec.name) as Uint8Array;
    const kept = mask.reduce((a, b) => a + b, 0);
    // kept weights scaled by 1/sqrt(layer density), in float32 as the trainer does
    const scale = Math.fround(1 / Math.sqrt(Math.max(kept / mask.length, 1e-6)));
    weights[spec.name] = tensor(
      w.map((v, i) => Math.fround(Math.fround(v * (mask[i] as number)) * scale)),
      [...spec.shape],
    );
  }
  return weights;
}

function sameMasks(a: ReadonlyMap<string, Uint8Array>, b: ReadonlyMap<string, Uint8Array>): boolean {
  if (a.size !== b.size) return false;
  for (const [name, mask] of a) {
    const other = b.get(name);
    if (other === undefined || !Buffer.from(mask).equals(Buffer.from(other))) return false;
  }
  return true;
}

describe('search (crbg, LeNet 784-64-32-10, 1000 mnist10k digits)', () => {
  let first: SearchResult;
  const tensorsAfterEpoch: number[] = [];

  beforeAll(async () => {
    first = await search(small(), {
      dataset: data,
      out: join(work, 'a'),
      onEpoch: () => tensorsAfterEpoch.push(memory().numTensors),
    });
  });

  it('writes the run directory with summary keys, one metrics line per epoch and a ticket', () => {
    const dir = join(work, 'a');
    for (const file of ['config.json', 'metrics.jsonl', 'summary.json', 'ticket.slt', 'checkpoint']) {
      expect(existsSync(join(dir, file)), file).toBe(true);
    }
    const lines = readFileSync(join(dir, 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toEqual(first.metrics);
    expect(lines.map((l) => l.epoch)).toEqual([1, 2, 3]);
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    expect(summary).toEqual(first.summary);
    for (const key of ['method', 'model', 'dataset', 'gates', 'test_acc', 'test_acc_relaxed', 'sparsity']) {
      expect(summary).toHaveProperty(key);
    }
    expect(summary.unit_sparsity).toBeNull();
    // The default learning rate 'auto' is recorded as the number it ran with (24 steps: the cap).
    expect(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')).lr).toBe(0.05);
    expect(summary.epochs).toBe(3);
    expect(summary.p_keep_histogram.counts.reduce((a: number, b: number) => a + b, 0)).toBe(784 * 64 + 64 * 32 + 320);
    expect(first.interrupted).toBe(false);
  });

  it('masks are strictly 0/1 in each parameter shape, and summary.sparsity is their counted zeros', () => {
    const sizes = { 'fc1.weight': 784 * 64, 'fc2.weight': 64 * 32, 'fc3.weight': 32 * 10 };
    expect([...first.masks.keys()]).toEqual(Object.keys(sizes));
    for (const [name, size] of Object.entries(sizes)) expect(first.masks.get(name)?.length).toBe(size);
    const { zeros, total } = zerosOf(first.masks);
    expect(first.summary.sparsity).toBe(zeros / total);
    expect(first.metrics[2].sparsity).toBe(zeros / total);
    for (const layer of first.summary.layers) {
      const mask = first.masks.get(layer.name) as Uint8Array;
      expect(layer.sparsity).toBeCloseTo(mask.filter((b) => b === 0).length / mask.length, 12);
    }
    expect(first.summary.sparsity).toBeGreaterThan(0.1); // the search did prune
  });

  it('the binary ticket rebuilt from (init, seed, masks) gives the reported test and training accuracy: weights stayed frozen', () => {
    const weights = ticketWeights(small(), first.masks);
    const test = toTensors(data.test, data.info);
    const acc = accuracy(SMALL_MODEL, weights, test.x, test.y);
    expect(Math.abs(acc - (first.summary.test_acc as number))).toBeLessThanOrEqual(1 / 500);
    const train = toTensors(data.train, data.info);
    const trainAcc = accuracy(SMALL_MODEL, weights, train.x, train.y);
    expect(Math.abs(trainAcc - (first.summary.train_acc as number))).toBeLessThanOrEqual(1 / 1000);
    // It was searched on these digits: it fits them better than the held-out ones.
    expect(trainAcc).toBeGreaterThan(acc);
    for (const t of [test.x, test.y, train.x, train.y, ...Object.values(weights)]) t.dispose();
  });

  it('valSplit: the run is judged on digits held out of its training split, and says so', async () => {
    const config = small({ valSplit: 0.2, trainLimit: undefined, testLimit: undefined, epochs: 1 });
    const result = await search(config, { out: join(work, 'validation') });
    expect(result.summary.evaluated_on).toBe('validation');
    expect(JSON.parse(readFileSync(join(work, 'validation', 'summary.json'), 'utf8')).evaluated_on).toBe('validation');
    const held = await loadDataset('mnist10k', { validation: 0.2 });
    expect(held.test.count).toBe(1600);
    const weights = ticketWeights(config, result.masks);
    const validation = toTensors(held.test, held.info);
    const acc = accuracy(SMALL_MODEL, weights, validation.x, validation.y);
    expect(Math.abs(acc - (result.summary.test_acc as number))).toBeLessThanOrEqual(1 / 1600);
    for (const t of [validation.x, validation.y, ...Object.values(weights)]) t.dispose();
    expect(first.summary.evaluated_on).toBe('test');
    // A data set passed in is used as it is: asking to hold out part of it too is an error.
    await expect(search(config, { dataset: data })).rejects.toThrow(/valSplit holds out part of a data set/);
  });

  it('no tensor is left behind per epoch, nor by a finished or a failed search', async () => {
    expect(tensorsAfterEpoch).toHaveLength(3);
    expect(tensorsAfterEpoch[2]).toBe(tensorsAfterEpoch[0]);
    const before = memory().numTensors;
    await search(small({ epochs: 1 }), { dataset: data });
    expect(memory().numTensors).toBe(before);
    // A failing search (a resume with another config) frees its gates too, so the next one can
    // create variables of the same names.
    await expect(search(small({ lr: 0.02 }), { dataset: data, out: join(work, 'a'), resume: true })).rejects.toThrow();
    expect(memory().numTensors).toBe(before);
  });

  it('the same seed gives identical masks and metrics; another seed other masks', async () => {
    const again = await search(small(), { dataset: data });
    expect(sameMasks(again.masks, first.masks)).toBe(true);
    expect(withoutSeconds(again.metrics)).toEqual(withoutSeconds(first.metrics));
    const other = await search(small({ seed: 1 }), { dataset: data });
    expect(sameMasks(other.masks, first.masks)).toBe(false);
  });

  it('resumes after an abort at an epoch boundary with identical metrics and masks', async () => {
    const controller = new AbortController();
    const dir = join(work, 'b');
    const stopped = await search(small(), {
      dataset: data,
      out: dir,
      signal: controller.signal,
      onEpoch: (m) => {
        if (m.epoch === 1) controller.abort();
      },
    });
    expect(stopped.interrupted).toBe(true);
    expect(stopped.metrics).toHaveLength(1);
    expect(existsSync(join(dir, 'summary.json'))).toBe(false);
    const resumed = await search(small(), { dataset: data, out: dir, resume: true });
    expect(resumed.interrupted).toBe(false);
    expect(withoutSeconds(resumed.metrics)).toEqual(withoutSeconds(first.metrics));
    expect(sameMasks(resumed.masks, first.masks)).toBe(true);
    const lines = readFileSync(join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(3);
  });

  it('resumes after an abort in the middle of an epoch with identical metrics and masks', async () => {
    const controller = new AbortController();
    const dir = join(work, 'c');
    const progress: Progress = {
      step(epoch, batch) {
        if (epoch === 1 && batch === 3) controller.abort();
      },
      epoch() {},
      done() {},
    };
    const stopped = await search(small(), { dataset: data, out: dir, signal: controller.signal, progress });
    expect(stopped.interrupted).toBe(true);
    expect(stopped.metrics).toHaveLength(1);
    const resumed = await search(small(), { dataset: data, out: dir, resume: true });
    expect(withoutSeconds(resumed.metrics)).toEqual(withoutSeconds(first.metrics));
    expect(sameMasks(resumed.masks, first.masks)).toBe(true);
  });

  it('refuses to resume with another config, or to overwrite a finished run', async () => {
    await expect(search(small({ lr: 0.01 }), { dataset: data, out: join(work, 'a'), resume: true })).rejects.toThrow(
      /another config/,
    );
    await expect(search(small(), { dataset: data, out: join(work, 'a') })).rejects.toThrow(/already holds a run/);
  });
});

describe('search: other methods and structures', () => {
  it('hardFrom: the steps after it train on 0/1 gates, so the relaxed network is the binary ticket', async () => {
    // 4 short epochs (32 steps): the sparsity constraint overshoots for the first 20 or so
    const soft = await search(small({ hardFrom: 1, epochs: 4 }), { dataset: data });
    const hard = await search(small({ hardFrom: 0.5, epochs: 4 }), { dataset: data });
    expect(sameMasks(hard.masks, soft.masks)).toBe(false);
    const last = hard.metrics[hard.metrics.length - 1] as EpochMetrics;
    // on 1000 digits both runs end near 50% (4-6x chance) and 0.5 sparse
    expect(last.test_acc).toBeGreaterThan(0.4);
    expect(Math.abs(last.sparsity - 0.5)).toBeLessThan(0.1);
    // epoch 1 is relaxed training in both runs (the switch is at half of the 4 epochs' steps)
    expect(withoutSeconds(hard.metrics.slice(0, 1))).toEqual(withoutSeconds(soft.metrics.slice(0, 1)));
  });

  it('dense trains the weights to well above chance and reports no mask', async () => {
    const result = await search(
      small({ method: 'dense', regularizer: 'none', lr: 0.01, batchSize: 64, rescale: 'none' }),
      {
        dataset: data,
      },
    );
    expect(result.masks.size).toBe(0);
    expect(result.summary.sparsity).toBe(0);
    expect(result.summary.test_acc).toBeGreaterThan(0.7);
  });

  it('structured gates: unit masks; sparsity counts a weight kept only when its unit and the unit feeding it are kept; near the target', async () => {
    const out = join(work, 'structured');
    const target = 0.7;
    // 784-32-128-10, so that the layers fed by units hold a fifth of the weights (counting each
    // weight by its own gate, the same search ends near 0.75); crbg's structured LeNet recipe
    // (PReLU, gate noise annealed to 0.01) at batch 32, so the 1000 digits give the dual enough steps.
    const [h1, h2] = [32, 128];
    const recipe = methodDefaults(methods.get('crbg'), { model: 'lenet300', gates: 'structured' });
    const config = small({
      ...recipe,
      modelArgs: { hidden: [h1, h2] },
      gates: 'structured',
      epochs: 6,
      batchSize: 32,
      targetSparsity: target,
    });
    const result = await search(config, { dataset: data, out });
    const model = createModel('lenet300', { inputShape: [28, 28, 1], classes: 10, hidden: [h1, h2] });
    const [fc1, fc2, fc3] = model.params.map((spec) => {
      const mask = result.masks.get(spec.name) as Uint8Array;
      // one gate per output unit where the parameter has units (the classifier's outputs have none)
      expect(mask.length).toBe(spec.unitAxis === undefined ? spec.shape[0] * spec.shape[1] : spec.shape[1]);
      for (const bit of mask) expect(bit === 0 || bit === 1).toBe(true);
      return mask;
    }) as [Uint8Array, Uint8Array, Uint8Array];
    const ones = (m: Uint8Array) => m.reduce((a, b) => a + b, 0);
    // fc1: 784 inputs per kept unit; fc2: a kept unit's rows from kept fc1 units; fc3: entries of
    // rows whose fc2 unit is kept.
    const kept = [784 * ones(fc1), ones(fc2) * ones(fc1), ones(fc3.filter((_, i) => fc2[Math.floor(i / 10)] === 1))];
    const sizes = [784 * h1, h1 * h2, h2 * 10];
    const total = sizes.reduce((a, b) => a + b, 0);
    expect(result.summary.sparsity).toBeCloseTo(1 - kept.reduce((a, b) => a + b, 0) / total, 12);
    expect(result.summary.layers.map((l) => l.sparsity)).toEqual(sizes.map((n, i) => 1 - (kept[i] as number) / n));
    expect(result.summary.unit_sparsity).toBeCloseTo(1 - (ones(fc1) + ones(fc2)) / (h1 + h2), 12);
    // Fewer weights than counting each by its own gate: fc2's rows of removed fc1 units are gone.
    const own = 784 * ones(fc1) + h1 * ones(fc2) + ones(fc3);
    expect(ones(fc1)).toBeLessThan(h1);
    expect(result.summary.sparsity).toBeGreaterThan(1 - own / total);
    // The ticket file records the same count, and its checker agrees.
    const ticket = readTicket(join(out, 'ticket.slt'));
    expect(ticket.version).toBe(TICKET_VERSION);
    expect(ticket.sparsity).toBeCloseTo(result.summary.sparsity, 12);
    expect(maskSparsity(model, 'structured', ticket.masks)).toBeCloseTo(result.summary.sparsity, 12);
    // The search's target holds the same count: it lands within a few points.
    expect(Math.abs(result.summary.sparsity - target)).toBeLessThan(0.03);
    expect(result.summary.test_acc).toBeGreaterThan(0.2);
  });

  it('micro-batches: a model too large for its batch takes it in parts and reaches the same ticket', async () => {
    const config = small({ epochs: 1, batchSize: 100 });
    const model = createModel('lenet300', { inputShape: [28, 28, 1], classes: 10, hidden: [64, 32] });
    // An activation estimate that allows 24 examples per training pass: batches of 100 go in 5 parts.
    const large = { ...model, activationFloats: 2 ** 28 / 72 };
    expect(microBatchSize(large, 100)).toBe(24);
    const whole = await search(config, { dataset: data, model });
    const parts = await search(config, { dataset: data, model: large });
    // The same gradient up to float rounding: losses agree closely, and the masks nearly everywhere.
    expect(parts.metrics[0].train_loss).toBeCloseTo(whole.metrics[0].train_loss, 4);
    let differing = 0;
    let total = 0;
    for (const [name, mask] of whole.masks) {
      const other = parts.masks.get(name) as Uint8Array;
      for (let i = 0; i < mask.length; i++) differing += mask[i] === other[i] ? 0 : 1;
      total += mask.length;
    }
    expect(differing / total).toBeLessThan(0.001);
  });

  it('the binary ticket of the default LeNet-300-100 on all 8000 mnist10k digits is far above chance after 2 epochs', async () => {
    const full = await loadDataset('mnist10k');
    const result = await search(resolveConfig({ epochs: 2 }), { dataset: full });
    expect(result.summary.test_acc).toBeGreaterThan(0.8);
    expect(result.summary.sparsity).toBeGreaterThan(0.3);
  });
});
