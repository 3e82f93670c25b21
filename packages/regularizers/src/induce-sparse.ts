/**
 * `induce-sparse`: lambda times the expected fraction of open gates, the expected-L0 penalty of
 * Louizos et al. 2018 normalised by the number of weights the gates cover. Each gate is weighed by
 * its own weights: a group's `input` (the unit gates feeding it) is not looked at.
 */
import { mul, scalar, tidy } from '@tensorflow/tfjs-core';
import { weightedMean } from './gated-group.js';
import type { Regularizer, RegularizerOptions } from './regularizer.js';

/** Creates the `induce-sparse` regulariser (default lambda 1). */
export function induceSparse(options: RegularizerOptions = {}): Regularizer {
  const lambda = options.lambda ?? 1;
  return {
    name: 'induce-sparse',
    lambda,
    loss: (groups) =>
      tidy(() =>
        mul(
          weightedMean(groups, (g) => g.pOpen()),
          scalar(lambda),
        ),
      ),
    update: () => {},
    state: () => ({}),
    restore: () => {},
  };
}
