import '@tensorflow/tfjs-backend-cpu';
import { mul, ones, setBackend, tensor1d } from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { expandGate, type GatedShape, gatedPerUnit, gateShape, unitCount, weightsPerGate } from './structure.js';

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
