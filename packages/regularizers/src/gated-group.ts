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

/**
 * The weight-weighted mean of a per-gate probability over all groups (`probability` returns the
 * per-gate values or already their sum): e.g. with `pKeep`, the expected fraction of weights the
 * ticket keeps (its expected density). Differentiable.
 */
export function weightedMean(groups: readonly GatedGroup[], probability: (gate: Gate) => Tensor): Scalar {
  return tidy(() =>
    meanOfSums(
      groups,
      groups.map((g) => sum(probability(g.gate))),
    ),
  );
}

/** The weight-weighted mean over groups of per-group sums of a per-gate probability. */
function meanOfSums(groups: readonly GatedGroup[], sums: readonly Tensor[]): Scalar {
  const total = coveredWeights(groups);
  const parts = groups.map((g, i) => mul(sums[i] as Tensor, scalar(g.weightsPerGate / total)));
  return (parts.length === 1 ? parts[0] : addN(parts)) as Scalar;
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
 * [expectedDensity, expectedUndecided] together, through a gate's one-pass `decisionSums`
 * where it has one. Differentiable.
 */
export function expectedDecision(groups: readonly GatedGroup[]): [Scalar, Scalar] {
  return tidy(() => {
    const sums = groups.map(({ gate }) => gate.decisionSums?.() ?? [keptSum(gate), undecidedSum(gate)]);
    return [
      meanOfSums(
        groups,
        sums.map((s) => s[0]),
      ),
      meanOfSums(
        groups,
        sums.map((s) => s[1]),
      ),
    ];
  });
}

/** The expected fraction of covered weights whose gates are undecided, P(0 < z < 1). Differentiable. */
export function expectedUndecided(groups: readonly GatedGroup[]): Scalar {
  return weightedMean(groups, undecidedSum);
}
