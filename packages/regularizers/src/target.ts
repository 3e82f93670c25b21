/**
 * `target`: an equality constraint on the ticket's expected density, E[density] = 1 - target,
 * enforced by a Lagrange multiplier raised or lowered by dual ascent (Platt and Barr, "Constrained
 * differential optimization", NIPS 1987). The expected density uses P(z > 1/2), the probability
 * behind the binary mask, so the final ticket's sparsity lands on the target. The multiplier may
 * go negative: the task loss itself closes gates, and a one-sided constraint overshoots.
 * An augmented-Lagrangian term (rho / 2) * violation^2 (Hestenes 1969; Powell 1969) answers a
 * violation at once, where the multiplier alone lags and overshoots (integral windup).
 * `decision` weighs the expected undecided weights, P(0 < z < 1), per weight the ticket keeps
 * (the undecided fraction divided by 1 - target): what rounding them to the binary mask changes
 * is measured against what the ticket keeps, so a 0.9 ticket needs the push to decide five times
 * as much as a 0.5 ticket (on LeNet-300-100, 0.1 beat both a flat 1 and none at 0.5 and 0.9).
 */
import { check } from '@slt/core';
import { add, keep, mul, type Scalar, scalar, sub, tidy, variable } from '@tensorflow/tfjs-core';
import { expectedDecision, expectedDensity } from './gated-group.js';
import type { Regularizer, RegularizerOptions } from './regularizer.js';

/** Creates the `target` regulariser; `targetSparsity` is required. */
export function targetSparsity(options: RegularizerOptions = {}): Regularizer {
  const target = options.targetSparsity;
  check(
    target !== undefined && target > 0 && target < 1,
    `target regulariser: target sparsity must be in (0, 1), got ${target}`,
  );
  const dualLr = options.dualLr ?? 0.05;
  const rho = options.penalty ?? 0;
  const decision = (options.decision ?? 0) / (1 - target);
  // Kept on the backend so the per-step update never waits for a device read.
  const lambda = tidy(() => variable(scalar(options.lambda ?? 0), false));
  const violation = (density: Scalar): Scalar => sub(density, scalar(1 - target)) as Scalar;
  // The violation measured by the last `loss` call: the dual step reuses it (simultaneous
  // gradient descent-ascent) instead of evaluating every gate's P(keep) a second time.
  let measured: Scalar | undefined;
  return {
    name: 'target',
    get lambda() {
      return lambda.dataSync()[0] as number;
    },
    loss: (groups) =>
      tidy(() => {
        // With the decision penalty, both sums come from one pass over each gate tensor.
        const [density, undecided] = decision > 0 ? expectedDecision(groups) : [expectedDensity(groups), undefined];
        const v = violation(density);
        measured?.dispose();
        measured = keep(v);
        const constraint = mul(v, add(lambda, mul(v, scalar(rho / 2))));
        return (undecided === undefined ? constraint : add(constraint, mul(undecided, scalar(decision)))) as Scalar;
      }),
    update: (groups) => {
      tidy(() => lambda.assign(add(lambda, mul(measured ?? violation(expectedDensity(groups)), scalar(dualLr)))));
      measured?.dispose();
      measured = undefined;
    },
    state: () => ({ lambda: lambda.dataSync()[0] as number }),
    dispose: () => {
      measured?.dispose();
      lambda.dispose();
    },
    restore: (state) => {
      if (state.lambda !== undefined) lambda.assign(scalar(state.lambda));
    },
  };
}
