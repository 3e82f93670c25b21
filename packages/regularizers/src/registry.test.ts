// The fixed-weight regularisers and the registry: each penalty is what it says, and its own
// gradient moves the gates the way its name promises.
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { InputError } from '@slt/core';
import { createGate, type Gate } from '@slt/gates';
import { randomNormal, setBackend, sum, tidy, train, variableGrads } from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type GatedGroup, weightedMean } from './gated-group.js';
import { createRegularizer, regularizers } from './registry.js';

beforeAll(async () => {
  await setBackend('cpu');
});

const made: Gate[] = [];
afterEach(() => {
  for (const g of made.splice(0)) g.dispose();
});

function groups(kind: string): GatedGroup[] {
  const a = createGate(kind, [300]);
  const b = createGate(kind, [20]);
  made.push(a, b);
  tidy(() => {
    a.params()[0].assign(randomNormal([300], 0, 0.4, 'float32', 1));
    b.params()[0].assign(randomNormal([20], 0, 0.4, 'float32', 2));
  });
  return [
    { gate: a, weightsPerGate: 1 },
    { gate: b, weightsPerGate: 10 },
  ];
}

const mean = (gs: readonly GatedGroup[], p: (g: Gate) => ReturnType<Gate['pOpen']>) =>
  tidy(() => weightedMean(gs, p).dataSync()[0] as number);

/** Per-gate values of `p` over all groups, flattened. */
const perGate = (gs: readonly GatedGroup[], p: (g: Gate) => ReturnType<Gate['pOpen']>) =>
  gs.flatMap((g) => tidy(() => Array.from(p(g.gate).dataSync())));

describe.each(['gaussian', 'hard-concrete'])('fixed-weight regularisers on %s gates', (kind) => {
  it('induce-sparse is lambda times the expected fraction of open weights', () => {
    const gs = groups(kind);
    const regularizer = createRegularizer('induce-sparse', { lambda: 3 });
    const loss = tidy(() => regularizer.loss(gs).dataSync()[0] as number);
    const open = gs.map((g) => tidy(() => sum(g.gate.pOpen()).dataSync()[0] as number));
    expect(loss).toBeCloseTo((3 * (open[0] + 10 * open[1])) / 500, 5);
    expect(regularizer.lambda).toBe(3);
    expect(regularizer.state()).toEqual({});
  });

  it('induce-sparse lowers every P(open), monotonically, under its own gradient', () => {
    const gs = groups(kind);
    const regularizer = createRegularizer('induce-sparse', { lambda: 1 });
    const optimizer = train.sgd(kind === 'gaussian' ? 20 : 200);
    const variables = gs.flatMap((g) => g.gate.params());
    let previous = perGate(gs, (g) => g.pOpen());
    const means = [mean(gs, (g) => g.pOpen())];
    for (let step = 0; step < 15; step++) {
      tidy(() => optimizer.applyGradients(variableGrads(() => regularizer.loss(gs), variables).grads));
      const now = perGate(gs, (g) => g.pOpen());
      now.forEach((p, i) => {
        expect(p).toBeLessThanOrEqual(previous[i]);
      });
      previous = now;
      means.push(mean(gs, (g) => g.pOpen()));
    }
    for (let i = 1; i < means.length; i++) expect(means[i]).toBeLessThan(means[i - 1]);
    expect(means[means.length - 1]).toBeLessThan(means[0] - 0.05);
    optimizer.dispose();
  });

  it('induce-decision adds the expected undecided fraction, and its gradient lowers P(open) + P(undecided)', () => {
    const gs = groups(kind);
    const regularizer = createRegularizer('induce-decision', { lambda: 2 });
    const loss = tidy(() => regularizer.loss(gs).dataSync()[0] as number);
    const expected = 2 * (mean(gs, (g) => g.pOpen()) + mean(gs, (g) => g.pUndecided()));
    expect(loss).toBeCloseTo(expected, 5);
    const optimizer = train.sgd(kind === 'gaussian' ? 5 : 50);
    const variables = gs.flatMap((g) => g.gate.params());
    const before = loss;
    for (let step = 0; step < 10; step++) {
      tidy(() => optimizer.applyGradients(variableGrads(() => regularizer.loss(gs), variables).grads));
    }
    expect(tidy(() => regularizer.loss(gs).dataSync()[0] as number)).toBeLessThan(before - 0.05);
    optimizer.dispose();
  });
});

describe('regulariser registry', () => {
  it('knows target, induce-sparse, induce-decision and none; an unknown name lists them', () => {
    expect(regularizers.names()).toEqual(
      expect.arrayContaining(['target', 'induce-sparse', 'induce-decision', 'none']),
    );
    let message = '';
    try {
      createRegularizer('l0');
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      message = (error as Error).message;
    }
    expect(message).toMatch(/^unknown regularizer 'l0' \(known: /);
    for (const name of regularizers.names()) expect(message).toContain(name);
  });

  it('`none` has no loss to add (the trainer skips it)', () => {
    const none = createRegularizer('none');
    expect(none.lambda).toBe(0);
    expect(() => none.loss([])).toThrow(/no loss/);
  });
});
