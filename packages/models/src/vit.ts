/**
 * The Vision Transformer (Dosovitskiy et al. 2021, "An image is worth 16x16 words"), pre-norm, in
 * a small-image form: patches of `patch` pixels (default 4: 8x8 tokens on CIFAR-10, 7x7 on
 * Fashion-MNIST), a frozen random position embedding, no class token (the tokens are averaged
 * before the head), no biases and layer norm without affine parameters. Sizes after DeiT
 * (Touvron et al. 2021): `tiny` (dim 192, 3 heads), `small` (384, 6), `base` (768, 12), 12
 * layers each, MLP ratio 4. Options: `size`, and `dim`, `heads`, `layers`, `mlpRatio`, `patch`
 * to override it.
 */
import { check } from '@slt/core';
import { add, mean, reshape, type Tensor, transpose } from '@tensorflow/tfjs-core';
import { attentionParams, blockActivationFloats, mlp, mlpParams, selfAttention } from './attention.js';
import { dense } from './dense.js';
import type { Model, ModelArgs, ParamSpec } from './model.js';
import { layerNorm } from './norm.js';
import { choiceOption, imageShape, intOption, numberOption } from './options.js';

/**
 * The fan-in given to position embeddings and bias tables, which have none: the init recipes'
 * scale sqrt(2 / fanIn) is then 0.02, the trunc-normal(0.02) scale of ViT's and Swin's own init.
 */
export const EMBEDDING_FAN_IN = 5000;

const SIZES = {
  tiny: { dim: 192, heads: 3, layers: 12 },
  small: { dim: 384, heads: 6, layers: 12 },
  base: { dim: 768, heads: 12, layers: 12 },
} as const;

/** Splits an image into non-overlapping p x p patches: (b, h, w, c) -> (b * tokens, p * p * c). */
export function patchify(x: Tensor, patch: number): Tensor {
  const [b, h, w, c] = x.shape;
  const grid = reshape(x, [b, h / patch, patch, w / patch, patch, c]);
  return reshape(transpose(grid, [0, 1, 3, 2, 4, 5]), [-1, patch * patch * c]);
}

/** Builds a ViT from the data set's shape and the options above. */
export function vit(args: ModelArgs): Model {
  const name = 'vit';
  const [height, width, channels] = imageShape(args, name);
  const size = choiceOption(args, 'size', ['tiny', 'small', 'base'] as const, 'tiny', name);
  const dim = intOption(args, 'dim', SIZES[size].dim, name);
  const heads = intOption(args, 'heads', SIZES[size].heads, name);
  const layers = intOption(args, 'layers', SIZES[size].layers, name);
  const mlpRatio = numberOption(args, 'mlpRatio', 4, name);
  const patch = intOption(args, 'patch', 4, name);
  check(dim % heads === 0, `${name}: dim ${dim} does not split into ${heads} heads`);
  check(
    height % patch === 0 && width % patch === 0,
    `${name}: patch ${patch} does not divide the ${height}x${width} input`,
  );
  const tokens = (height / patch) * (width / patch);
  const hidden = Math.round(dim * mlpRatio);
  const patchInputs = patch * patch * channels;
  const params: ParamSpec[] = [
    { name: 'patch_embed.weight', shape: [patchInputs, dim], prunable: true, fanIn: patchInputs, unitAxis: 1 },
    { name: 'pos_embed', shape: [tokens, dim], prunable: false, fanIn: EMBEDDING_FAN_IN },
  ];
  for (let i = 0; i < layers; i++) {
    params.push(...attentionParams(`blocks.${i}.attn`, dim, heads), ...mlpParams(`blocks.${i}.mlp`, dim, hidden));
  }
  params.push({ name: 'head.weight', shape: [dim, args.classes], prunable: true, fanIn: dim }); // classes are never removed as units
  return {
    name,
    args: { ...args, size, dim, heads, layers, mlpRatio, patch },
    params,
    inputShape: args.inputShape,
    classes: args.classes,
    activationFloats: layers * blockActivationFloats(tokens, dim, hidden, heads, tokens),
    apply(weights, x) {
      const images = reshape(x, [-1, height, width, channels]);
      const batch = images.shape[0];
      const embedded = dense(patchify(images, patch), weights['patch_embed.weight'], true); // (b*t, dim)
      let h = add(reshape(embedded, [batch, tokens, dim]), weights.pos_embed); // (b, t, dim)
      for (let i = 0; i < layers; i++) {
        h = add(h, selfAttention(weights, `blocks.${i}.attn`, layerNorm(h), heads));
        h = add(h, mlp(weights, `blocks.${i}.mlp`, layerNorm(h)));
      }
      const pooled = mean(layerNorm(h), 1); // (b, dim)
      return dense(pooled, weights['head.weight']); // (b, classes)
    },
  };
}
