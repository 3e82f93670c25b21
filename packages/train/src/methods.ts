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
    defaults: { gate: 'gaussian', regularizer: 'target', optimizer: 'adam', lr: 0.05, rescale: 'mask' },
    gated: true,
  })
  .register('dense', {
    name: 'dense',
    description: 'ordinary weight training of the same network (no mask): the accuracy ceiling',
    defaults: { regularizer: 'none', optimizer: 'adam', lr: 0.001, rescale: 'none' },
    gated: false,
  });
