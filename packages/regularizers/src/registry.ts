import { Registry } from '@slt/core';
import { induceDecision } from './induce-decision.js';
import { induceSparse } from './induce-sparse.js';
import type { Regularizer, RegularizerOptions } from './regularizer.js';
import { targetSparsity } from './target.js';

/** Makes a regulariser from its options. */
export type RegularizerFactory = (options: RegularizerOptions) => Regularizer;

/** No penalty: for methods whose mask rule fixes the sparsity (edge-popup, random) and for `dense`. */
export function noRegularizer(): Regularizer {
  return {
    name: 'none',
    lambda: 0,
    loss: () => {
      throw new Error('the `none` regulariser has no loss; the trainer skips it');
    },
    update: () => {},
    state: () => ({}),
    restore: () => {},
  };
}

/** Regularisers by name. */
export const regularizers = new Registry<RegularizerFactory>('regularizer')
  .register('target', targetSparsity)
  .register('induce-sparse', induceSparse)
  .register('induce-decision', induceDecision)
  .register('none', noRegularizer);

/** Creates the regulariser `name`; an unknown name throws with the known names. */
export function createRegularizer(name: string, options: RegularizerOptions = {}): Regularizer {
  return regularizers.get(name)(options);
}
