import { Registry } from '@slt/core';
import type { SearchConfig } from './config.js';

/** A search method: a gate rule plus the recipe its authors use, applied before user overrides. */
export interface Method {
  readonly name: string;
  readonly description: string;
  /** The method's reference recipe; a config file and flags override it. */
  readonly defaults: Partial<SearchConfig>;
  /** False for `dense`: weights are trained, nothing is gated. */
  readonly gated: boolean;
}

/** Methods by name. */
export const methods = new Registry<Method>('method')
  .register('crbg', {
    name: 'crbg',
    description: 'continuously relaxed Bernoulli gates with a sparsity regulariser (Adam on gate parameters)',
    defaults: { gate: 'gaussian', regularizer: 'target', optimizer: 'adam', lr: 0.03, rescale: 'mask' },
    gated: true,
  })
  .register('dense', {
    name: 'dense',
    description: 'ordinary weight training of the same network (no mask): the accuracy ceiling',
    defaults: { regularizer: 'none', optimizer: 'adam', lr: 0.001, rescale: 'none' },
    gated: false,
  })
  // Baselines: each preset is its authors' recipe, so `--method NAME` alone runs it as they do.
  .register('edge-popup', {
    name: 'edge-popup',
    description:
      'top-k |score| per layer, straight-through to the scores (Ramanujan et al. 2020): SGD momentum 0.9, ' +
      'lr 0.1 on a cosine, weight decay 1e-4, batch 128, signed-constant weights scaled by 1/sqrt(density)',
    defaults: {
      gate: 'edge-popup',
      regularizer: 'none',
      optimizer: 'sgd',
      lr: 0.1,
      momentum: 0.9,
      weightDecay: 1e-4,
      batchSize: 128,
      init: 'signed-constant',
      rescale: 'fixed',
    },
    gated: true,
  })
  .register('supermask', {
    name: 'supermask',
    description:
      'Bernoulli(sigmoid(score)) masks, straight-through (Zhou et al. 2019): scores from 0, SGD momentum 0.9, ' +
      'lr 100, no weight decay, signed-constant weights rescaled by the kept fraction; the ticket keeps sigmoid(score) > 1/2',
    defaults: {
      gate: 'supermask',
      regularizer: 'none',
      optimizer: 'sgd',
      lr: 100,
      momentum: 0.9,
      weightDecay: 0,
      gateInit: 0,
      init: 'signed-constant',
      rescale: 'mask',
    },
    gated: true,
  })
  .register('random', {
    name: 'random',
    description:
      'a fixed uniformly random mask at the target sparsity, nothing trained (the chance-level control); ' +
      'signed-constant weights scaled by 1/sqrt(density)',
    defaults: { gate: 'random', regularizer: 'none', init: 'signed-constant', rescale: 'fixed', epochs: 1 },
    gated: true,
  });
