/**
 * `induce-decision`: the expected-L0 penalty plus the expected fraction of undecided gates,
 * P(0 < z < 1), so the relaxed network the search trains is close to the binary ticket it reports.
 * Both weigh each gate by its own weights: a group's `input` (the unit gates feeding it) is not
 * looked at.
 */
import { add, mul, scalar, tidy } from '@tensorflow/tfjs-core';
import { expectedUndecided, weightedMean } from './gated-group.js';
import type { Regularizer, RegularizerOptions } from './regularizer.js';

/** Creates the `induce-decision` regulariser (default lambda 1). */
export function induceDecision(options: RegularizerOptions = {}): Regularizer {
  const lambda = options.lambda ?? 1;
  return {
    name: 'induce-decision',
    lambda,
    loss: (groups) =>
      tidy(() =>
        mul(
          add(
            weightedMean(groups, (g) => g.pOpen()),
            expectedUndecided(groups),
          ),
          scalar(lambda),
        ),
      ),
    update: () => {},
    state: () => ({}),
    restore: () => {},
  };
}
