// Properties every relaxed Bernoulli gate family must have, checked by Monte Carlo against the
// closed forms its `pOpen` / `pKeep` / `pUndecided` claim.
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { InputError } from '@slt/core';
import {
  cast,
  greater,
  less,
  logicalAnd,
  mean,
  memory,
  notEqual,
  randomNormal,
  randomUniform,
  setBackend,
  sum,
  type Tensor,
  tensor1d,
  tensor2d,
  tidy,
  variableGrads,
} from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Gate, NoiseSource } from './gate.js';
import { createGate, gates } from './registry.js';

beforeAll(async () => {
  await setBackend('cpu');
});

/** Reproducible noise for a test: tfjs's seeded generators, a new seed per draw. */
function seededNoise(seed: number): NoiseSource {
  let next = seed;
  return {
    normal: (shape) => randomNormal([...shape], 0, 1, 'float32', next++),
    uniform: (shape) => randomUniform([...shape], 1e-7, 1 - 1e-7, 'float32', next++),
  };
}

/** A gate of shape [rows, draws] whose location parameter is `locations[r]` on row r. */
function gateWithRows(kind: string, locations: readonly number[], draws: number): Gate {
  const gate = createGate(kind, [locations.length, draws]);
  const values = locations.flatMap((l) => new Array<number>(draws).fill(l));
  tidy(() => gate.params()[0].assign(tensor2d(values, [locations.length, draws])));
  return gate;
}

/** Per-row mean of a [rows, draws] tensor, as numbers. */
function rowMeans(t: Tensor): number[] {
  return tidy(() => Array.from(mean(t, 1).dataSync()));
}

const relaxed: Record<string, readonly number[]> = {
  // mu for gaussian (sigma 0.5 by default), log alpha for hard-concrete
  gaussian: [-1.2, -0.5, -0.1, 0, 0.05, 0.4, 1.1],
  'hard-concrete': [-4, -1, -0.2, 0, 0.3, 1.5, 5],
};

describe.each(Object.entries(relaxed))('%s gate', (kind, locations) => {
  it('Monte Carlo P(z > 0), P(z > 1/2), P(0 < z < 1) over 100k draws match pOpen, pKeep, pUndecided', () => {
    const draws = 100_000;
    const gate = gateWithRows(kind, locations, draws);
    const z = gate.sample(seededNoise(11));
    const open = rowMeans(cast(greater(z, 0), 'float32'));
    const keep = rowMeans(cast(greater(z, 0.5), 'float32'));
    const undecided = rowMeans(cast(logicalAnd(greater(z, 0), less(z, 1)), 'float32'));
    const pOpen = rowMeans(gate.pOpen());
    const pKeep = rowMeans(gate.pKeep());
    const pUndecided = rowMeans(gate.pUndecided());
    // 100k Bernoulli draws: standard error at most 0.0016, so 0.008 is five standard errors.
    locations.forEach((_, r) => {
      expect(Math.abs(open[r] - pOpen[r])).toBeLessThan(0.008);
      expect(Math.abs(keep[r] - pKeep[r])).toBeLessThan(0.008);
      expect(Math.abs(undecided[r] - pUndecided[r])).toBeLessThan(0.008);
    });
    // The probabilities are ordered and the point masses are real.
    locations.forEach((_, r) => {
      expect(pKeep[r]).toBeLessThanOrEqual(pOpen[r] + 1e-7);
      expect(pUndecided[r]).toBeLessThanOrEqual(pOpen[r] + 1e-7);
      expect(pOpen[r] - pUndecided[r]).toBeGreaterThan(0); // P(z = 1) > 0
    });
    z.dispose();
    gate.dispose();
  });

  it('samples stay in [0, 1] with mass at both ends', () => {
    const gate = gateWithRows(kind, [locations[3]], 20_000);
    const values = gate.sample(seededNoise(3)).dataSync();
    let zeros = 0;
    let ones = 0;
    for (const v of values) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
      if (v === 0) zeros += 1;
      if (v === 1) ones += 1;
    }
    expect(zeros).toBeGreaterThan(0);
    expect(ones).toBeGreaterThan(0);
    gate.dispose();
  });

  it('mask() is strictly 0/1 and equals 1[deterministic > 1/2]', () => {
    // Locations spread over both signs (away from |x| < 1e-6, where x + 1/2 rounds to 1/2 in float32).
    const values = Array.from(randomNormal([4000], 0, 2, 'float32', 5).dataSync()).map((v) =>
      Math.abs(v) < 1e-6 ? 1e-3 : v,
    );
    const gate = createGate(kind, [values.length]);
    tidy(() => gate.params()[0].assign(tensor1d(values)));
    const mask = gate.mask();
    expect(mask.dtype).toBe('float32');
    const m = mask.dataSync();
    const d = gate.deterministic().dataSync();
    let kept = 0;
    for (let i = 0; i < m.length; i++) {
      expect(m[i] === 0 || m[i] === 1).toBe(true);
      expect(m[i]).toBe(d[i] > 0.5 ? 1 : 0);
      kept += m[i];
    }
    expect(kept).toBeGreaterThan(1000);
    expect(kept).toBeLessThan(3000);
    gate.dispose();
  });

  it('the gradient of sample() w.r.t. the gate parameter is non-zero exactly where 0 < z < 1', () => {
    const gate = gateWithRows(kind, locations, 2000);
    const shape = [locations.length, 2000];
    // The same noise for the forward value and the gradient: a source that replays one draw.
    const drawn = seededNoise(21);
    const eps = drawn.normal(shape);
    const u = drawn.uniform(shape);
    const replay: NoiseSource = { normal: () => eps, uniform: () => u };
    const z = gate.sample(replay);
    const { grads } = variableGrads(() => sum(gate.sample(replay)), gate.params());
    const g = grads[gate.params()[0].name];
    const inside = logicalAnd(greater(z, 0), less(z, 1)).dataSync();
    const nonZero = notEqual(g, 0).dataSync();
    let insideCount = 0;
    for (let i = 0; i < inside.length; i++) {
      expect(nonZero[i]).toBe(inside[i]);
      insideCount += inside[i];
    }
    expect(insideCount).toBeGreaterThan(1000); // both kinds of entries are exercised
    expect(insideCount).toBeLessThan(inside.length - 1000);
    for (const v of g.dataSync()) expect(v).toBeGreaterThanOrEqual(0); // z grows with the parameter
    gate.dispose();
  });

  it('initialPOpen sets P(z > 0) of every gate', () => {
    for (const p of [0.05, 0.3, 0.5, 0.9, 0.99]) {
      const gate = createGate(kind, [3], { initialPOpen: p });
      for (const v of gate.pOpen().dataSync()) expect(v).toBeCloseTo(p, 5);
      gate.dispose();
    }
  });

  it('project() keeps the parameter within its limit, and the methods leak no tensors', () => {
    const start = memory().numTensors;
    const gate = createGate(kind, [4]);
    tidy(() => gate.params()[0].assign(tensor1d([-1e6, -1, 1, 1e6])));
    gate.project();
    const [lo, , , hi] = gate.params()[0].dataSync();
    expect(lo).toBeGreaterThan(-1e6);
    expect(hi).toBeLessThan(1e6);
    expect(lo).toBe(-hi);
    const before = memory().numTensors;
    for (const method of ['sample', 'deterministic', 'mask', 'pOpen', 'pKeep', 'pUndecided'] as const) {
      gate[method]().dispose();
    }
    gate.project();
    expect(memory().numTensors).toBe(before);
    gate.dispose();
    expect(memory().numTensors).toBe(start);
  });
});

describe('gate registry', () => {
  it('an unknown family is an InputError that lists every registered family', () => {
    let message = '';
    try {
      createGate('gausian', [2]);
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      message = (error as Error).message;
    }
    expect(message).toMatch(/unknown gate 'gausian'/);
    for (const name of gates.names()) expect(message).toContain(name);
    expect(gates.names()).toEqual(expect.arrayContaining(['gaussian', 'hard-concrete']));
  });

  it('every family creates a gate of the requested shape whose outputs have that shape', () => {
    for (const kind of gates.names()) {
      const gate = createGate(kind, [3, 5], { targetSparsity: 0.5, name: `t-${kind}` });
      expect(gate.kind).toBe(kind);
      for (const method of ['sample', 'deterministic', 'mask', 'pOpen', 'pKeep', 'pUndecided'] as const) {
        const t = method === 'sample' ? gate.sample(seededNoise(1)) : gate[method]();
        expect(t.shape, `${kind}.${method}`).toEqual([3, 5]);
        t.dispose();
      }
      gate.dispose();
    }
  });

  it('gates of any family created without a name coexist (tfjs variable names are global)', () => {
    for (const kind of gates.names()) {
      const a = createGate(kind, [2]);
      const b = createGate(kind, [2]);
      const names = [...a.params(), ...b.params()].map((v) => v.name);
      expect(new Set(names).size).toBe(names.length);
      a.dispose();
      b.dispose();
    }
  });
});
