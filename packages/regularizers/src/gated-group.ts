import type { Gate } from '@slt/gates';
import { addN, mul, reshape, type Scalar, scalar, sum, type Tensor, tidy } from '@tensorflow/tfjs-core';

/**
 * Where a group's weights take their inputs from (structured gating): another group's unit gates
 * feed them, so a weight is kept only when its own gate and the producer gate feeding its input
 * both keep it. With independent gates its probability of being kept is P_own * P_producer.
 */
export interface GroupInput {
  /** Index, in the same list of groups, of the group whose unit gates feed these weights' inputs. */
  readonly producer: number;
  /**
   * Weights one (own gate, producer gate) pair covers. Per-unit gates (no `view`): the group keeps
   * weightsPerPair * K_own * K_producer weights in expectation, K being a group's sum of P(keep).
   */
  readonly weightsPerPair: number;
  /**
   * Per-entry gates (a classifier fed by unit gates): the gate tensor viewed as [outer, repeats,
   * producer gates, inner], entry (o, r, g, i) fed by producer gate g; the group keeps
   * weightsPerPair * sum P_own[o, r, g, i] * P_producer[g] weights in expectation.
   */
  readonly view?: readonly [number, number, number, number];
}

/** One gate tensor and how many weights each of its gates covers (1 unstructured, a unit's size otherwise). */
export interface GatedGroup {
  readonly gate: Gate;
  readonly weightsPerGate: number;
  /** Structured gating: every weight of this gate tensor is fed by another group's unit gates. */
  readonly input?: GroupInput;
}

/** Total number of weights that `groups` cover. */
export function coveredWeights(groups: readonly GatedGroup[]): number {
  return groups.reduce((total, g) => total + g.weightsPerGate * size(g.gate), 0);
}

function size(gate: Gate): number {
  return gate.shape.reduce((a, b) => a * b, 1);
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
 * per-gate values or already their sum), each gate weighed by its own weights (a group's `input`
 * is not looked at): e.g. with `pOpen`, the expected fraction of open gates per weight.
 * Differentiable. The ticket's expected density through the inputs is {@link expectedDensity}.
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
 * The ticket's expected density as a function of the per-group sums K_i of P(keep) and of the
 * per-entry sums E_j ({@link entryKeptSums}), every coefficient already divided by the covered
 * weights: density = sum_i linear[i] K_i + sum_pairs c K_own K_producer + sum_entries c E_j.
 */
export interface DensityPlan {
  /** Per group: weightsPerGate / covered where nothing feeds it, 0 where its `input` counts it. */
  readonly linear: readonly number[];
  /** Groups gated per unit and fed by unit gates. */
  readonly pairs: readonly { readonly own: number; readonly producer: number; readonly coefficient: number }[];
  /** Groups gated per entry and fed by unit gates, in the order of {@link entryKeptSums}. */
  readonly entries: readonly {
    readonly own: number;
    readonly producer: number;
    readonly view: readonly [number, number, number, number];
    readonly coefficient: number;
  }[];
}

/** The {@link DensityPlan} of `groups`; throws a RangeError on an `input` that does not fit its gates. */
export function densityPlan(groups: readonly GatedGroup[]): DensityPlan {
  const total = coveredWeights(groups);
  const linear: number[] = [];
  const pairs: DensityPlan['pairs'][number][] = [];
  const entries: DensityPlan['entries'][number][] = [];
  groups.forEach((g, own) => {
    const input = g.input;
    if (input === undefined) {
      linear.push(g.weightsPerGate / total);
      return;
    }
    linear.push(0);
    const { producer, weightsPerPair, view } = input;
    const from = groups[producer];
    if (from === undefined || producer === own || from.gate.shape.length !== 1)
      throw new RangeError(
        `gated group ${own}: input from group ${producer}, which is not another group of unit gates`,
      );
    const gates = size(from.gate);
    const coefficient = weightsPerPair / total;
    if (view === undefined) {
      if (g.weightsPerGate !== weightsPerPair * gates)
        throw new RangeError(
          `gated group ${own}: ${g.weightsPerGate} weights per gate, but ${weightsPerPair} per pair with ${gates} producer gates`,
        );
      pairs.push({ own, producer, coefficient });
    } else {
      if (view[2] !== gates || view.reduce((a, b) => a * b, 1) !== size(g.gate) || g.weightsPerGate !== weightsPerPair)
        throw new RangeError(
          `gated group ${own}: view [${view.join(', ')}] does not fit its ${size(g.gate)} gates fed by ${gates}`,
        );
      entries.push({ own, producer, view, coefficient });
    }
  });
  return { linear, pairs, entries };
}

/**
 * For each per-entry group fed by unit gates (`plan.entries`), sum P_own * P_producer over its
 * entries: the expected number of its weights kept. Plain differentiable tfjs ops (the tensors
 * are a classifier's, small).
 */
export function entryKeptSums(groups: readonly GatedGroup[], plan: DensityPlan): Scalar[] {
  return plan.entries.map(({ own, producer, view }) =>
    sum(
      mul(
        reshape((groups[own] as GatedGroup).gate.pKeep(), [...view]),
        reshape((groups[producer] as GatedGroup).gate.pKeep(), [1, 1, view[2], 1]),
      ),
    ),
  );
}

/** The expected density of `plan` from the per-group sums `kept` and the per-entry sums `entry`. Differentiable. */
export function densityOf(plan: DensityPlan, kept: readonly Tensor[], entry: readonly Tensor[]): Scalar {
  const parts: Tensor[] = [];
  plan.linear.forEach((c, i) => {
    if (c !== 0) parts.push(mul(kept[i] as Tensor, scalar(c)));
  });
  for (const { own, producer, coefficient } of plan.pairs)
    parts.push(mul(mul(kept[own] as Tensor, kept[producer] as Tensor), scalar(coefficient)));
  plan.entries.forEach(({ coefficient }, j) => {
    parts.push(mul(entry[j] as Tensor, scalar(coefficient)));
  });
  if (parts.length === 0) return scalar(0);
  return (parts.length === 1 ? parts[0] : addN(parts)) as Scalar;
}

/**
 * d density / d K_i for every group, from the per-group sums `kept` (a product's slope is the other
 * factor times its coefficient); the slope in each per-entry sum is its coefficient. For a
 * combining node's written-out gradient.
 */
export function densitySlopes(plan: DensityPlan, kept: readonly Tensor[]): Tensor[] {
  return plan.linear.map((c, i) => {
    const parts: Tensor[] = c === 0 ? [] : [scalar(c)];
    for (const { own, producer, coefficient } of plan.pairs) {
      if (own === i) parts.push(mul(kept[producer] as Tensor, scalar(coefficient)));
      if (producer === i) parts.push(mul(kept[own] as Tensor, scalar(coefficient)));
    }
    if (parts.length === 0) return scalar(0);
    return parts.length === 1 ? (parts[0] as Tensor) : addN(parts);
  });
}

/**
 * The expected fraction of covered weights the binary masks keep, P(z > 1/2) per gate, counted
 * like the ticket counts its weights: through a group's `input` where it has one (a weight needs
 * its own gate and the producer gate feeding it), through a gate's fused `keepSum` where it has one.
 * Differentiable.
 */
export function expectedDensity(groups: readonly GatedGroup[]): Scalar {
  return tidy(() => {
    const plan = densityPlan(groups);
    return densityOf(
      plan,
      groups.map((g) => keptSum(g.gate)),
      entryKeptSums(groups, plan),
    );
  });
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
    const plan = densityPlan(groups);
    return [
      densityOf(plan, sums.slice(0, groups.length), entryKeptSums(groups, plan)),
      weightedTotal(sums.slice(groups.length), weightShares(groups)),
    ];
  });
}

/** The expected fraction of covered weights whose gates are undecided, P(0 < z < 1). Differentiable. */
export function expectedUndecided(groups: readonly GatedGroup[]): Scalar {
  return weightedMean(groups, undecidedSum);
}
