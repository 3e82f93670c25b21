import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { InputError } from '@slt/core';
import { type AnnealedGate, countKept, createGate, type Gate, type GatedShape, type NoiseSource } from '@slt/gates';
import {
  add,
  addN,
  div,
  keep,
  memory,
  mul,
  neg,
  randomNormal,
  randomUniform,
  reshape,
  type Scalar,
  scalar,
  setBackend,
  sqrt,
  square,
  sub,
  sum,
  type Tensor,
  tensor1d,
  tidy,
  variableGrads,
  zerosLike,
} from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { coveredWeights, expectedDensity, type GatedGroup, weightedMean, weightShares } from './gated-group.js';
import type { Regularizer } from './regularizer.js';
import { countMasked } from './sparsity.js';
import { targetSparsity } from './target.js';

beforeAll(async () => {
  await setBackend('cpu');
});

const made: Gate[] = [];
afterEach(() => {
  for (const g of made.splice(0)) g.dispose();
});

function seededNoise(seed: number): NoiseSource {
  let next = seed;
  return {
    normal: (shape) => randomNormal([...shape], 0, 1, 'float32', next++),
    uniform: (shape) => randomUniform([...shape], 1e-6, 1 - 1e-6, 'float32', next++),
  };
}

/** Two gate tensors: 400 per-weight gates and 40 unit gates of 5 weights each (600 weights). */
function problem(kind: string, options: Record<string, unknown> = {}): GatedGroup[] {
  const a = createGate(kind, [400], { sigma: 0.25, ...options });
  const b = createGate(kind, [40], { sigma: 0.25, ...options });
  made.push(a, b);
  return [
    { gate: a, weightsPerGate: 1 },
    { gate: b, weightsPerGate: 5 },
  ];
}

/**
 * A structured 8-6-5-3 MLP: fc1 (8 x 6) gated per unit, fc2 (6 x 5) per unit and fed by fc1's
 * units, the classifier fc3 (5 x 3) per entry and fed by fc2's units; as GatedShapes for countKept
 * and as the groups GatedNetwork builds from them.
 */
const mlp: GatedShape[] = [
  { name: 'fc1', shape: [8, 6], unitAxis: 1 },
  { name: 'fc2', shape: [6, 5], unitAxis: 1, inputUnits: { from: 'fc1', axis: 0 } },
  { name: 'fc3', shape: [5, 3], inputUnits: { from: 'fc2', axis: 0 } },
];

function structuredProblem(kind: string, options: Record<string, unknown> = {}): GatedGroup[] {
  const gates = [[6], [5], [5, 3]].map((shape) => createGate(kind, shape, { sigma: 0.25, ...options }));
  made.push(...gates);
  return [
    { gate: gates[0] as Gate, weightsPerGate: 8 },
    { gate: gates[1] as Gate, weightsPerGate: 6, input: { producer: 0, weightsPerPair: 1 } },
    { gate: gates[2] as Gate, weightsPerGate: 1, input: { producer: 1, weightsPerPair: 1, view: [1, 1, 5, 3] } },
  ];
}

/** Binary sparsity of the structured problem's masks, counted as a ticket counts them. */
function structuredMaskSparsity(groups: readonly GatedGroup[]): number {
  const masks = new Map(mlp.map((spec, i) => [spec.name, (groups[i] as GatedGroup).gate.mask().dataSync()]));
  return countKept(mlp, 'structured', masks).sparsity;
}

/** Binary sparsity of the groups' masks, counted. */
function maskSparsity(groups: readonly GatedGroup[]): number {
  const masks = groups.map((g) => ({ mask: g.gate.mask(), weightsPerEntry: g.weightsPerGate }));
  const { sparsity } = countMasked(masks);
  for (const m of masks) m.mask.dispose();
  return sparsity;
}

const expectedSparsity = (groups: readonly GatedGroup[]) =>
  tidy(() => 1 - (expectedDensity(groups).dataSync()[0] as number));

/**
 * Trains the gates as a search does, on a task loss that wants every gate open, each by its own
 * (random, positive) worth, plus the regulariser: Adam with a cosine learning rate from 0.05,
 * gaussian sigma annealed 0.25 -> 0.05, gates projected and the multiplier updated every step.
 */
function optimise(groups: readonly GatedGroup[], regularizer: Regularizer, steps: number, seed = 1): void {
  const noise = seededNoise(seed);
  const worth = groups.map((g, i) => randomUniform([...g.gate.shape], 0.1, 1, 'float32', seed * 10 + i));
  const total = coveredWeights(groups);
  const variables = groups.flatMap((g) => g.gate.params());
  const moments: Tensor[][] = variables.map((v) => [zerosLike(v), zerosLike(v)]);
  const cosine = (from: number, to: number, step: number) =>
    to + ((from - to) * (1 + Math.cos((Math.PI * step) / steps))) / 2;
  for (let step = 0; step < steps; step++) {
    for (const g of groups) if ('sigma' in g.gate) (g.gate as AnnealedGate).sigma = cosine(0.25, 0.05, step);
    const lr = cosine(0.05, 0, step);
    tidy(() => {
      const { grads } = variableGrads(() => {
        const task = neg(
          addN(groups.map((g, i) => mul(sum(mul(g.gate.sample(noise), worth[i])), scalar(g.weightsPerGate / total)))),
        ) as Scalar;
        return add(task, regularizer.loss(groups)) as Scalar;
      }, variables);
      variables.forEach((v, i) => {
        const g = grads[v.name];
        const [m, s] = moments[i];
        const m1 = add(mul(m, 0.9), mul(g, 0.1));
        const s1 = add(mul(s, 0.999), mul(square(g), 0.001));
        const mHat = div(m1, 1 - 0.9 ** (step + 1));
        const sHat = div(s1, 1 - 0.999 ** (step + 1));
        v.assign(sub(v, mul(div(mHat, add(sqrt(sHat), 1e-8)), lr)));
        moments[i] = [keep(m1), keep(s1)];
        m.dispose();
        s.dispose();
      });
    });
    for (const g of groups) g.gate.project();
    regularizer.update(groups);
  }
  for (const t of [...worth, ...moments.flat()]) t.dispose();
}

/**
 * The regulariser's loss and its gradient in every gate parameter equal autodiff of `composed`,
 * the same penalty written op by op (gradients to 1e-4 of their largest magnitude).
 */
function expectSameLossAndGradients(regularizer: Regularizer, groups: readonly GatedGroup[], composed: () => Tensor) {
  const variables = groups.flatMap((g) => g.gate.params());
  tidy(() => {
    const fast = variableGrads(() => regularizer.loss(groups), variables);
    const plain = variableGrads(() => composed() as Scalar, variables);
    expect(fast.value.dataSync()[0]).toBeCloseTo(plain.value.dataSync()[0] as number, 5);
    for (const v of variables) {
      const a = fast.grads[v.name]?.dataSync() as Float32Array;
      const b = plain.grads[v.name]?.dataSync() as Float32Array;
      const scale = Math.max(...b.map(Math.abs));
      expect(scale).toBeGreaterThan(0);
      for (let i = 0; i < b.length; i++)
        expect(Math.abs((a[i] as number) - (b[i] as number))).toBeLessThan(1e-4 * scale);
    }
  });
}

describe('target regulariser (dual ascent on the expected density)', () => {
  it.each([
    ['gaussian', 0.9],
    ['hard-concrete', 0.7],
  ])('%s gates reach an expected sparsity of %s within 0.01 (augmented Lagrangian, rho 20)', (kind, target) => {
    const groups = problem(kind);
    const regularizer = targetSparsity({ targetSparsity: target, dualLr: 0.05, penalty: 20 });
    expect(expectedSparsity(groups)).toBeLessThan(0.6); // starts far from the target
    optimise(groups, regularizer, 1000);
    expect(Math.abs(expectedSparsity(groups) - target)).toBeLessThan(0.01);
    // The ticket is at least that sparse; in this toy problem (independent gate worths) gates that
    // tie park at mu ~ 0 and the binary mask closes them, so it can be sparser than expected.
    expect(maskSparsity(groups)).toBeGreaterThan(target - 0.01);
    expect(regularizer.lambda).toBeGreaterThan(0);
  });

  it('is two-sided: the multiplier goes negative when the gates are sparser than the target', () => {
    const groups = problem('gaussian', { initialPOpen: 0.05 });
    const regularizer = targetSparsity({ targetSparsity: 0.5 });
    tidy(() => regularizer.loss(groups));
    regularizer.update(groups);
    expect(regularizer.lambda).toBeLessThan(0);
  });

  it('update() without a preceding loss() measures the violation itself', () => {
    const groups = problem('gaussian', { initialPOpen: 0.99 });
    const regularizer = targetSparsity({ targetSparsity: 0.5, dualLr: 0.1, lambda: 0.25 });
    const violation = 1 - expectedSparsity(groups) - 0.5;
    regularizer.update(groups);
    expect(regularizer.lambda).toBeCloseTo(0.25 + 0.1 * violation, 6);
  });

  it('its loss is lambda * (expected density - (1 - target)), and state() / restore() carry lambda', () => {
    const groups = problem('hard-concrete');
    const regularizer = targetSparsity({ targetSparsity: 0.8, lambda: 2 });
    const loss = tidy(() => regularizer.loss(groups).dataSync()[0] as number);
    const density = 1 - expectedSparsity(groups);
    expect(loss).toBeCloseTo(2 * (density - 0.2), 5);
    expect(regularizer.state()).toEqual({ lambda: 2 });
    regularizer.restore({ lambda: -0.5 });
    expect(regularizer.lambda).toBe(-0.5);
  });

  it('its gradient equals autodiff of v (lambda + rho v / 2) + decision * undecided / (1 - target), composed op by op', () => {
    for (const kind of ['gaussian', 'hard-concrete']) {
      const groups = problem(kind);
      tidy(() => {
        for (const g of groups) g.gate.params()[0].assign(randomNormal([...g.gate.shape], 0, 0.4, 'float32', 7));
      });
      const [target, lambda, rho, decision] = [0.7, 0.3, 50, 0.2];
      const regularizer = targetSparsity({ targetSparsity: target, lambda, penalty: rho, decision });
      const composed = () => {
        const total = coveredWeights(groups);
        const mean = (p: (gate: Gate) => Tensor) =>
          addN(groups.map((g) => mul(sum(p(g.gate)), scalar(g.weightsPerGate / total))));
        const v = sub(
          mean((gate) => gate.pKeep()),
          scalar(1 - target),
        );
        const undecided = mean((gate) => gate.pUndecided());
        return add(
          mul(v, add(scalar(lambda), mul(v, scalar(rho / 2)))),
          mul(undecided, scalar(decision / (1 - target))),
        );
      };
      expectSameLossAndGradients(regularizer, groups, composed);
      regularizer.dispose?.();
    }
  });

  it('structured: its gradient equals autodiff of the density through the inputs, composed op by op', () => {
    for (const kind of ['gaussian', 'hard-concrete']) {
      for (const decision of [0, 0.2]) {
        const groups = structuredProblem(kind);
        tidy(() => {
          for (const g of groups) g.gate.params()[0].assign(randomNormal([...g.gate.shape], 0, 0.4, 'float32', 9));
        });
        const [target, lambda, rho] = [0.6, 0.3, 50];
        const regularizer = targetSparsity({ targetSparsity: target, lambda, penalty: rho, decision });
        const composed = () => {
          const [p1, p2, p3] = groups.map((g) => g.gate.pKeep()) as [Tensor, Tensor, Tensor];
          // fc1: 8 weights per kept unit; fc2: one weight per (kept fc2 unit, kept fc1 unit);
          // fc3: entry (i, c) kept with P3[i, c] * P2[i].
          const kept = addN([mul(sum(p1), scalar(8)), mul(sum(p2), sum(p1)), sum(mul(p3, reshape(p2, [5, 1])))]);
          const v = sub(div(kept, scalar(93)), scalar(1 - target));
          const shares = weightShares(groups);
          const undecided = addN(groups.map((g, i) => mul(sum(g.gate.pUndecided()), scalar(shares[i] as number))));
          return add(
            mul(v, add(scalar(lambda), mul(v, scalar(rho / 2)))),
            mul(undecided, scalar(decision / (1 - target))),
          );
        };
        expect(coveredWeights(groups)).toBe(93);
        expectSameLossAndGradients(regularizer, groups, composed);
        regularizer.dispose?.();
      }
    }
  });

  it('structured: with every gate decided, the expected density is the counted density of the masks', () => {
    const groups = structuredProblem('gaussian', { sigma: 0.01 });
    // mu = +-0.75 at sigma 0.01: P(keep) is 0 or 1.
    const mu = [
      [1, 0, 1, 1, 0, 1],
      [0, 1, 1, 0, 1],
      [1, 1, 0, 0, 1, 1, 1, 0, 1, 1, 1, 1, 0, 1, 0],
    ];
    tidy(() => {
      groups.forEach((g, i) => {
        g.gate
          .params()[0]
          .assign(reshape(tensor1d((mu[i] as number[]).map((m) => (m ? 0.75 : -0.75))), [...g.gate.shape]));
      });
    });
    const counted = structuredMaskSparsity(groups);
    // fc1 4 units x 8, fc2 3 units x 4 fc1 units, fc3 the kept entries of rows 1, 2, 4: 2 + 2 + 1.
    expect(counted).toBeCloseTo(1 - (32 + 12 + 5) / 93, 12);
    expect(expectedSparsity(groups)).toBeCloseTo(counted, 5);
    // Counted per own gate the same masks keep more: 32 + 3 x 6 + 10 of 93.
    expect(maskSparsity(groups)).toBeCloseTo(1 - 60 / 93, 5);
    const regularizer = targetSparsity({ targetSparsity: 0.5, lambda: 1 });
    expect(tidy(() => regularizer.loss(groups).dataSync()[0] as number)).toBeCloseTo(1 - counted - 0.5, 5);
    regularizer.dispose?.();
  });

  it('structured: gaussian gates reach the target counted through the inputs within 0.02', () => {
    const groups = structuredProblem('gaussian');
    const regularizer = targetSparsity({ targetSparsity: 0.7, dualLr: 0.05, penalty: 20 });
    optimise(groups, regularizer, 1000);
    expect(Math.abs(expectedSparsity(groups) - 0.7)).toBeLessThan(0.02);
    expect(Math.abs(structuredMaskSparsity(groups) - 0.7)).toBeLessThan(0.1);
    regularizer.dispose?.();
  });

  it('leaks no tensors per step', () => {
    const groups = problem('gaussian');
    const regularizer = targetSparsity({ targetSparsity: 0.5 });
    const step = () => {
      tidy(() => {
        regularizer.loss(groups);
      });
      regularizer.update(groups);
    };
    step();
    const before = memory().numTensors;
    for (let i = 0; i < 5; i++) step();
    expect(memory().numTensors).toBe(before);
  });

  it('dispose() frees the multiplier: creating and disposing one leaves no tensor', () => {
    const groups = problem('gaussian');
    const before = memory().numTensors;
    const regularizer = targetSparsity({ targetSparsity: 0.5, lambda: 1 });
    tidy(() => {
      regularizer.loss(groups);
    });
    regularizer.dispose?.();
    expect(memory().numTensors).toBe(before);
  });

  it('rejects a missing target or one outside (0, 1) as bad input', () => {
    for (const bad of [undefined, 0, 1, 1.5, -0.1]) {
      expect(() => targetSparsity({ targetSparsity: bad })).toThrow(InputError);
    }
    expect(() => targetSparsity({ targetSparsity: 1.5 })).toThrow(/target sparsity must be in \(0, 1\), got 1.5/);
  });
});

describe('expected density', () => {
  it('expectedDensity (fused keepSum where a gate has it) equals the weight-weighted mean of pKeep', () => {
    for (const kind of ['gaussian', 'hard-concrete']) {
      const groups = problem(kind, { initialPOpen: 0.4 });
      tidy(() => {
        for (const g of groups) g.gate.params()[0].assign(randomNormal([...g.gate.shape], 0, 0.5, 'float32', 3));
      });
      const fast = tidy(() => expectedDensity(groups).dataSync()[0] as number);
      const plain = tidy(() => weightedMean(groups, (g) => g.pKeep()).dataSync()[0] as number);
      const manual = tidy(() => {
        const a = sum(groups[0].gate.pKeep()).dataSync()[0] as number;
        const b = sum(groups[1].gate.pKeep()).dataSync()[0] as number;
        return (a + 5 * b) / 600;
      });
      expect(coveredWeights(groups)).toBe(600);
      expect(fast).toBeCloseTo(manual, 5);
      expect(plain).toBeCloseTo(manual, 5);
    }
  });

  it('an unused tensor from a probability callback is freed', () => {
    const groups = problem('gaussian');
    const before = memory().numTensors;
    const value: Tensor = weightedMean(groups, (g) => g.pOpen());
    expect(memory().numTensors).toBe(before + 1);
    value.dispose();
  });
});
