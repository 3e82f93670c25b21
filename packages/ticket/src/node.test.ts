import '@tensorflow/tfjs-backend-cpu';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isInputError } from '@slt/core';
import { afterAll, describe, expect, it } from 'vitest';
import { readDenseSafetensors } from './export.js';
import { exportDense, exportTfjs, readTicket, writeTicket } from './node.js';
import { maskSparsity, type TicketOptions, ticketModel } from './ticket.js';

const dir = mkdtempSync(join(tmpdir(), 'slt-ticket-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const options: TicketOptions = {
  model: 'lenet300',
  modelArgs: { inputShape: [3, 3, 1], classes: 2, hidden: [4] },
  init: 'signed-constant',
  seed: 9,
  gate: 'gaussian',
  structure: 'unstructured',
  rescale: 'fixed',
  targetSparsity: 0.5,
  dataset: 'mnist10k',
  masks: new Map([
    ['fc1.weight', Array.from({ length: 36 }, (_, i) => (i % 3 === 0 ? 1 : 0))],
    ['fc2.weight', [1, 0, 1, 1, 0, 1, 1, 0]],
  ]),
};

describe('@slt/ticket/node', () => {
  it('writes tickets atomically and reads them back', () => {
    const path = join(dir, 'ticket.slt');
    const bytes = writeTicket(path, options);
    expect(readFileSync(path).length).toBe(bytes);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
    const ticket = readTicket(path);
    expect(ticket.rescale).toBe('fixed');
    expect(ticket.masks.get('fc2.weight')).toEqual(Uint8Array.from([1, 0, 1, 1, 0, 1, 1, 0]));
  });

  it('names the path in one-line input errors', () => {
    for (const path of [join(dir, 'missing.slt'), dir]) {
      let error: unknown;
      try {
        readTicket(path);
      } catch (caught) {
        error = caught;
      }
      expect(isInputError(error)).toBe(true);
      expect((error as Error).message).toContain(path);
    }
  });

  it('exports TF.js and dense files into a new directory', () => {
    const ticket = readTicket(join(dir, 'ticket.slt'));
    const tfjs = exportTfjs(ticket, join(dir, 'out', 'tfjs'));
    expect(tfjs.files.every((f) => existsSync(f))).toBe(true);
    const manifest = JSON.parse(readFileSync(join(dir, 'out', 'tfjs', 'model.json'), 'utf8'));
    expect(manifest.format).toBe('layers-model');
    const dense = exportDense(ticket, join(dir, 'out', 'dense'));
    expect(dense.parameterCount).toBe(36 + 8);
    expect(readDenseSafetensors(readFileSync(dense.files[0])).weights.get('fc2.weight')?.length).toBe(8);
  });
});

describe('the main entry', () => {
  it('imports no Node built-ins, so it runs in browsers', () => {
    const sources = readdirSync(import.meta.dirname).filter(
      (f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && f !== 'node.ts',
    );
    for (const file of sources) {
      const text = readFileSync(join(import.meta.dirname, file), 'utf8');
      expect(text, file).not.toMatch(/from '(node:|fs|path|crypto)/);
      expect(text, file).not.toMatch(/from '\.\/node\.js'/);
    }
  });
});

describe('committed tickets', () => {
  const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');

  it('a structured ticket of format 1 still loads with the sparsity it recorded; its network is sparser', () => {
    const ticket = readTicket(join(root, 'benchmarks/ticket-size/tickets/lenet300-s90.slt'));
    expect(ticket.version).toBe(1);
    expect(ticket.structure).toBe('structured');
    expect(ticket.sparsity).toBeCloseTo(0.870939, 6);
    // Counted through the units feeding each weight, as format 2 records it.
    expect(maskSparsity(ticketModel(ticket), 'structured', ticket.masks)).toBeGreaterThan(ticket.sparsity + 0.01);
  });

  it('an unstructured ticket of format 1 loads with its recorded sparsity', () => {
    const ticket = readTicket(join(root, 'benchmarks/ticket-size/tickets/lenet300-u90.slt'));
    expect(ticket.version).toBe(1);
    expect(ticket.sparsity).toBe(maskSparsity(ticketModel(ticket), 'unstructured', ticket.masks));
  });
});
