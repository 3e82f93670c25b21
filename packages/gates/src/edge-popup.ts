/**
 * edge-popup (Ramanujan, Wortsman, Kembhavi, Farhadi and Rastegari, "What's hidden in a randomly
 * weighted neural network?", CVPR 2020): every weight has a real-valued score; the mask keeps the
 * top-k entries by |score| in each layer (each gate tensor), and the gradient with respect to the
 * mask passes unchanged to |score| (straight-through), hence to the score times its sign, as in the
 * authors' code, where the mask is taken of `scores.abs()` inside autograd. (Passing it to the raw
 * score instead pushes a useful negative score towards 0, out of the top-k: the search diverges.) Scores start kaiming-uniform over the
 * weight's fan-in with a = sqrt(5), i.e. U(-1/sqrt(fanIn), 1/sqrt(fanIn)), as in the authors' code.
 */
import { streamKey, uniforms } from '@slt/core';
import { abs, type Tensor, tensor, tidy, type Variable, variable } from '@tensorflow/tfjs-core';
import type { Gate, GateOptions } from './gate.js';
import { maskRuleGate } from './mask-rule.js';
import { straightThrough } from './straight-through.js';
import { keptCount, topKMask } from './top-k.js';

/** Options of the `edge-popup` gate. */
export interface EdgePopupGateOptions extends GateOptions {
  /** Fraction of the gate's entries removed, exactly round(targetSparsity * n) (default 0.5). */
  readonly targetSparsity?: number;
  /** Inputs per output unit of the gated weight (default: product of all axes but the last). */
  readonly fanIn?: number;
  /** Seed of the score init; the stream is named after the gate (default 0). */
  readonly seed?: number;
}

/** The fan-in the gate assumes for a weight of `shape` when none is given: all axes but the last. */
function defaultFanIn(shape: readonly number[]): number {
  return Math.max(
    1,
    shape.slice(0, -1).reduce((a, b) => a * b, 1),
  );
}

/** Creates an `edge-popup` gate of `shape`: a top-k mask over learned scores. */
export function edgePopupGate(shape: readonly number[], options: EdgePopupGateOptions = {}): Gate {
  const sparsity = options.targetSparsity ?? 0.5;
  if (!(sparsity >= 0 && sparsity < 1))
    throw new RangeError(`edge-popup gate: targetSparsity must be in [0, 1), got ${sparsity}`);
  const fanIn = options.fanIn ?? defaultFanIn(shape);
  if (!(fanIn > 0)) throw new RangeError(`edge-popup gate: fanIn must be > 0, got ${fanIn}`);
  const name = options.name ?? 'gate';
  const n = shape.reduce((a, b) => a * b, 1);
  const k = keptCount(n, sparsity);
  const bound = 1 / Math.sqrt(fanIn);
  const u = uniforms(streamKey(options.seed ?? 0, `${name}/scores`), n);
  const init = new Float32Array(n);
  for (let i = 0; i < n; i++) init[i] = (2 * u[i] - 1) * bound;
  const scores: Variable = tidy(() =>
    variable(
      tensor(init, [...shape]),
      options.trainable ?? true,
      options.name === undefined ? undefined : `${name}/scores`,
    ),
  );
  const mask = (): Tensor => topKMask(scores, k);
  return maskRuleGate({
    kind: 'edge-popup',
    shape,
    params: () => [scores],
    sample: () => tidy(() => straightThrough(abs(scores), (magnitude) => topKMask(magnitude, k))),
    mask,
    dispose: () => scores.dispose(),
  });
}
