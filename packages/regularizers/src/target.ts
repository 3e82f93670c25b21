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
 * as much as a 0.5 ticket. It is 0 (off) by default: with gate noise annealed to 0.05 or less and 0/1
 * gates for the second half of a search, the binary ticket is what the search trains anyway, and
 * on unstructured LeNet-300-100 (seeds 0-2, benchmarks/accuracy/recipe-probe.mjs) 0 beat 0.1 on
 * Fashion-MNIST at 0.5 (89.00% against 88.83%) and 0.9 (88.59% against 88.32%).
 * The density counts weights as the ticket does (`countKept` of `@slt/gates`): with structured
 * gates a weight is kept only when its own gate and the unit gate feeding its input keep it, so
 * with independent gates its P(keep) is the product of the two (see {@link expectedDensity}).
 */
import { check } from '@slt/core';
import {
  add,
  customGrad,
  type GradSaveFunc,
  keep,
  mul,
  type Scalar,
  scalar,
  sub,
  type Tensor,
  tidy,
  variable,
} from '@tensorflow/tfjs-core';
import {
  densityOf,
  densityPlan,
  densitySlopes,
  entryKeptSums,
  expectedDensity,
  groupSums,
  weightedTotal,
  weightShares,
} from './gated-group.js';
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
        // Each gate tensor's sums are its own differentiable kernels (with the decision penalty,
        // both sums in one pass); the scalar arithmetic that combines them is one node of the
        // gradient tape with its gradient written out. Taped op by op, those dozen scalar ops and
        // their gradients were ~90 of a LeNet-300-100 step's ~230 kernel calls, a larger share of
        // a step's time than the gate kernels themselves (each call costs tens of microseconds).
        // Structured gates count a weight kept only when the unit feeding its input is kept too:
        // per-unit groups enter the density as products of two sums; a per-entry group fed by
        // unit gates (the classifier) as its own sum of P_own * P_producer, computed by plain ops
        // and passed in as one more input.
        const count = groups.length;
        const sums = groupSums(groups, decision > 0);
        const plan = densityPlan(groups);
        const entries = entryKeptSums(groups, plan);
        const shares = weightShares(groups);
        const products = plan.pairs.length > 0;
        const penalty = customGrad((...args: Array<Tensor | GradSaveFunc>) => {
          const save = args[args.length - 1] as GradSaveFunc;
          // [kept sums (count), per-entry kept sums, undecided sums (count, with decision)]
          const inputs = args.slice(0, -1) as Scalar[];
          const kept = inputs.slice(0, count);
          const undecided = inputs.slice(count + entries.length);
          const v = violation(densityOf(plan, kept, inputs.slice(count, count + entries.length)));
          measured?.dispose();
          measured = keep(v);
          save(products ? [v, ...kept] : [v]);
          const constraint = mul(v, add(lambda, mul(v, scalar(rho / 2))));
          const value =
            undecided.length === 0
              ? constraint
              : add(constraint, mul(weightedTotal(undecided, shares), scalar(decision)));
          return {
            value,
            gradFunc: (dy: Tensor, saved: Tensor[]) => {
              // d/d density of v (lambda + v rho / 2) is lambda + rho v; each sum enters the
              // density by its slope (its coefficient, or the other factor of a product times
              // the coefficient), and the undecided fraction by its group's share of the weights.
              const slope = mul(dy, add(lambda, mul(saved[0] as Tensor, scalar(rho))));
              const undecidedSlope = mul(dy, scalar(decision));
              return [
                ...densitySlopes(plan, products ? saved.slice(1) : kept).map((s) => mul(slope, s)),
                ...plan.entries.map((e) => mul(slope, scalar(e.coefficient))),
                ...undecided.map((_, i) => mul(undecidedSlope, scalar(shares[i] as number))),
              ];
            },
          };
        });
        return penalty(...sums.slice(0, count), ...entries, ...sums.slice(count)) as Scalar;
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
