import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Dataset, loadDataset } from '@slt/data';
import { decodeTicket } from '@slt/ticket';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSlt as slt } from '../run-in-process.testing.js';
import { evaluatePath } from './eval.js';

// A real ticket found by `slt search` on mnist10k (0.91 sparsity), with the run's summary.
const example = join(import.meta.dirname, '../../../../examples/browser-mnist/public');
const ticket = join(example, 'lenet300-mnist10k.slt');
const summary = JSON.parse(readFileSync(join(example, 'lenet300-mnist10k.summary.json'), 'utf8'));
const work = mkdtempSync(join(tmpdir(), 'slt-eval-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
let data: Dataset;
beforeAll(async () => {
  data = await loadDataset('mnist10k', { trainLimit: 1 });
});

/** Runs the CLI in-process; returns the exit status and what it wrote. */

describe('slt eval and slt export', () => {
  it('reproduces the search test accuracy exactly on the search backend (wasm)', async () => {
    const result = await evaluatePath(ticket, { dataset: 'mnist10k', backend: 'wasm', data });
    expect(result.examples).toBe(2000);
    expect(result.accuracy).toBe(summary.test_acc);
    expect(result.sparsity).toBeCloseTo(summary.sparsity, 6);
    const cpu = await evaluatePath(ticket, { dataset: 'mnist10k', backend: 'cpu', data });
    expect(Math.abs(cpu.accuracy - summary.test_acc)).toBeLessThanOrEqual(0.001);
  });

  it('measures the training split on request, named train_acc; an unknown split is refused', async () => {
    const train = await slt(
      'eval',
      ticket,
      '--dataset',
      'mnist10k',
      '--split',
      'train',
      '--test-limit',
      '500',
      '--json',
    );
    expect(train.status).toBe(0);
    const measured = JSON.parse(train.stdout);
    expect(measured).toMatchObject({ split: 'train', examples: 500, source: 'ticket' });
    expect(measured.test_acc).toBeUndefined();
    // The ticket was searched on these digits: it fits them at least as well as unseen ones.
    expect(measured.train_acc).toBeGreaterThanOrEqual(summary.test_acc);
    const bad = await slt('eval', ticket, '--dataset', 'mnist10k', '--split', 'validation');
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim()).toBe("slt eval: unknown split 'validation' (known: test, train)");
  });

  it('exports a TF.js model and dense weights that predict like the ticket on all 2000 test digits', async () => {
    const tfjsDir = join(work, 'tfjs');
    const denseDir = join(work, 'dense');
    const exported = await slt('export', ticket, '--format', 'tfjs', '--out', tfjsDir);
    expect(exported.status).toBe(0);
    expect(exported.stdout).toMatch(/parameters \(of 266,200\)/);
    expect((await slt('export', ticket, '--format', 'dense', '--out', denseDir)).status).toBe(0);
    const fromTicket = await evaluatePath(ticket, { dataset: 'mnist10k', backend: 'wasm', data });
    const fromTfjs = await evaluatePath(tfjsDir, { dataset: 'mnist10k', backend: 'wasm', data });
    const fromDense = await evaluatePath(denseDir, { dataset: 'mnist10k', backend: 'wasm', data });
    expect(fromTfjs.source).toBe('tfjs');
    expect(fromDense.source).toBe('dense');
    expect(fromTfjs.predictions).toEqual(fromTicket.predictions);
    expect(fromDense.predictions).toEqual(fromTicket.predictions);
    expect(fromTfjs.accuracy).toBe(fromTicket.accuracy);
    const rice = await slt('export', ticket, '--format', 'slt', '--encoding', 'rice', '--out', join(work, 'rice'));
    expect(rice.status).toBe(0);
    const riceTicket = join(work, 'rice', 'ticket.slt');
    expect(readFileSync(riceTicket).length).toBeLessThan(0.5 * readFileSync(ticket).length);
    const fromRice = await evaluatePath(riceTicket, { dataset: 'mnist10k', backend: 'wasm', data });
    expect(fromRice.predictions).toEqual(fromTicket.predictions);
    const json = await slt('eval', tfjsDir, '--dataset', 'mnist10k', '--json');
    expect(json.status).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ test_acc: summary.test_acc, source: 'tfjs' });
  });

  it('exports a structured ticket as a smaller network with the same predictions', async () => {
    const structured = join(import.meta.dirname, '../../../../benchmarks/ticket-size/tickets/lenet300-s90.slt');
    const masks = decodeTicket(readFileSync(structured)).masks;
    const kept = (name: string) => (masks.get(name) as Uint8Array).reduce((a, b) => a + b, 0);
    const expected = 784 * kept('fc1.weight') + kept('fc1.weight') * kept('fc2.weight') + kept('fc2.weight') * 10;
    const dir = join(work, 'structured');
    const exported = await slt('export', structured, '--format', 'tfjs', '--out', dir);
    expect(exported.stdout).toContain(`${expected.toLocaleString('en-US')} parameters (of 266,200)`);
    const fromTicket = await evaluatePath(structured, { dataset: 'mnist10k', backend: 'wasm', data });
    const fromTfjs = await evaluatePath(dir, { dataset: 'mnist10k', backend: 'wasm', data });
    expect(fromTfjs.predictions).toEqual(fromTicket.predictions);
  });

  it('answers every malformed ticket or model directory with one line and exit status 2', async () => {
    const bytes = readFileSync(ticket);
    const truncated = join(work, 'truncated.slt');
    writeFileSync(truncated, bytes.subarray(0, 500));
    const garbage = join(work, 'garbage.slt');
    writeFileSync(garbage, 'not a ticket at all');
    const emptyDir = mkdtempSync(join(work, 'empty-'));
    const badJson = mkdtempSync(join(work, 'badjson-'));
    writeFileSync(join(badJson, 'model.json'), '{ nope');
    const badWeights = join(work, 'badweights');
    expect((await slt('export', ticket, '--format', 'tfjs', '--out', badWeights)).status).toBe(0);
    writeFileSync(join(badWeights, 'weights.bin'), new Uint8Array(12));
    const badDense = mkdtempSync(join(work, 'baddense-'));
    writeFileSync(join(badDense, 'weights.safetensors'), bytes);
    const cases: string[][] = [
      ['eval', truncated, '--dataset', 'mnist10k'],
      ['eval', garbage, '--dataset', 'mnist10k'],
      ['eval', join(work, 'missing.slt'), '--dataset', 'mnist10k'],
      ['eval', emptyDir, '--dataset', 'mnist10k'],
      ['eval', badJson, '--dataset', 'mnist10k'],
      ['eval', badWeights, '--dataset', 'mnist10k'],
      ['eval', badDense, '--dataset', 'mnist10k'],
      ['eval', ticket, '--dataset', 'cifar10', '--data-dir', work],
      ['eval', ticket],
      ['export', garbage, '--format', 'tfjs', '--out', join(work, 'x')],
      ['export', ticket, '--format', 'onnx', '--out', join(work, 'x')],
      ['export', ticket, '--format', 'slt', '--encoding', 'zip', '--out', join(work, 'x')],
    ];
    for (const argv of cases) {
      const { status, stderr } = await slt(...argv);
      expect(status, `${argv.join(' ')}: ${stderr}`).toBe(2);
      expect(stderr.trim().split('\n'), argv.join(' ')).toHaveLength(1);
    }
  });
});
