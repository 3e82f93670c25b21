import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { add, fill, grad, mul, setBackend, sum, type Tensor, tensor1d, tidy } from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { NoiseSource } from './gate.js';
import { gaussianGate } from './gaussian.js';
import { normalQuantile } from './math.js';
import { exactPhi } from './normal-cdf.testing.js';

beforeAll(async () => {
  await setBackend('cpu');
});

const Phi = exactPhi;

const mus = [-0.9, -0.5, -0.2, -0.01, 0.01, 0.3, 0.75];

/** A gaussian gate with mu = `values`. */
function withMu(values: readonly number[], sigma = 0.5) {
  const gate = gaussianGate([values.length], { sigma });
  tidy(() => gate.params()[0].assign(tensor1d([...values])));
  return gate;
}

const read = (t: Tensor) => {
  const values = Array.from(t.dataSync());
  t.dispose();
  return values;
};

describe('gaussian gate (Yamada et al. 2020)', () => {
  it('P(z > 0) = Phi((mu + 1/2) / sigma), P(z > 1/2) = Phi(mu / sigma), P(0 < z < 1) by the closed form', () => {
    for (const sigma of [0.05, 0.25, 0.5, 1]) {
      const gate = withMu(mus, sigma);
      const open = read(gate.pOpen());
      const keep = read(gate.pKeep());
      const undecided = read(gate.pUndecided());
      mus.forEach((mu, i) => {
        expect(open[i]).toBeCloseTo(Phi((mu + 0.5) / sigma), 5);
        expect(keep[i]).toBeCloseTo(Phi(mu / sigma), 5);
        expect(undecided[i]).toBeCloseTo(Phi((0.5 - mu) / sigma) - Phi(-(mu + 0.5) / sigma), 5);
      });
      gate.dispose();
    }
  });

  it('keepSum (the fused sum of P(keep)) equals sum(pKeep()) in value and gradient', () => {
    const gate = withMu(
      Array.from({ length: 301 }, (_, i) => -0.75 + i * 0.005),
      0.25,
    );
    const [mu] = gate.params();
    expect(gate.keepSum).toBeDefined();
    const fused = read(gate.keepSum?.() as Tensor)[0];
    const plain = read(sum(gate.pKeep()))[0];
    expect(Math.abs(fused - plain)).toBeLessThan(301 * 1e-6);
    const gFused = read(grad(() => gate.keepSum?.() as Tensor)(mu));
    const gPlain = read(grad(() => sum(gate.pKeep()))(mu));
    const muValues = read(mu.clone());
    gFused.forEach((g, i) => {
      // d/dmu Phi(mu / sigma) = phi(mu / sigma) / sigma
      const exact = Math.exp(-0.5 * (muValues[i] / 0.25) ** 2) / Math.sqrt(2 * Math.PI) / 0.25;
      expect(Math.abs(g - exact)).toBeLessThan(1e-5 * Math.max(1, exact));
      expect(Math.abs(gPlain[i] - exact)).toBeLessThan(1e-4 * Math.max(1, exact));
    });
    gate.dispose();
  });

  it('samples clamp(mu + sigma * eps + 1/2, 0, 1) for the given noise', () => {
    const sigma = 0.3;
    const gate = withMu(mus, sigma);
    const eps = [-3, -1, 0.5, 0, 0.2, 1, 2];
    const noise: NoiseSource = { normal: () => tensor1d(eps), uniform: () => fill([mus.length], 0.5) };
    const z = read(gate.sample(noise));
    mus.forEach((mu, i) => {
      expect(z[i]).toBeCloseTo(Math.min(1, Math.max(0, mu + sigma * eps[i] + 0.5)), 6);
    });
    gate.dispose();
  });

  it('hard: samples 1[z > 1/2] with gradient 1 in mu for every gate, decided or not (straight-through)', () => {
    const sigma = 0.3;
    const gate = withMu(mus, sigma);
    expect(gate.hard).toBe(false);
    gate.hard = true;
    const eps = [-3, -1, 0.5, 0, 0.2, 1, 2];
    const noise: NoiseSource = { normal: () => tensor1d(eps), uniform: () => fill([mus.length], 0.5) };
    const relaxed = mus.map((mu, i) => mu + sigma * eps[i] + 0.5);
    expect(read(gate.sample(noise))).toEqual(relaxed.map((z) => (z > 0.5 ? 1 : 0)));
    // relaxed[0] < 0 and relaxed[6] > 1: clamped in the relaxed sample, yet their gradient flows
    expect(relaxed[0]).toBeLessThan(0);
    expect(relaxed[6]).toBeGreaterThan(1);
    const [mu] = gate.params();
    const upstream = tensor1d([1, -2, 3, -4, 5, -6, 7]);
    const slopes = read(grad(() => sum(mul(gate.sample(noise), upstream)))(mu));
    expect(slopes).toEqual([1, -2, 3, -4, 5, -6, 7]);
    upstream.dispose();
    gate.dispose();
  });

  it('decisionSums() equals [keepSum(), undecidedSum()] in value and gradient', () => {
    for (const sigma of [0.05, 0.25]) {
      const gate = withMu(mus, sigma);
      const [mu] = gate.params();
      const [keep, undecided] = gate.decisionSums?.() as [Tensor, Tensor];
      expect(read(keep)[0]).toBeCloseTo(read(gate.keepSum?.() as Tensor)[0], 5);
      expect(read(undecided)[0]).toBeCloseTo(read(gate.undecidedSum?.() as Tensor)[0], 5);
      const together = read(
        grad(() => {
          const [k, u] = gate.decisionSums?.() as [Tensor, Tensor];
          return add(mul(k, 0.7), mul(u, -1.3));
        })(mu),
      );
      const apart = read(
        grad(() => add(mul(gate.keepSum?.() as Tensor, 0.7), mul(gate.undecidedSum?.() as Tensor, -1.3)))(mu),
      );
      together.forEach((g, i) => {
        expect(g).toBeCloseTo(apart[i], 4);
      });
      // only one of the two sums in the loss: the other weighs nothing
      const keepOnly = read(grad(() => (gate.decisionSums?.() as [Tensor, Tensor])[0])(mu));
      const keepApart = read(grad(() => gate.keepSum?.() as Tensor)(mu));
      keepOnly.forEach((g, i) => {
        expect(g).toBeCloseTo(keepApart[i], 4);
      });
      gate.dispose();
    }
  });

  it('deterministic() = clamp(mu + 1/2, 0, 1) and mask() = 1[mu > 0]', () => {
    const gate = withMu([-0.75, -0.1, 0.1, 0.75]);
    expect(read(gate.deterministic())).toEqual([0, 0.4000000059604645, 0.6000000238418579, 1]);
    expect(read(gate.mask())).toEqual([0, 0, 1, 1]);
    gate.dispose();
  });

  it('sigma anneals: the setter changes the probabilities and rejects sigma <= 0', () => {
    const gate = withMu([0.1]);
    expect(gate.sigma).toBe(0.5);
    const before = read(gate.pKeep())[0];
    gate.sigma = 0.05;
    expect(read(gate.pKeep())[0]).toBeCloseTo(Phi(0.1 / 0.05), 5);
    expect(read(gate.pKeep())[0]).toBeGreaterThan(before);
    expect(() => {
      gate.sigma = 0;
    }).toThrow(/sigma must be > 0/);
    expect(() => gaussianGate([1], { sigma: -1 })).toThrow(/sigma must be > 0/);
    gate.dispose();
  });

  it('mu starts at init (default 0.1), or where initialPOpen puts it', () => {
    const byDefault = gaussianGate([2]);
    expect(read(byDefault.params()[0].clone())).toEqual([0.10000000149011612, 0.10000000149011612]);
    byDefault.dispose();
    const opened = gaussianGate([1], { initialPOpen: 0.8, sigma: 0.25 });
    expect(read(opened.params()[0].clone())[0]).toBeCloseTo(0.25 * normalQuantile(0.8) - 0.5, 6);
    opened.dispose();
  });

  it('initSpread starts mu uniform around the mean whose mask keeps the target density, from the seed', () => {
    const make = (seed: number) =>
      gaussianGate([100, 100], { initSpread: 0.5, targetSparsity: 0.9, seed, name: 'spread' });
    const gate = make(3);
    const mu = read(gate.params()[0].clone());
    // m = 0.5 (1 - 2 * 0.9) = -0.4: mu in [-0.9, 0.1], and 10% of the masks kept
    expect(Math.min(...mu)).toBeGreaterThanOrEqual(-0.9 - 1e-6);
    expect(Math.max(...mu)).toBeLessThanOrEqual(0.1 + 1e-6);
    const kept = read(gate.mask()).reduce((a, b) => a + b, 0) / mu.length;
    expect(Math.abs(kept - 0.1)).toBeLessThan(0.01);
    gate.dispose();
    const again = make(3);
    expect(read(again.params()[0].clone())).toEqual(mu);
    again.dispose();
    const other = make(4);
    expect(read(other.params()[0].clone())).not.toEqual(mu);
    other.dispose();
    expect(() => gaussianGate([1], { initSpread: -1 })).toThrow(/initSpread must be >= 0/);
  });

  it('project() clamps mu to [-muLimit, muLimit] (0.75 by default); an infinite limit never clamps', () => {
    const gate = withMu([-2, -0.5, 0.5, 2]);
    gate.project();
    expect(read(gate.params()[0].clone())).toEqual([-0.75, -0.5, 0.5, 0.75]);
    gate.dispose();
    const free = gaussianGate([2], { muLimit: Number.POSITIVE_INFINITY });
    tidy(() => free.params()[0].assign(tensor1d([-5, 5])));
    free.project();
    expect(read(free.params()[0].clone())).toEqual([-5, 5]);
    free.dispose();
  });

  it('normalQuantile inverts Phi', () => {
    for (const p of [1e-6, 0.01, 0.3, 0.5, 0.9, 0.999]) expect(Phi(normalQuantile(p))).toBeCloseTo(p, 6);
    expect(() => normalQuantile(0)).toThrow(RangeError);
    expect(() => normalQuantile(1)).toThrow(RangeError);
  });
});
