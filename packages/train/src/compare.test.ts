import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compare, type PlannedRun, planComparison, type RunExecutor } from './compare.js';

const plan = {
  methods: ['crbg', 'edge-popup', 'dense'],
  sparsities: [0.5, 0.9],
  seeds: [0, 1],
  shared: { model: 'lenet300', dataset: 'mnist10k', epochs: 2 },
};

/** Writes what a finished search leaves behind, with an accuracy that depends on the run. */
function fakeRun(run: PlannedRun): void {
  mkdirSync(run.dir, { recursive: true });
  const acc = 0.8 + 0.1 * run.targetSparsity + 0.01 * run.seed + (run.method === 'dense' ? 0.1 : 0);
  writeFileSync(join(run.dir, 'metrics.jsonl'), `${JSON.stringify({ epoch: 1, train_loss: 1, test_acc: acc })}\n`);
  writeFileSync(
    join(run.dir, 'summary.json'),
    JSON.stringify({ method: run.method, test_acc: acc, sparsity: run.targetSparsity + 0.001, seconds_per_epoch: 3 }),
  );
}

describe('planComparison', () => {
  it('plans every method x sparsity x seed, dense once per seed at sparsity 0, sharing seed and init', () => {
    const runs = planComparison(plan, '/tmp/cmp');
    expect(runs.map((r) => r.dir.slice('/tmp/cmp/runs/'.length))).toEqual([
      'crbg-s0.5-seed0',
      'crbg-s0.5-seed1',
      'crbg-s0.9-seed0',
      'crbg-s0.9-seed1',
      'edge-popup-s0.5-seed0',
      'edge-popup-s0.5-seed1',
      'edge-popup-s0.9-seed0',
      'edge-popup-s0.9-seed1',
      'dense-s0-seed0',
      'dense-s0-seed1',
    ]);
    const ep = runs.find((r) => r.method === 'edge-popup' && r.targetSparsity === 0.9 && r.seed === 1);
    expect(ep?.config).toMatchObject({
      gate: 'edge-popup',
      optimizer: 'sgd',
      lr: 0.1,
      targetSparsity: 0.9,
      seed: 1,
      epochs: 2,
    });
    const crbg = runs.find((r) => r.method === 'crbg' && r.seed === 1);
    expect(crbg?.config.init).toBe(ep?.config.init);
    expect(crbg?.config.dataset).toBe('mnist10k');
  });

  it('lets shared flags override a recipe and rejects unknown methods', () => {
    const runs = planComparison({ ...plan, shared: { ...plan.shared, lr: 0.01 } }, '/tmp/cmp');
    expect(new Set(runs.map((r) => r.config.lr))).toEqual(new Set([0.01]));
    expect(() => planComparison({ ...plan, methods: ['crbg', 'nope'] }, '/tmp/cmp')).toThrow(/unknown method 'nope'/);
  });
});

describe('compare', () => {
  it('writes results.json, table.md and the plot, and skips finished runs when started again', async () => {
    const out = mkdtempSync(join(tmpdir(), 'slt-compare-'));
    const executed: string[] = [];
    const executor: RunExecutor = async (run) => {
      executed.push(run.dir);
      fakeRun(run);
    };
    const states: string[] = [];
    const results = await compare(plan, out, { executor, onState: (_run, state) => states.push(state) });
    expect(executed).toHaveLength(10);
    expect(results.rows).toHaveLength(10);
    const onDisk = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    expect(onDisk.rows[0]).toMatchObject({
      method: 'crbg',
      target_sparsity: 0.5,
      sparsity: 0.501,
      seed: 0,
      seconds_per_epoch: 3,
    });
    expect(onDisk.rows[0].test_acc).toBeCloseTo(0.85, 12);
    expect(onDisk.machine.cores).toBeGreaterThan(0);
    expect(onDisk.backend).toBe('wasm');
    expect(onDisk.versions['@tensorflow/tfjs-core']).toBe('4.22.0');
    expect(onDisk.jobs).toBe(1);
    expect(Object.keys(onDisk.seconds_per_epoch_to_dense).sort()).toEqual(['crbg', 'edge-popup']);
    const table = readFileSync(join(out, 'table.md'), 'utf8');
    expect(table).toContain('| crbg |  | 85.50 ± 0.71 (n=2, actual 0.501) | 89.50 ± 0.71 (n=2, actual 0.901) |');
    expect(existsSync(join(out, 'accuracy-vs-sparsity.svg'))).toBe(true);

    // A second start runs nothing and reports every run as skipped.
    executed.length = 0;
    states.length = 0;
    const again = await compare(plan, out, { executor, onState: (_run, state) => states.push(state) });
    expect(executed).toEqual([]);
    expect(states.every((s) => s === 'skipped')).toBe(true);
    expect(again.rows).toEqual(results.rows);
  });

  it('resumes a run that has a checkpoint, runs jobs in parallel, and reports a failed run after the rest', async () => {
    const out = mkdtempSync(join(tmpdir(), 'slt-compare-'));
    const runs = planComparison(plan, out);
    mkdirSync(join(runs[1].dir, 'checkpoint'), { recursive: true });
    const resumed: string[] = [];
    let active = 0;
    let peak = 0;
    const executor: RunExecutor = async (run, resume) => {
      active++;
      peak = Math.max(peak, active);
      await new Promise((r) => setTimeout(r, 5));
      active--;
      if (resume) resumed.push(run.dir);
      if (run.method === 'edge-popup' && run.seed === 1 && run.targetSparsity === 0.9) throw new Error('boom');
      fakeRun(run);
    };
    await expect(compare(plan, out, { executor, jobs: 3 })).rejects.toThrow(
      /1 run\(s\) failed: edge-popup-s0.9-seed1: boom/,
    );
    expect(resumed).toEqual([runs[1].dir]);
    expect(peak).toBe(3);
    const onDisk = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    expect(onDisk.rows).toHaveLength(9);
  });
});
