import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { setBackend, type Tensor, tensor1d, tidy } from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { NoiseSource } from './gate.js';
import { hardConcreteGate } from './hard-concrete.js';

beforeAll(async () => {
  await setBackend('cpu');
});

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const logit = (p: number) => Math.log(p / (1 - p));
const GAMMA = -0.1;
const ZETA = 1.1;
const BETA = 2 / 3;

/** P(s > t) of the stretched binary concrete (Louizos et al. 2018, eq. 12 generalised to t). */
const above = (logAlpha: number, t: number) => sigmoid(logAlpha - BETA * logit((t - GAMMA) / (ZETA - GAMMA)));

const read = (t: Tensor) => {
  const values = Array.from(t.dataSync());
  t.dispose();
  return values;
};

const logAlphas = [-6, -2, -0.3, 0, 0.4, 2, 6];

function withLogAlpha(values: readonly number[]) {
  const gate = hardConcreteGate([values.length]);
  tidy(() => gate.params()[0].assign(tensor1d([...values])));
  return gate;
}

describe('hard-concrete gate (Louizos, Welling and Kingma 2018)', () => {
  it('pOpen, pKeep and pUndecided follow the closed forms with gamma -0.1, zeta 1.1, beta 2/3', () => {
    const gate = withLogAlpha(logAlphas);
    const open = read(gate.pOpen());
    const keep = read(gate.pKeep());
    const undecided = read(gate.pUndecided());
    logAlphas.forEach((a, i) => {
      expect(open[i]).toBeCloseTo(above(a, 0), 6);
      expect(keep[i]).toBeCloseTo(sigmoid(a), 6); // s > 1/2 iff sigmoid((L + a) / beta) > 1/2
      expect(undecided[i]).toBeCloseTo(above(a, 0) - above(a, 1), 6);
    });
    gate.dispose();
  });

  it('samples clamp(sigmoid((log u - log(1 - u) + log_alpha) / beta) (zeta - gamma) + gamma, 0, 1)', () => {
    const u = [0.001, 0.1, 0.4, 0.5, 0.6, 0.9, 0.999];
    const gate = withLogAlpha(logAlphas);
    const noise: NoiseSource = { normal: () => tensor1d(u), uniform: () => tensor1d(u) };
    const z = read(gate.sample(noise));
    logAlphas.forEach((a, i) => {
      const s = sigmoid((Math.log(u[i]) - Math.log(1 - u[i]) + a) / BETA) * (ZETA - GAMMA) + GAMMA;
      expect(z[i]).toBeCloseTo(Math.min(1, Math.max(0, s)), 5);
    });
    gate.dispose();
  });

  it('deterministic() is the test-time estimator clamp(sigmoid(log_alpha) (zeta - gamma) + gamma); mask() = 1[log_alpha > 0]', () => {
    const gate = withLogAlpha(logAlphas);
    const d = read(gate.deterministic());
    logAlphas.forEach((a, i) => {
      expect(d[i]).toBeCloseTo(Math.min(1, Math.max(0, sigmoid(a) * (ZETA - GAMMA) + GAMMA)), 6);
    });
    expect(read(gate.mask())).toEqual([0, 0, 0, 0, 1, 1, 1]);
    gate.dispose();
  });

  it('log_alpha starts at init (default 2), or where initialPOpen puts it', () => {
    const byDefault = hardConcreteGate([1]);
    expect(read(byDefault.params()[0].clone())).toEqual([2]);
    byDefault.dispose();
    const opened = hardConcreteGate([1], { initialPOpen: 0.3 });
    expect(read(opened.pOpen())[0]).toBeCloseTo(0.3, 6);
    opened.dispose();
  });

  it('project() clamps log_alpha to [-limit, limit] (10 by default)', () => {
    const gate = withLogAlpha([-50, -3, 3, 50]);
    gate.project();
    expect(read(gate.params()[0].clone())).toEqual([-10, -3, 3, 10]);
    gate.dispose();
    const narrow = hardConcreteGate([2], { logAlphaLimit: 1 });
    tidy(() => narrow.params()[0].assign(tensor1d([-4, 4])));
    narrow.project();
    expect(read(narrow.params()[0].clone())).toEqual([-1, 1]);
    narrow.dispose();
  });

  it('rejects a temperature <= 0 and stretch limits that do not contain [0, 1]', () => {
    expect(() => hardConcreteGate([1], { beta: 0 })).toThrow(/beta must be > 0/);
    expect(() => hardConcreteGate([1], { gamma: 0.1 })).toThrow(/gamma < 0 < 1 < zeta/);
    expect(() => hardConcreteGate([1], { zeta: 1 })).toThrow(/gamma < 0 < 1 < zeta/);
  });
});
