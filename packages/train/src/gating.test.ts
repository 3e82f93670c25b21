// Every gate family x structure over LeNet on WASM and CPU: forward and backward run, gradients
// reach every gate and no frozen weight, and the fused gating equals W * z * scale composed
// from plain tfjs ops, in value and in gradient.
import { type AnnealedGate, expandGate, type GateStructure } from '@slt/gates';
import { createModel, initialWeights } from '@slt/models';
import { expectedDensity } from '@slt/regularizers';
import {
  add,
  cast,
  greater,
  mean,
  memory,
  mul,
  type NamedTensorMap,
  randomNormal,
  randomUniform,
  type Scalar,
  scalar,
  square,
  sub,
  sum,
  type Tensor,
  tensor,
  tensor1d,
  tidy,
  Variable,
  variableGrads,
} from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it } from 'vitest';
import { type BackendName, useBackend } from './backend.js';
import { GatedNetwork, type Rescale } from './gating.js';
import { crossEntropy } from './loss.js';
import { poolNoise } from './noise.js';
import { createOptimizer } from './optimizer.js';
import { describeTicket } from './summary.js';
import './gradients.js';

/** Frees what a test built even when it fails, so the next one can reuse the variable names. */
const pending: Array<() => void> = [];
afterEach(() => {
  for (const free of pending.splice(0)) free();
});

const model = createModel('lenet300', { inputShape: [6, 6, 1], classes: 3, hidden: [8, 6] });
const initial = initialWeights(model.params, { recipe: 'signed-constant', seed: 4 });

function build(gate: string, structure: GateStructure, rescale: Rescale = 'mask', spread = 1) {
  const frozen: Record<string, Tensor> = {};
  for (const spec of model.params) frozen[spec.name] = tensor(initial.get(spec.name) as Float32Array, [...spec.shape]);
  const network = new GatedNetwork(model.params, frozen, {
    gate,
    structure,
    rescale,
    targetSparsity: 0.5,
    gateOptions: { sigma: 0.5, init: 0.05 },
  });
  // Spread the gate parameters so some gates are closed, some open and some undecided.
  tidy(() => {
    network.variables().forEach((v, i) => {
      v.assign(randomNormal(v.shape, 0, spread * (gate === 'gaussian' ? 0.4 : 2), 'float32', 7 + i));
    });
  });
  const dispose = () => {
    network.dispose();
    for (const t of Object.values(frozen)) t.dispose();
  };
  pending.push(dispose);
  return { network, frozen, dispose };
}

const sweep: Array<[BackendName, string, GateStructure]> = [];
for (const backend of ['wasm', 'cpu'] as const)
  for (const gate of ['gaussian', 'hard-concrete'])
    for (const structure of ['unstructured', 'structured'] as const) sweep.push([backend, gate, structure]);

describe.each(sweep)('%s: lenet300 x %s x %s', (backend, gate, structure) => {
  it('runs forward and backward; every gate gets a finite, non-zero gradient; frozen weights stay bit-identical', async () => {
    await useBackend(backend);
    const { network, frozen, dispose } = build(gate, structure, 'mask', 0.25);
    const noise = poolNoise(1, 1000);
    const x = randomUniform([12, 6, 6, 1], 0, 1, 'float32', 3);
    const y = tensor1d([0, 1, 2, 1, 0, 2, 2, 0, 1, 1, 0, 2], 'int32');
    const before = Object.fromEntries(Object.entries(frozen).map(([k, t]) => [k, Float32Array.from(t.dataSync())]));
    const optimizer = createOptimizer(network.variables(), { kind: 'adam' });
    const tensorsBefore = memory().numTensors;
    for (let step = 0; step < 3; step++) {
      noise.at(step);
      tidy(() => {
        const { value, grads } = variableGrads(() => {
          const logits = model.apply(network.effectiveWeights('sample', noise), x, { training: true });
          expect(logits.shape).toEqual([12, 3]);
          return crossEntropy(logits, y, 3);
        }, network.variables());
        expect(Number.isFinite(value.dataSync()[0])).toBe(true);
        expect(Object.keys(grads).sort()).toEqual(
          network
            .variables()
            .map((v) => v.name)
            .sort(),
        );
        for (const [name, g] of Object.entries(grads)) {
          const values = g.dataSync();
          expect(values.every(Number.isFinite), name).toBe(true);
          expect(
            values.some((v) => v !== 0),
            name,
          ).toBe(true);
        }
        optimizer.step(grads as NamedTensorMap, 0.05);
      });
      for (const g of network.gates.values()) g.project();
    }
    expect(memory().numTensors).toBe(tensorsBefore);
    for (const [name, t] of Object.entries(frozen)) {
      expect(t instanceof Variable, name).toBe(false);
      expect(Buffer.from(t.dataSync().buffer).equals(Buffer.from(before[name].buffer)), name).toBe(true);
    }
    // structured gates are one per output unit, except the classifier, whose units are the classes
    const shapes = Object.fromEntries([...network.gates].map(([k, g]) => [k, g.shape]));
    expect(shapes).toEqual(
      structure === 'structured'
        ? { 'fc1.weight': [8], 'fc2.weight': [6], 'fc3.weight': [6, 3] }
        : { 'fc1.weight': [36, 8], 'fc2.weight': [8, 6], 'fc3.weight': [6, 3] },
    );
    optimizer.dispose();
    noise.dispose();
    x.dispose();
    y.dispose();
    dispose();
  });

  it.each(['mask', 'fixed', 'none'] as const)(
    'rescale %s: gated weights equal W * z * scale composed from tfjs ops, in value and gradient',
    async (rescale) => {
      await useBackend(backend);
      const { network, frozen, dispose } = build(gate, structure, rescale);
      const probes = Object.fromEntries(
        model.params.map((p, i) => [p.name, randomNormal([...p.shape], 0, 1, 'float32', 30 + i)]),
      );
      // The scale is a statistic of the gates with no gradient: 1/sqrt(mean z^2) of the layer.
      const scaleOf = (z: Tensor) =>
        rescale === 'fixed'
          ? 1 / Math.sqrt(0.5)
          : rescale === 'none'
            ? 1
            : 1 / Math.sqrt(Math.max(mean(square(z)).dataSync()[0] as number, 1e-6));
      for (const mode of ['deterministic', 'mask'] as const) {
        const fused = tidy(() => network.effectiveWeights(mode));
        for (const { spec, gateKey } of network.entries) {
          const gate = network.gates.get(gateKey);
          if (gate === undefined) throw new Error(gateKey);
          const z = mode === 'mask' ? gate.mask() : gate.deterministic();
          const composed = tidy(() => mul(mul(frozen[spec.name], expandGate(z, spec, structure)), scalar(scaleOf(z))));
          const a = fused[spec.name].dataSync();
          const b = composed.dataSync();
          for (let i = 0; i < a.length; i++)
            expect(Math.abs(a[i] - b[i])).toBeLessThanOrEqual(1e-6 * Math.abs(b[i]) + 1e-7);
          composed.dispose();
          if (mode === 'deterministic') {
            // gradient of <gated weight, probe> w.r.t. the gate parameter, fused vs composed
            const s = scaleOf(z);
            const objective = (useFused: boolean) => (): Scalar =>
              sum(
                mul(
                  useFused
                    ? network.effectiveWeights('deterministic')[spec.name]
                    : mul(mul(frozen[spec.name], expandGate(gate.deterministic(), spec, structure)), scalar(s)),
                  probes[spec.name],
                ),
              ) as Scalar;
            const gFused = tidy(() => variableGrads(objective(true), gate.params()).grads);
            const gComposed = tidy(() => variableGrads(objective(false), gate.params()).grads);
            for (const v of gate.params()) {
              const p = gFused[v.name].dataSync();
              const q = gComposed[v.name].dataSync();
              for (let i = 0; i < p.length; i++)
                expect(Math.abs(p[i] - q[i])).toBeLessThanOrEqual(1e-4 * Math.abs(q[i]) + 1e-5);
            }
            for (const t of [...Object.values(gFused), ...Object.values(gComposed)]) t.dispose();
          }
          z.dispose();
        }
        for (const { spec } of network.entries) fused[spec.name].dispose();
      }
      for (const t of Object.values(probes)) t.dispose();
      dispose();
    },
  );
});

describe('gating edge cases', () => {
  it('an all-closed layer gives zero weights, not NaN, under rescale mask', async () => {
    await useBackend('wasm');
    const { network, dispose } = build('gaussian', 'unstructured', 'mask');
    tidy(() => {
      for (const v of network.variables()) v.assign(add(mul(v, scalar(0)), scalar(-0.5)));
    });
    const weights = tidy(() => network.effectiveWeights('mask'));
    for (const { spec } of network.entries) {
      const values = weights[spec.name].dataSync();
      expect(values.every((v) => v === 0)).toBe(true);
      weights[spec.name].dispose();
    }
    dispose();
  });

  it('structured groups record the unit gates feeding them; unstructured ones none', async () => {
    await useBackend('cpu');
    const structured = build('gaussian', 'structured');
    // 36-8-6-3: fc2's rows are fc1's 8 units (one weight per unit pair); the classifier's 6 x 3
    // entries are fed by fc2's 6 units.
    expect(structured.network.groups.map((g) => [g.weightsPerGate, g.input])).toEqual([
      [36, undefined],
      [8, { producer: 0, weightsPerPair: 1 }],
      [1, { producer: 1, weightsPerPair: 1, view: [1, 1, 6, 3] }],
    ]);
    structured.dispose();
    const plain = build('gaussian', 'unstructured');
    expect(plain.network.groups.every((g) => g.weightsPerGate === 1 && g.input === undefined)).toBe(true);
    plain.dispose();
  });

  it('with every gate decided, the regulariser’s expected density is the density describeTicket counts', async () => {
    await useBackend('cpu');
    for (const structure of ['structured', 'unstructured'] as const) {
      const { network, dispose } = build('gaussian', structure);
      // mu = +-0.75 at sigma 1e-3: P(keep) is 0 or 1, drawn so some units of each layer are off.
      tidy(() => {
        network.gates.forEach((gate, key) => {
          const [mu] = gate.params();
          const draw = randomUniform(mu.shape, 0, 1, 'float32', key.length + mu.size);
          mu.assign(sub(mul(cast(greater(draw, scalar(0.35)), 'float32'), scalar(1.5)), scalar(0.75)));
          (gate as AnnealedGate).sigma = 1e-3;
        });
      });
      const stats = describeTicket(model, network);
      const density = tidy(() => expectedDensity(network.groups).dataSync()[0] as number);
      expect(1 - density).toBeCloseTo(stats.sparsity, 5);
      expect(stats.expectedSparsity).toBeCloseTo(stats.sparsity, 5);
      if (structure === 'structured') {
        // Some fc1 units are off, so fc2 keeps fewer weights than its own units cover.
        const fc1 = stats.masks.get('fc1.weight') as Uint8Array;
        const fc2 = stats.masks.get('fc2.weight') as Uint8Array;
        const ones = (m: Uint8Array) => m.reduce((a, b) => a + b, 0);
        expect(ones(fc1)).toBeLessThan(8);
        expect(stats.layers[1]?.sparsity).toBeCloseTo(1 - (ones(fc1) * ones(fc2)) / 48, 12);
      }
      dispose();
    }
  });

  it('refuses inputUnits on a parameter that shares its gates with another', () => {
    const specs = [
      { name: 'a', shape: [4, 3], prunable: true, fanIn: 4, unitAxis: 1 },
      {
        name: 'b',
        shape: [3, 2],
        prunable: true,
        fanIn: 3,
        unitAxis: 1,
        unitGroup: 'g',
        inputUnits: { from: 'a', axis: 0 },
      },
      { name: 'c', shape: [2, 2], prunable: true, fanIn: 2, unitAxis: 0, unitGroup: 'g' },
    ];
    const frozen = Object.fromEntries(
      specs.map((p) => [p.name, tensor(new Float32Array(p.shape[0] * p.shape[1]), p.shape)]),
    );
    const options = {
      gate: 'gaussian',
      structure: 'structured' as const,
      rescale: 'mask' as const,
      targetSparsity: 0.5,
      gateOptions: {},
    };
    expect(() => new GatedNetwork(specs, frozen, options)).toThrow(/'b' shares its gates with another/);
    for (const t of Object.values(frozen)) t.dispose();
  });
});
