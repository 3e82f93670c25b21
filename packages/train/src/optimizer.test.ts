import { type NamedTensorMap, tensor1d, tidy, variable } from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from './backend.js';
import { createOptimizer, type OptimizerOptions } from './optimizer.js';

beforeAll(async () => {
  await useBackend('cpu');
});

const gradsAt = (step: number) => [0.5 - step * 0.3, -1 + step * 0.1, 2 * Math.sin(step)];

/** Runs `steps` updates of a 3-vector from [1, -2, 0.5] and returns it as float64 numbers. */
function run(options: OptimizerOptions, lrs: number[], name: string): number[] {
  const v = variable(tensor1d([1, -2, 0.5]), true, name);
  const optimizer = createOptimizer([v], options);
  lrs.forEach((lr, step) => {
    tidy(() => optimizer.step({ [name]: tensor1d(gradsAt(step)) } as NamedTensorMap, lr));
  });
  const out = Array.from(v.dataSync());
  optimizer.dispose();
  v.dispose();
  return out;
}

describe('createOptimizer', () => {
  it('Adam follows Kingma and Ba (bias-corrected moments), with a learning rate per step', () => {
    const lrs = [0.1, 0.05, 0.02, 0.01];
    const got = run({ kind: 'adam' }, lrs, 'adam/x');
    const p = [1, -2, 0.5];
    const m = [0, 0, 0];
    const s = [0, 0, 0];
    lrs.forEach((lr, step) => {
      const g = gradsAt(step);
      const t = step + 1;
      for (let i = 0; i < 3; i++) {
        m[i] = 0.9 * m[i] + 0.1 * g[i];
        s[i] = 0.999 * s[i] + 0.001 * g[i] ** 2;
        p[i] -= (lr * (m[i] / (1 - 0.9 ** t))) / (Math.sqrt(s[i] / (1 - 0.999 ** t)) + 1e-8);
      }
    });
    for (const [i, v] of got.entries()) expect(v).toBeCloseTo(p[i], 5);
  });

  it('SGD with momentum and weight decay follows torch.optim.SGD', () => {
    const lrs = [0.1, 0.1, 0.05];
    const got = run({ kind: 'sgd', momentum: 0.9, weightDecay: 0.01 }, lrs, 'sgd/x');
    const p = [1, -2, 0.5];
    const buf = [0, 0, 0];
    lrs.forEach((lr, step) => {
      const g = gradsAt(step);
      for (let i = 0; i < 3; i++) {
        const d = g[i] + 0.01 * p[i];
        buf[i] = step === 0 ? d : 0.9 * buf[i] + d;
        p[i] -= lr * buf[i];
      }
    });
    for (const [i, v] of got.entries()) expect(v).toBeCloseTo(p[i], 5);
  });

  it('state() and restore() continue a run bit for bit', () => {
    for (const kind of ['adam', 'sgd'] as const) {
      const lrs = [0.1, 0.07, 0.05, 0.03];
      const straight = run({ kind }, lrs, `${kind}/straight`);
      const v = variable(tensor1d([1, -2, 0.5]), true, `${kind}/a`);
      const a = createOptimizer([v], { kind });
      lrs.slice(0, 2).forEach((lr, step) => {
        tidy(() => a.step({ [v.name]: tensor1d(gradsAt(step)) } as NamedTensorMap, lr));
      });
      const saved = a.state();
      const copies = new Map([...saved.tensors].map(([k, t]) => [k, t.clone()]));
      a.dispose();
      const b = createOptimizer([v], { kind });
      b.restore(copies, saved.steps);
      lrs.slice(2).forEach((lr, i) => {
        tidy(() => b.step({ [v.name]: tensor1d(gradsAt(i + 2)) } as NamedTensorMap, lr));
      });
      expect(Array.from(v.dataSync())).toEqual(straight);
      b.dispose();
      v.dispose();
      for (const t of copies.values()) t.dispose();
    }
  });
});
