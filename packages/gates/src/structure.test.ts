import '@tensorflow/tfjs-backend-cpu';
import { mul, ones, setBackend, tensor1d } from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  countKept,
  expandGate,
  type GatedShape,
  gatedPerUnit,
  gateShape,
  inputFeed,
  unitCount,
  weightsPerGate,
} from './structure.js';

beforeAll(async () => {
  await setBackend('cpu');
});

const dense: GatedShape = { name: 'fc.weight', shape: [4, 3], unitAxis: 1 };
const conv: GatedShape = { name: 'conv.weight', shape: [3, 3, 2, 5], unitAxis: 3 };
const rows: GatedShape = { name: 'rows.weight', shape: [2, 6], unitAxis: 0 };
const heads: GatedShape = { name: 'qkv.weight', shape: [2, 6], unitAxis: 1, unitSize: 3 };

describe('structure helpers', () => {
  it('gateShape: the weight shape unstructured, [units / unitSize] structured', () => {
    expect(gateShape(dense, 'unstructured')).toEqual([4, 3]);
    expect(gateShape(dense, 'structured')).toEqual([3]);
    expect(gateShape(conv, 'structured')).toEqual([5]);
    expect(gateShape(rows, 'structured')).toEqual([2]);
    expect(gateShape(heads, 'structured')).toEqual([2]);
  });

  it('weightsPerGate: 1 unstructured, the weights of one unit (group) structured; gates x weightsPerGate = size', () => {
    for (const spec of [dense, conv, rows, heads]) {
      const size = spec.shape.reduce((a, b) => a * b, 1);
      expect(weightsPerGate(spec, 'unstructured')).toBe(1);
      const gates = gateShape(spec, 'structured').reduce((a, b) => a * b, 1);
      expect(gates * weightsPerGate(spec, 'structured')).toBe(size);
    }
    expect(weightsPerGate(conv, 'structured')).toBe(18);
    expect(weightsPerGate(heads, 'structured')).toBe(6);
  });

  it('expandGate broadcasts unit gates over exactly their unit’s weights', () => {
    const gated = mul(ones([4, 3]), expandGate(tensor1d([1, 0, 1]), dense, 'structured'));
    expect(gated.arraySync()).toEqual([
      [1, 0, 1],
      [1, 0, 1],
      [1, 0, 1],
      [1, 0, 1],
    ]);
    const byRow = mul(ones([2, 6]), expandGate(tensor1d([0, 1]), rows, 'structured'));
    expect(byRow.arraySync()).toEqual([
      [0, 0, 0, 0, 0, 0],
      [1, 1, 1, 1, 1, 1],
    ]);
    const convGated = mul(ones([3, 3, 2, 5]), expandGate(tensor1d([1, 0, 0, 1, 0]), conv, 'structured'));
    expect(Array.from(convGated.dataSync()).slice(0, 10)).toEqual([1, 0, 0, 1, 0, 1, 0, 0, 1, 0]);
    expect(convGated.shape).toEqual([3, 3, 2, 5]);
  });

  it('expandGate with unitSize tiles each gate over unitSize consecutive units (a head)', () => {
    const byHead = mul(ones([2, 6]), expandGate(tensor1d([0, 1]), heads, 'structured'));
    expect(byHead.arraySync()).toEqual([
      [0, 0, 0, 1, 1, 1],
      [0, 0, 0, 1, 1, 1],
    ]);
  });

  it('expandGate leaves unstructured gates as they are', () => {
    const z = ones([4, 3]);
    expect(expandGate(z, dense, 'unstructured')).toBe(z);
  });

  it('structured gating falls back to one gate per entry without a unit axis; unitSize must divide the units', () => {
    expect(() => unitCount({ name: 'norm', shape: [8] })).toThrow(/'norm' has no unit axis/);
    const classifier = { name: 'head', shape: [4, 3] };
    expect(gatedPerUnit(classifier, 'structured')).toBe(false);
    expect(gateShape(classifier, 'structured')).toEqual([4, 3]);
    expect(weightsPerGate(classifier, 'structured')).toBe(1);
    expect(() => unitCount({ name: 'odd', shape: [2, 7], unitAxis: 1, unitSize: 3 })).toThrow(
      /7 units do not split into groups of 3/,
    );
    expect(gateShape({ name: 'norm', shape: [8] }, 'unstructured')).toEqual([8]);
  });
});

describe('countKept: the weights a ticket keeps, counted through the units feeding them', () => {
  // A 4-3-2-2 MLP: fc2's rows are fc1's units, fc3's rows fc2's; fc3 (the classifier) has no unit axis.
  const fc1: GatedShape = { name: 'fc1', shape: [4, 3], unitAxis: 1 };
  const fc2: GatedShape = { name: 'fc2', shape: [3, 2], unitAxis: 1, inputUnits: { from: 'fc1', axis: 0 } };
  const fc3: GatedShape = { name: 'fc3', shape: [2, 2], inputUnits: { from: 'fc2', axis: 0 } };
  const mlp = [fc1, fc2, fc3];

  it('unstructured: the ones of every mask, inputs ignored', () => {
    const masks = new Map([
      ['fc1', [1, 0, 1, 1, 1, 1, 0, 0, 0, 1, 1, 0]],
      ['fc2', [0, 0, 1, 0, 1, 1]],
      ['fc3', [1, 1, 0, 1]],
    ]);
    const count = countKept(mlp, 'unstructured', masks);
    expect(count.params).toEqual([
      { name: 'fc1', kept: 7, total: 12 },
      { name: 'fc2', kept: 3, total: 6 },
      { name: 'fc3', kept: 3, total: 4 },
    ]);
    expect(count.kept).toBe(13);
    expect(count.total).toBe(22);
    expect(count.sparsity).toBeCloseTo(9 / 22, 12);
  });

  it('structured: a weight counts only when its unit and the unit feeding its input are kept', () => {
    // fc1 keeps units 0 and 2; fc2 keeps unit 1, whose rows 0 and 2 come from kept fc1 units;
    // fc3 keeps entries (0, 0), (0, 1), (1, 1), but row 0 comes from fc2's removed unit 0.
    const masks = new Map([
      ['fc1', [1, 0, 1]],
      ['fc2', [0, 1]],
      ['fc3', [1, 1, 0, 1]],
    ]);
    const count = countKept(mlp, 'structured', masks);
    expect(count.params).toEqual([
      { name: 'fc1', kept: 8, total: 12 },
      { name: 'fc2', kept: 2, total: 6 },
      { name: 'fc3', kept: 1, total: 4 },
    ]);
    expect(count.sparsity).toBeCloseTo(11 / 22, 12);
    // Each weight by its own mask only (ticket format 1): fc2 3 of 6, fc3 3 of 4.
    const own = countKept(mlp, 'structured', masks, { inputUnits: false });
    expect(own.params.map((p) => p.kept)).toEqual([8, 3, 3]);
    expect(own.sparsity).toBeCloseTo(8 / 22, 12);
    // Without the producer among the gated parameters, nothing feeds fc2.
    expect(countKept([fc2, fc3], 'structured', masks).params.map((p) => p.kept)).toEqual([3, 1]);
  });

  it('a flattened feature map: row j is fed by channel j mod channels', () => {
    const conv: GatedShape = { name: 'conv', shape: [3, 3, 2, 3], unitAxis: 3 };
    // 2 x 2 positions x 3 channels, channel fastest.
    const head: GatedShape = { name: 'head', shape: [12, 2], inputUnits: { from: 'conv', axis: 0 } };
    const fc: GatedShape = { name: 'fc', shape: [12, 4], unitAxis: 1, inputUnits: { from: 'conv', axis: 0 } };
    const masks = new Map<string, number[]>([
      ['conv', [1, 0, 1]],
      ['head', Array.from({ length: 24 }, (_, i) => (i < 4 ? 0 : 1))],
      ['fc', [1, 0, 0, 1]],
    ]);
    const count = countKept([conv, head, fc], 'structured', masks);
    // head: the rows fed by kept channels (j % 3 != 1) are 0, 2, 3, 5, 6, 8, 9, 11; its own mask
    // removes rows 0 and 1: 7 rows x 2 columns. fc: 2 kept units x 2 kept channels x 4 positions.
    expect(count.params.map((p) => p.kept)).toEqual([2 * 18, 14, 2 * 8]);
    expect(inputFeed(head, [conv, head, fc], 'structured')?.view).toEqual([1, 4, 3, 2]);
    expect(inputFeed(fc, [conv, head, fc], 'structured')?.weightsPerPair).toBe(4);
  });

  it('a producer gate covering several units (an attention head) feeds all of their inputs', () => {
    const heads: GatedShape = { name: 'qkv', shape: [2, 6], unitAxis: 1, unitSize: 3 };
    const proj: GatedShape = { name: 'proj', shape: [6, 2], inputUnits: { from: 'qkv', axis: 0 } };
    const masks = new Map([
      ['qkv', [0, 1]],
      ['proj', [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0]],
    ]);
    expect(countKept([heads, proj], 'structured', masks).params.map((p) => p.kept)).toEqual([6, 5]);
  });

  it('rejects an input axis that cannot be right and a mask of the wrong size', () => {
    const masks = new Map([
      ['fc1', [1, 0, 1]],
      ['fc2', [0, 1]],
      ['fc3', [1, 1, 0, 1]],
    ]);
    const own = { ...fc2, inputUnits: { from: 'fc1', axis: 1 } };
    expect(() => countKept([fc1, own], 'structured', masks)).toThrow(
      /'fc2' \[3,2\]: inputUnits axis 1 does not fit the 3 units of 'fc1'/,
    );
    const missing: GatedShape = { name: 'missing', shape: [3, 2], inputUnits: { from: 'fc1', axis: 2 } };
    expect(() => inputFeed(missing, [fc1, missing], 'structured')).toThrow(/inputUnits axis 2 does not fit/);
    const odd: GatedShape = { name: 'odd', shape: [4, 2], inputUnits: { from: 'fc1', axis: 0 } };
    expect(() => inputFeed(odd, [fc1, odd], 'structured')).toThrow(
      /inputUnits axis 0 does not fit the 3 units of 'fc1'/,
    );
    expect(() => countKept(mlp, 'structured', new Map([...masks, ['fc2', [1]]]))).toThrow(
      /mask 'fc2': expected 2 entries/,
    );
    expect(() => countKept(mlp, 'structured', new Map([['fc1', [1, 1, 1]]]))).toThrow(/mask 'fc2': expected 2 entries/);
  });
});
