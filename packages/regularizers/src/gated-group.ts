import type { Gate } from '@slt/gates';
import { addN, mul, type Scalar, scalar, sum, type Tensor, tidy } from '@tensorflow/tfjs-core';

/** One gate tensor and how many weights each of its gates covers (1 unstructured, a unit's size otherwise). */
export interface GatedGroup {
  readonly gate: Gate;
  readonly weightsPerGate: number;
}

/** Total number of weights that `groups` cover. */
export function coveredWeights(groups: readonly GatedGroup[]): number {
  return groups.reduce((total, g) => total + g.weightsPerGate * g.gate.shape.reduce((a, b) => a * b, 1), 0);
}

/** Each group's share of the covered weights: its weights per gate over the covered total. */
export function weightShares(groups: readonly GatedGroup[]): number[] {
  const total = coveredWeights(groups);
  return groups.map((g) => g.weightsPerGate / total);
}

/** sum_i shares[i] * sums[i]: per-group sums of a per-gate probability weighed into a fraction of the covered weights. */
export function weightedTotal(sums: readonly Tensor[], shares: readonly number[]): Scalar {
  const parts = sums.map((s, i) => mul(s, scalar(shares[i] as number)));
  return (parts.length === 1 ? parts[0] : addN(parts)) as Scalar;
}

/**
 * The weight-weighted mean of a per-gate probability over all groups (`probability` returns the
 * per-gate values or already their sum): e.g. with `pKeep`, the expected fraction of weights the
 * ticket keeps (its expected density). Differentiable.
 */
export function weightedMean(groups: readonly GatedGroup[], probability: (gate: Gate) => Tensor): Scalar {
  return tidy(() =>
    weightedTotal(
      groups.map((g) => sum(probability(g.gate))),
      weightShares(groups),
    ),
  );
}

/**
 * The expected fraction of covered weights the binary masks keep: the weight-weighted mean of
 * P(z > 1/2), through a gate's fused `keepSum` where it has one. Differentiable.
 */
export function expectedDensity(groups: readonly GatedGroup[]): Scalar {
  return weightedMean(groups, keptSum);
}

/** sum P(z > 1/2) of one gate tensor, through its fused `keepSum` where it has one. */
function keptSum(gate: Gate): Tensor {
  return gate.keepSum?.() ?? sum(gate.pKeep());
}

/** sum P(0 < z < 1) of one gate tensor, through its fused `undecidedSum` where it has one. */
function undecidedSum(gate: Gate): Tensor {
  return gate.undecidedSum?.() ?? sum(gate.pUndecided());
}

/**
 * Each group's sum of P(z > 1/2), then (when `undecided`) each group's sum of P(0 < z < 1), both
 * from one pass over each gate tensor where its gate has `decisionSums`. Differentiable.
 */
export function groupSums(groups: readonly GatedGroup[], undecided: boolean): Scalar[] {
  if (!undecided) return groups.map((g) => keptSum(g.gate) as Scalar);
  const pairs = groups.map(({ gate }) => gate.decisionSums?.() ?? [keptSum(gate), undecidedSum(gate)]);
  return [...pairs.map((p) => p[0] as Scalar), ...pairs.map((p) => p[1] as Scalar)];
}

/**
 * [expectedDensity, expectedUndecided] together, through a gate's one-pass `decisionSums`
 * where it has one. Differentiable.
 */
export function expectedDecision(groups: readonly GatedGroup[]): [Scalar, Scalar] {
  return tidy(() => {
    const sums = groupSums(groups, true);
    const shares = weightShares(groups);
    return [weightedTotal(sums.slice(0, groups.length), shares), weightedTotal(sums.slice(groups.length), shares)];
  });
}

/** The expected fraction of covered weights whose gates are undecided, P(0 < z < 1). Differentiable. */
export function expectedUndecided(groups: readonly GatedGroup[]): Scalar {
  return weightedMean(groups, undecidedSum);
}
