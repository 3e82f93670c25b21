import { InputError, streamKey, uniforms } from '@slt/core';
import { describe, expect, it } from 'vitest';
import { initialWeights, initRecipes } from './init.js';
import type { ParamSpec } from './model.js';

const fc1: ParamSpec = { name: 'fc1.weight', shape: [200, 100], prunable: true, fanIn: 200, unitAxis: 1 };
const fc2: ParamSpec = { name: 'fc2.weight', shape: [100, 50], prunable: true, fanIn: 100, unitAxis: 1 };
const stats = (values: Float32Array) => {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length;
  return { mean, variance, max: Math.max(...values), min: Math.min(...values) };
};

describe('init recipes', () => {
  it('are reproducible, and a parameter’s weights depend only on (seed, its name), not on the others', () => {
    for (const recipe of initRecipes.names()) {
      const a = initialWeights([fc1, fc2], { recipe, seed: 3 });
      const b = initialWeights([fc1, fc2], { recipe, seed: 3 });
      const alone = initialWeights([fc2], { recipe, seed: 3 });
      const renamed = initialWeights([{ ...fc2, name: 'fc9.weight' }], { recipe, seed: 3 });
      const reseeded = initialWeights([fc2], { recipe, seed: 4 });
      expect(a.get('fc1.weight')).toEqual(b.get('fc1.weight'));
      expect(alone.get('fc2.weight')).toEqual(a.get('fc2.weight'));
      expect(renamed.get('fc9.weight')).not.toEqual(a.get('fc2.weight'));
      expect(reseeded.get('fc2.weight')).not.toEqual(a.get('fc2.weight'));
    }
  });

  it('signed-constant is +-sqrt(2 / fanIn), the sign from the parameter’s uniform stream', () => {
    const w = initialWeights([fc1], { recipe: 'signed-constant', seed: 0 }).get('fc1.weight') as Float32Array;
    const std = Math.fround(Math.sqrt(2 / 200));
    const u = uniforms(streamKey(0, 'fc1.weight'), w.length);
    let positive = 0;
    w.forEach((v, i) => {
      expect(v).toBe(u[i] < 0.5 ? -std : std);
      if (v > 0) positive += 1;
    });
    expect(Math.abs(positive / w.length - 0.5)).toBeLessThan(0.02);
  });

  it('kaiming-normal has std sqrt(2 / fanIn); kaiming-uniform the same variance within sqrt(3) std; uniform within 1/sqrt(fanIn)', () => {
    const std = Math.sqrt(2 / 200);
    const normal = stats(
      initialWeights([fc1], { recipe: 'kaiming-normal', seed: 1 }).get('fc1.weight') as Float32Array,
    );
    expect(Math.abs(normal.mean)).toBeLessThan(0.02 * std);
    expect(Math.sqrt(normal.variance) / std).toBeCloseTo(1, 1);
    const uniform = stats(
      initialWeights([fc1], { recipe: 'kaiming-uniform', seed: 1 }).get('fc1.weight') as Float32Array,
    );
    expect(Math.sqrt(uniform.variance) / std).toBeCloseTo(1, 1);
    expect(uniform.max).toBeLessThanOrEqual(Math.sqrt(3) * std);
    expect(uniform.min).toBeGreaterThanOrEqual(-Math.sqrt(3) * std);
    const torch = stats(initialWeights([fc1], { recipe: 'uniform', seed: 1 }).get('fc1.weight') as Float32Array);
    expect(torch.max).toBeLessThanOrEqual(1 / Math.sqrt(200));
    expect(torch.min).toBeGreaterThanOrEqual(-1 / Math.sqrt(200));
    expect(Math.sqrt(torch.variance) * Math.sqrt(3 * 200)).toBeCloseTo(1, 1);
  });

  it('density scales prunable weights by 1/sqrt(density) and leaves the others alone', () => {
    const frozenStat: ParamSpec = { name: 'norm.scale', shape: [50], prunable: false, fanIn: 50 };
    const plain = initialWeights([fc1, frozenStat], { recipe: 'kaiming-normal', seed: 2 });
    const scaled = initialWeights([fc1, frozenStat], { recipe: 'kaiming-normal', seed: 2, density: 0.25 });
    const a = plain.get('fc1.weight') as Float32Array;
    const b = scaled.get('fc1.weight') as Float32Array;
    for (let i = 0; i < 50; i++) expect(b[i]).toBeCloseTo(2 * a[i], 6);
    expect(scaled.get('norm.scale')).toEqual(plain.get('norm.scale'));
    for (const density of [0, -0.5, 1.5, Number.NaN]) {
      expect(() => initialWeights([fc1], { recipe: 'uniform', seed: 0, density })).toThrow(/density/);
    }
  });

  it('an unknown recipe is an InputError listing the known recipes', () => {
    let message = '';
    try {
      initialWeights([fc1], { recipe: 'xavier', seed: 0 });
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      message = (error as Error).message;
    }
    expect(message).toMatch(/unknown init recipe 'xavier'/);
    for (const name of initRecipes.names()) expect(message).toContain(name);
  });
});
