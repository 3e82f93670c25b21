/**
 * The Swin Transformer (Liu et al. 2021, "Swin Transformer: hierarchical vision transformer using
 * shifted windows"): self-attention inside w x w windows, windows shifted by w/2 in every second
 * block (with the cyclic shift and mask of the paper), a relative position bias per head, and
 * patch merging (2x2 neighbours -> layer norm -> linear 4C -> 2C) between stages. Small-image
 * form: patches of `patch` pixels (default 2) and windows of `window` tokens (default 4), the
 * input zero-padded to a multiple of patch * 2^(stages - 1) (Fashion-MNIST's 28 -> 32); a window
 * as large as the stage's resolution is clamped to it and not shifted, as in the paper's code.
 * No biases, layer norm without affine parameters, the relative position bias tables frozen at
 * random like every weight (not prunable). Size `tiny`: dim 96, depths 2-2-6-2, heads 3-6-12-24.
 * Options: `size`, `dim`, `depths`, `heads`, `window`, `patch`, `mlpRatio`.
 */
import { check } from '@slt/core';
import {
  add,
  concat,
  gather,
  mean,
  pad,
  reshape,
  slice,
  type Tensor,
  tensor1d,
  tensor3d,
  transpose,
} from '@tensorflow/tfjs-core';
import { attentionParams, blockActivationFloats, mlp, mlpParams, selfAttention } from './attention.js';
import { dense } from './dense.js';
import type { Model, ModelArgs, ParamSpec, Weights } from './model.js';
import { layerNorm } from './norm.js';
import { choiceOption, imageShape, intListOption, intOption, numberOption } from './options.js';
import { EMBEDDING_FAN_IN, patchify } from './vit.js';

const SIZES = {
  tiny: { dim: 96, depths: [2, 2, 6, 2], heads: [3, 6, 12, 24] },
} as const;

/** The score added between tokens of different regions of a shifted window (as in the paper). */
const MASKED = -100;

/** Cyclic shift along spatial axes 1 and 2 by `-shift` (torch.roll(x, (-s, -s), (1, 2))) or back. */
function roll(x: Tensor, shift: number): Tensor {
  let y = x;
  for (const axis of [1, 2]) {
    const n = y.shape[axis] as number;
    const s = ((shift % n) + n) % n; // y'[i] = y[(i + s) mod n]
    const begin = [0, 0, 0, 0];
    const size = [...y.shape] as number[];
    const head = { begin: [...begin], size: [...size] };
    head.begin[axis] = s;
    head.size[axis] = n - s;
    const tail = { begin: [...begin], size: [...size] };
    tail.size[axis] = s;
    y = concat([slice(y, head.begin, head.size), slice(y, tail.begin, tail.size)], axis);
  }
  return y;
}

/** (b, h, w, c) -> (b * windows, win * win, c) */
function partition(x: Tensor, win: number): Tensor {
  const [b, h, w, c] = x.shape;
  const grid = reshape(x, [b, h / win, win, w / win, win, c]);
  return reshape(transpose(grid, [0, 1, 3, 2, 4, 5]), [-1, win * win, c]);
}

/** (b * windows, win * win, c) -> (b, h, w, c) */
function unpartition(x: Tensor, b: number, h: number, w: number, win: number): Tensor {
  const c = x.shape[2] as number;
  const grid = reshape(x, [b, h / win, w / win, win, win, c]);
  return reshape(transpose(grid, [0, 1, 3, 2, 4, 5]), [b, h, w, c]);
}

/** Index into the ((2w - 1)^2, heads) bias table for every (query, key) pair of a window: (w^2 * w^2). */
function relativeIndex(win: number): Int32Array {
  const n = win * win;
  const index = new Int32Array(n * n);
  for (let p = 0; p < n; p++) {
    for (let q = 0; q < n; q++) {
      const dh = Math.floor(p / win) - Math.floor(q / win) + win - 1;
      const dw = (p % win) - (q % win) + win - 1;
      index[p * n + q] = dh * (2 * win - 1) + dw;
    }
  }
  return index;
}

/** The shifted-window mask (windows, w^2, w^2): 0 within a region, {@link MASKED} across regions. */
function shiftMask(h: number, w: number, win: number, shift: number): Float32Array {
  const region = (i: number, n: number) => (i < n - win ? 0 : i < n - shift ? 1 : 2);
  const nh = h / win;
  const nw = w / win;
  const n = win * win;
  const mask = new Float32Array(nh * nw * n * n);
  for (let wy = 0; wy < nh; wy++) {
    for (let wx = 0; wx < nw; wx++) {
      const labels = Array.from(
        { length: n },
        (_, p) => region(wy * win + Math.floor(p / win), h) * 3 + region(wx * win + (p % win), w),
      );
      const offset = (wy * nw + wx) * n * n;
      for (let p = 0; p < n; p++) {
        for (let q = 0; q < n; q++) mask[offset + p * n + q] = labels[p] === labels[q] ? 0 : MASKED;
      }
    }
  }
  return mask;
}

/** One block's fixed geometry. */
interface BlockPlan {
  readonly prefix: string;
  readonly heads: number;
  readonly window: number;
  readonly shift: number;
  readonly index: Int32Array;
  readonly mask?: Float32Array;
}

/** Builds a Swin Transformer from the data set's shape and the options above. */
export function swin(args: ModelArgs): Model {
  const name = 'swin';
  const [height, width, channels] = imageShape(args, name);
  const size = choiceOption(args, 'size', ['tiny'] as const, 'tiny', name);
  const dim = intOption(args, 'dim', SIZES[size].dim, name);
  const depths = intListOption(args, 'depths', SIZES[size].depths, name);
  const heads = intListOption(args, 'heads', SIZES[size].heads, name);
  const window = intOption(args, 'window', 4, name);
  const patch = intOption(args, 'patch', 2, name);
  const mlpRatio = numberOption(args, 'mlpRatio', 4, name);
  check(heads.length === depths.length, `${name}: heads lists ${heads.length} stages, depths ${depths.length}`);
  const multiple = patch * 2 ** (depths.length - 1);
  const paddedHeight = Math.ceil(height / multiple) * multiple;
  const paddedWidth = Math.ceil(width / multiple) * multiple;
  const patchInputs = patch * patch * channels;
  const params: ParamSpec[] = [
    { name: 'patch_embed.weight', shape: [patchInputs, dim], prunable: true, fanIn: patchInputs, unitAxis: 1 },
  ];
  const stages: BlockPlan[][] = [];
  let h = paddedHeight / patch;
  let w = paddedWidth / patch;
  let c = dim;
  let activationFloats = 0;
  depths.forEach((depth, s) => {
    check(c % heads[s] === 0, `${name}: stage ${s + 1} width ${c} does not split into ${heads[s]} heads`);
    const win = Math.min(window, h, w);
    check(h % win === 0 && w % win === 0, `${name}: window ${win} does not divide stage ${s + 1}'s ${h}x${w} tokens`);
    const plans: BlockPlan[] = [];
    activationFloats += depth * blockActivationFloats(h * w, c, Math.round(c * mlpRatio), heads[s], win * win);
    for (let i = 0; i < depth; i++) {
      const prefix = `layers.${s}.blocks.${i}`;
      const shift = i % 2 === 1 && win < Math.min(h, w) ? Math.floor(win / 2) : 0;
      params.push(...attentionParams(`${prefix}.attn`, c, heads[s]), {
        name: `${prefix}.attn.rel_bias`,
        shape: [(2 * win - 1) ** 2, heads[s]],
        prunable: false,
        fanIn: EMBEDDING_FAN_IN,
      });
      params.push(...mlpParams(`${prefix}.mlp`, c, Math.round(c * mlpRatio)));
      plans.push({
        prefix,
        heads: heads[s],
        window: win,
        shift,
        index: relativeIndex(win),
        mask: shift > 0 ? shiftMask(h, w, win, shift) : undefined,
      });
    }
    stages.push(plans);
    if (s < depths.length - 1) {
      params.push({
        name: `layers.${s}.merge.weight`,
        shape: [4 * c, 2 * c],
        prunable: true,
        fanIn: 4 * c,
        unitAxis: 1,
      });
      h /= 2;
      w /= 2;
      c *= 2;
    }
  });
  params.push({ name: 'head.weight', shape: [c, args.classes], prunable: true, fanIn: c }); // classes are never removed as units

  const block = (weights: Weights, plan: BlockPlan, x: Tensor): Tensor => {
    const [b, bh, bw, bc] = x.shape;
    const win = plan.window;
    const n = win * win;
    const shifted = plan.shift > 0 ? roll(layerNorm(x), plan.shift) : layerNorm(x);
    const windows = partition(shifted, win); // (b * nW, n, c)
    const bias = transpose(
      reshape(gather(weights[`${plan.prefix}.attn.rel_bias`], tensor1d(plan.index, 'int32')), [n, n, plan.heads]),
      [2, 0, 1],
    ); // (heads, n, n)
    const mask = plan.mask;
    const scoreBias = (scores: Tensor): Tensor => {
      const biased = add(scores, bias); // (b * nW, heads, n, n)
      if (mask === undefined) return biased;
      const nW = mask.length / (n * n);
      const masked = add(
        reshape(biased, [-1, nW, plan.heads, n, n]),
        reshape(tensor3d(mask, [nW, n, n]), [nW, 1, n, n]),
      );
      return reshape(masked, [-1, plan.heads, n, n]);
    };
    const attended = unpartition(
      selfAttention(weights, `${plan.prefix}.attn`, windows, plan.heads, scoreBias),
      b,
      bh,
      bw,
      win,
    );
    const y = add(x, plan.shift > 0 ? roll(attended, -plan.shift) : attended);
    const flat = reshape(y, [b, bh * bw, bc]);
    return reshape(add(flat, mlp(weights, `${plan.prefix}.mlp`, layerNorm(flat))), [b, bh, bw, bc]);
  };

  return {
    name,
    args: { ...args, size, dim, depths, heads, window, patch, mlpRatio },
    params,
    inputShape: args.inputShape,
    classes: args.classes,
    activationFloats,
    apply(weights, x) {
      const images = reshape(x, [-1, height, width, channels]);
      const b = images.shape[0];
      const padded =
        paddedHeight === height && paddedWidth === width
          ? images
          : pad(images, [
              [0, 0],
              [0, paddedHeight - height],
              [0, paddedWidth - width],
              [0, 0],
            ]);
      let th = paddedHeight / patch;
      let tw = paddedWidth / patch;
      const embedded = dense(patchify(padded, patch), weights['patch_embed.weight'], true); // (b*t, dim)
      let y = reshape(layerNorm(embedded), [b, th, tw, dim]);
      stages.forEach((plans, s) => {
        for (const plan of plans) y = block(weights, plan, y);
        if (s < stages.length - 1) {
          const cs = y.shape[3] as number;
          const grid = transpose(reshape(y, [b, th / 2, 2, tw / 2, 2, cs]), [0, 1, 3, 2, 4, 5]);
          const merged = layerNorm(reshape(grid, [-1, 4 * cs])); // (b * t/4, 4c)
          th /= 2;
          tw /= 2;
          y = reshape(dense(merged, weights[`layers.${s}.merge.weight`]), [b, th, tw, 2 * cs]);
        }
      });
      const pooled = mean(layerNorm(y), [1, 2]); // (b, c)
      return dense(pooled, weights['head.weight']); // (b, classes)
    },
  };
}
