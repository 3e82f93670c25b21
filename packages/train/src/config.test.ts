import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '@slt/core';
import { tensor } from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from './backend.js';
import { loadCheckpoint, type RunPosition, saveCheckpoint } from './checkpoint.js';
import {
  autoFinalNoise,
  autoLearningRate,
  defaultConfig,
  forSearchLength,
  resolveConfig,
  validatePartialConfig,
} from './config.js';
import { cosine } from './schedule.js';

describe('config', () => {
  it('fills defaults; later layers win; undefined values do not override', () => {
    const config = resolveConfig({ epochs: 5, lr: 0.1 }, { lr: 0.2, seed: undefined });
    expect(config).toEqual({ ...defaultConfig, epochs: 5, lr: 0.2 });
  });

  it("resolves the learning rate 'auto' from the search's length, capped at 0.05", () => {
    // The two searches the rule was measured on: Fashion-MNIST 20 epochs, mnist10k 30 epochs.
    expect(autoLearningRate(9380)).toBe(0.015);
    expect(autoLearningRate(1890)).toBe(0.0334);
    expect(autoLearningRate(100)).toBe(0.05);
    expect(autoLearningRate(0)).toBe(0.05);
    expect(autoLearningRate(4 * 9380)).toBe(0.00749); // four times as long: half the rate
    expect(resolveConfig({}).lr).toBe('auto'); // the default
    const auto = resolveConfig({ epochs: 20, batchSize: 128, lr: 'auto' });
    expect(forSearchLength(auto, 60000).lr).toBe(0.015);
    expect(forSearchLength(resolveConfig({ lr: 0.2 }), 60000).lr).toBe(0.2);
    expect(() => resolveConfig({ lr: 'fast' } as never)).toThrow(/lr/);
  });

  it("resolves the final noise 'auto' from the search's length, to one figure, capped at 0.05", () => {
    // The three lengths the rule was judged on: mnist10k 30 epochs, Fashion-MNIST 20 and 10.
    expect(autoFinalNoise(1890)).toBe(0.05);
    expect(autoFinalNoise(9380)).toBe(0.01);
    expect(autoFinalNoise(4690)).toBe(0.02);
    expect(autoFinalNoise(100)).toBe(0.05);
    expect(autoFinalNoise(0)).toBe(0.05);
    expect(autoFinalNoise(4 * 9380)).toBe(0.003); // four times as long: a quarter, to one figure
    expect(resolveConfig({}).sigmaEnd).toBe('auto'); // the default
    const auto = resolveConfig({ epochs: 20, batchSize: 128, sigmaEnd: 'auto', lr: 'auto' });
    expect(forSearchLength(auto, 60000)).toEqual({ ...auto, lr: 0.015, sigmaEnd: 0.01 });
    expect(forSearchLength(resolveConfig({ sigmaEnd: 0.2 }), 60000).sigmaEnd).toBe(0.2);
    expect(() => resolveConfig({ sigmaEnd: 'low' } as never)).toThrow(/sigmaEnd/);
  });

  it('merges model arguments key by key, later layers winning', () => {
    const config = resolveConfig(
      { modelArgs: { slope: 0.75, hidden: [300, 100] } },
      { modelArgs: { hidden: [1000, 300] } },
    );
    expect(config.modelArgs).toEqual({ slope: 0.75, hidden: [1000, 300] });
    expect(resolveConfig({}).modelArgs).toEqual({});
    expect(() => resolveConfig({ modelArgs: { slope: 0.5 } }, { modelArgs: 'wide' } as never)).toThrow(/modelArgs/);
    // A slope belongs to the activation it came with: another activation named later drops it.
    const recipe = { activation: 'prelu', modelArgs: { slope: 0.5, hidden: [300, 100] } };
    expect(resolveConfig(recipe, { activation: 'relu' }).modelArgs).toEqual({ hidden: [300, 100] });
    expect(resolveConfig(recipe, { activation: 'prelu' }).modelArgs).toEqual({ slope: 0.5, hidden: [300, 100] });
    expect(resolveConfig(recipe, { activation: 'leaky-relu', modelArgs: { slope: 0.1 } }).modelArgs).toEqual({
      slope: 0.1,
      hidden: [300, 100],
    });
    expect(() => resolveConfig({ modelArgs: { slope: 0.5 } }, { modelArgs: [1000] } as never)).toThrow(/modelArgs/);
  });

  it('rejects an unknown key and a wrong type as InputErrors naming the key', () => {
    expect(() => resolveConfig({ learningRate: 1 } as never)).toThrow(InputError);
    expect(() => resolveConfig({ learningRate: 1 } as never)).toThrow(/unknown key 'learningRate'/);
    expect(() => resolveConfig({ epochs: 'three' } as never)).toThrow(/epochs/);
    expect(() => resolveConfig({ targetSparsity: 1 })).toThrow(/targetSparsity/);
    expect(() => resolveConfig({ seed: -1 })).toThrow(/seed/);
    expect(() => validatePartialConfig({ batchSize: 0 }, 'run.yaml')).toThrow(/^run\.yaml: batchSize/);
    expect(validatePartialConfig({ epochs: 2 }, 'flags')).toEqual({ epochs: 2 });
  });
});

describe('cosine schedule', () => {
  it('starts at start, ends at end, and is halfway in the middle', () => {
    expect(cosine(0.05, 0, 0, 101)).toBe(0.05);
    expect(cosine(0.05, 0, 100, 101)).toBeCloseTo(0, 15);
    expect(cosine(0.25, 0.05, 50, 101)).toBeCloseTo(0.15, 12);
    expect(cosine(1, 0, 0, 1)).toBe(0); // a single step uses the end value
  });
});

describe('checkpoint', () => {
  const dir = mkdtempSync(join(tmpdir(), 'slt-ckpt-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  beforeAll(async () => {
    await useBackend('cpu');
  });

  it('round-trips tensors bit for bit and the position exactly', () => {
    const a = tensor([0.1, -2.5e-39, 3.4e38, Number.MIN_VALUE], [2, 2]);
    const b = tensor([1, 2, 3], [3]);
    const position: RunPosition = {
      epoch: 2,
      batch: 5,
      steps: 21,
      lossSum: 1.2345678901234567,
      seconds: 0.5,
      regularizer: { lambda: -0.125 },
      metrics: [],
      configHash: 'abc',
    };
    saveCheckpoint(
      dir,
      new Map([
        ['param/a', a],
        ['opt/b', b],
      ]),
      position,
    );
    const loaded = loadCheckpoint(dir);
    expect(loaded?.position).toEqual(position);
    expect(loaded?.tensors.get('param/a')?.shape).toEqual([2, 2]);
    expect(Array.from(loaded?.tensors.get('param/a')?.dataSync() ?? [])).toEqual(Array.from(a.dataSync()));
    expect(Array.from(loaded?.tensors.get('opt/b')?.dataSync() ?? [])).toEqual([1, 2, 3]);
    expect(loadCheckpoint(join(dir, 'none'))).toBeUndefined();
  });
});
