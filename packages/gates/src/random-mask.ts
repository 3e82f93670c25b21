/**
 * The random-mask baseline: a fixed mask that removes exactly round(sparsity * n) entries chosen
 * uniformly at random, the control of Ramanujan et al. 2020 and Zhou et al. 2019 (a random
 * subnetwork of a random network scores near chance). Nothing is trainable.
 */
import { randomWords, streamKey } from '@slt/core';
import { keep, type Tensor, tensor, tidy } from '@tensorflow/tfjs-core';
import type { Gate, GateOptions } from './gate.js';
import { maskRuleGate } from './mask-rule.js';
import { keptCount } from './top-k.js';

/** Options of the `random` gate. */
export interface RandomMaskOptions extends GateOptions {
  /** Fraction of entries removed, exactly round(targetSparsity * n) (default 0.5). */
  readonly targetSparsity?: number;
  /** Seed; the stream is named after the gate (default 0). */
  readonly seed?: number;
}

/**
 * The 0/1 values of a random mask of `n` entries that keeps `k`, drawn from `slt`'s Philox stream
 * (seed, `${name}/mask`) by a partial Fisher-Yates shuffle: identical bits on every platform.
 */
export function randomMaskValues(n: number, k: number, seed: number, name: string): Float32Array {
  if (!(Number.isInteger(k) && k >= 0 && k <= n)) throw new RangeError(`k must be an integer in [0, ${n}], got ${k}`);
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const words = randomWords(streamKey(seed, `${name}/mask`), k);
  for (let i = 0; i < k; i++) {
    // Swap a uniformly chosen entry of order[i..n) into position i (2^-32 bias on j is negligible).
    const j = i + Math.floor((words[i] / 0x100000000) * (n - i));
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  const values = new Float32Array(n);
  for (let i = 0; i < k; i++) values[order[i]] = 1;
  return values;
}

/** Creates a `random` gate of `shape`: a fixed mask at `targetSparsity`, with no parameters. */
export function randomMaskGate(shape: readonly number[], options: RandomMaskOptions = {}): Gate {
  const sparsity = options.targetSparsity ?? 0.5;
  if (!(sparsity >= 0 && sparsity <= 1))
    throw new RangeError(`random gate: targetSparsity must be in [0, 1], got ${sparsity}`);
  const n = shape.reduce((a, b) => a * b, 1);
  const values = randomMaskValues(n, keptCount(n, sparsity), options.seed ?? 0, options.name ?? 'gate');
  const fixed = keep(tensor(values, [...shape])); // outlives any tidy the caller is in
  const mask = (): Tensor => tidy(() => fixed.clone());
  return maskRuleGate({
    kind: 'random',
    shape,
    params: () => [],
    sample: mask,
    mask,
    dispose: () => fixed.dispose(),
  });
}
