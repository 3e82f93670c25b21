/**
 * Multi-head self-attention (Vaswani et al. 2017, "Attention is all you need") without biases,
 * over the flat weights of a pure model: separate query, key, value and output projections, so a
 * structured gate can remove one head from all four (see the ParamSpecs made by
 * {@link attentionParams}). GELU as in Hendrycks & Gimpel 2016.
 */
import {
  add,
  customGrad,
  div,
  erf,
  type GradSaveFunc,
  matMul,
  mul,
  reshape,
  scalar,
  softmax,
  type Tensor,
  type Tensor3D,
  transpose,
} from '@tensorflow/tfjs-core';
import { dense } from './dense.js';
import type { ParamSpec, Weights } from './model.js';

/**
 * Batched a @ b for a (n, t, k) and b (n, k, m) with a gradient that transposes explicitly (the
 * WASM backend runs matMul's transposed forms ~10x slower than a transpose and a plain matMul).
 */
export const batchMatMul = customGrad((...args: Array<Tensor | GradSaveFunc>) => {
  const [a, b, save] = args as [Tensor3D, Tensor3D, GradSaveFunc];
  save([a, b]);
  return {
    value: matMul(a, b),
    gradFunc: (dy: Tensor, saved: Tensor[]) => {
      const [as, bs] = saved as Tensor3D[];
      const d = dy as Tensor3D;
      return [matMul(d, transpose(bs, [0, 2, 1])), matMul(transpose(as, [0, 2, 1]), d)];
    },
  };
}) as (a: Tensor, b: Tensor) => Tensor;

/** GELU, x * Phi(x), with the exact normal CDF. */
export function gelu(x: Tensor): Tensor {
  return mul(mul(x, scalar(0.5)), add(scalar(1), erf(mul(x, scalar(Math.SQRT1_2)))));
}

/**
 * The four projections of one attention layer of width `dim` with `heads` heads: q, k, v map
 * (dim -> dim) with output units grouped by head; the output projection's *input* rows are the
 * heads' outputs. All four share one `unitGroup`, so one structured gate = one head.
 */
export function attentionParams(prefix: string, dim: number, heads: number): ParamSpec[] {
  const headSize = dim / heads;
  const group = `${prefix}.heads`;
  const projection = (name: string, unitAxis: number): ParamSpec => ({
    name: `${prefix}.${name}.weight`,
    shape: [dim, dim],
    prunable: true,
    fanIn: dim,
    unitAxis,
    unitGroup: group,
    unitSize: headSize,
  });
  return [projection('q', 1), projection('k', 1), projection('v', 1), projection('proj', 0)];
}

/** (n, t, heads * hs) -> (n * heads, t, hs) */
function splitHeads(x: Tensor, n: number, t: number, heads: number): Tensor {
  return reshape(transpose(reshape(x, [n, t, heads, -1]), [0, 2, 1, 3]), [n * heads, t, -1]);
}

/**
 * Self-attention of x (n, t, dim) with the projections of {@link attentionParams} under `prefix`.
 * `scoreBias`, when given, is added to the scaled scores reshaped (n, heads, t, t) before the
 * softmax (Swin's relative position bias and shifted-window mask). Returns (n, t, dim).
 */
export function selfAttention(
  weights: Weights,
  prefix: string,
  x: Tensor,
  heads: number,
  scoreBias?: (scores: Tensor) => Tensor,
): Tensor {
  const [n, t, dim] = x.shape;
  const flat = reshape(x, [n * t, dim]);
  const q = splitHeads(dense(flat, weights[`${prefix}.q.weight`]), n, t, heads); // (n*h, t, hs)
  const k = splitHeads(dense(flat, weights[`${prefix}.k.weight`]), n, t, heads);
  const v = splitHeads(dense(flat, weights[`${prefix}.v.weight`]), n, t, heads);
  let scores = div(batchMatMul(q, transpose(k, [0, 2, 1])), scalar(Math.sqrt(dim / heads))); // (n*h, t, t)
  if (scoreBias !== undefined) scores = reshape(scoreBias(reshape(scores, [n, heads, t, t])), [n * heads, t, t]);
  const mixed = batchMatMul(softmax(scores), v); // (n*h, t, hs)
  const merged = reshape(transpose(reshape(mixed, [n, heads, t, -1]), [0, 2, 1, 3]), [n * t, dim]);
  return reshape(dense(merged, weights[`${prefix}.proj.weight`]), [n, t, dim]);
}

/**
 * Floats of activation one example's transformer block allocates in a forward pass, for
 * a model's `activationFloats`: per token about 24 tensors of width `dim`, 4 of the MLP's width
 * and 4 of the `heads` attention rows over `keysPerQuery` keys (the layer norms, projections,
 * reshapes, transposes and GELU all allocate). Calibrated on ViT-tiny with WASM: 18.4 MiB per
 * 28x28 example measured, 18.6 MiB estimated.
 */
export function blockActivationFloats(
  tokens: number,
  dim: number,
  hidden: number,
  heads: number,
  keysPerQuery: number,
): number {
  return tokens * (24 * dim + 4 * hidden + 4 * heads * keysPerQuery);
}

/** The two projections of a transformer MLP; one structured gate per hidden unit (fc1 column + fc2 row). */
export function mlpParams(prefix: string, dim: number, hidden: number): ParamSpec[] {
  const group = `${prefix}.hidden`;
  return [
    { name: `${prefix}.fc1.weight`, shape: [dim, hidden], prunable: true, fanIn: dim, unitAxis: 1, unitGroup: group },
    {
      name: `${prefix}.fc2.weight`,
      shape: [hidden, dim],
      prunable: true,
      fanIn: hidden,
      unitAxis: 0,
      unitGroup: group,
    },
  ];
}

/** The transformer MLP: (n, t, dim) -> gelu(x @ fc1) @ fc2 -> (n, t, dim). */
export function mlp(weights: Weights, prefix: string, x: Tensor): Tensor {
  const [n, t, dim] = x.shape;
  const hidden = gelu(dense(reshape(x, [n * t, dim]), weights[`${prefix}.fc1.weight`]));
  return reshape(dense(hidden, weights[`${prefix}.fc2.weight`]), [n, t, dim]);
}
