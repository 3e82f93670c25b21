/**
 * Init recipes: how each frozen weight is drawn from (seed, parameter name). Scales follow He et
 * al. 2015 (gain sqrt(2) for ReLU-like nets, fan-in mode); `signed-constant` is the weight
 * distribution of Ramanujan et al. 2020 ("What's hidden in a randomly weighted neural network?").
 */

import { normals, Registry, streamKey, uniforms } from '@slt/core';
import type { ParamSpec } from './model.js';

/** Draws `count` values for one parameter from its stream (an array of float64). */
export type InitRecipe = (spec: ParamSpec, seed: number) => Float64Array;

const GAIN = Math.SQRT2;

function standardDeviation(spec: ParamSpec): number {
  return GAIN / Math.sqrt(spec.fanIn);
}

function size(spec: ParamSpec): number {
  return spec.shape.reduce((a, b) => a * b, 1);
}

function scaleInPlace(values: Float64Array, map: (u: number) => number): Float64Array {
  for (let i = 0; i < values.length; i++) values[i] = map(values[i]);
  return values;
}

/** The registry of init recipes by name. */
export const initRecipes = new Registry<InitRecipe>('init recipe')
  .register('signed-constant', (spec, seed) => {
    const std = standardDeviation(spec);
    return scaleInPlace(uniforms(streamKey(seed, spec.name), size(spec)), (u) => (u < 0.5 ? -std : std));
  })
  .register('kaiming-normal', (spec, seed) => {
    const std = standardDeviation(spec);
    return scaleInPlace(normals(streamKey(seed, spec.name), size(spec)), (z) => z * std);
  })
  .register('kaiming-uniform', (spec, seed) => {
    const bound = Math.sqrt(3) * standardDeviation(spec);
    return scaleInPlace(uniforms(streamKey(seed, spec.name), size(spec)), (u) => (2 * u - 1) * bound);
  })
  .register('uniform', (spec, seed) => {
    // U(-1/sqrt(fanIn), 1/sqrt(fanIn)): the default layer init of PyTorch's nn.Linear / nn.Conv2d.
    const bound = 1 / Math.sqrt(spec.fanIn);
    return scaleInPlace(uniforms(streamKey(seed, spec.name), size(spec)), (u) => (2 * u - 1) * bound);
  });

/** Options of {@link initialWeights}. */
export interface InitOptions {
  /** Registered recipe name (see {@link initRecipes}). */
  readonly recipe: string;
  readonly seed: number;
  /**
   * Multiply every prunable weight by 1/sqrt(density), as edge-popup's `scale_fan` intends for a
   * ticket that keeps `density` of the weights. 1 (the default) leaves weights unscaled.
   */
  readonly density?: number;
}

/**
 * The frozen initial weights of `params` as float32 arrays by name. Non-prunable parameters
 * (none in the current models) use the same recipe. Identical on every platform.
 */
export function initialWeights(params: readonly ParamSpec[], options: InitOptions): Map<string, Float32Array> {
  const recipe = initRecipes.get(options.recipe);
  const density = options.density ?? 1;
  if (!(density > 0 && density <= 1)) throw new RangeError(`density must be in (0, 1], got ${density}`);
  const factor = 1 / Math.sqrt(density);
  const out = new Map<string, Float32Array>();
  for (const spec of params) {
    const values = recipe(spec, options.seed);
    const scale = spec.prunable ? factor : 1;
    const weights = new Float32Array(values.length);
    for (let i = 0; i < values.length; i++) weights[i] = values[i] * scale;
    out.set(spec.name, weights);
  }
  return out;
}
