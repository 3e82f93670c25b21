import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-wasm';
import { createGate, expandGate, type Gate, type GateStructure, gateShape, type NoiseSource } from '@slt/gates';
import {
  cast,
  logSoftmax,
  mean,
  memory,
  mul,
  neg,
  oneHot,
  randomNormal,
  randomUniform,
  type Scalar,
  setBackend,
  sum,
  type Tensor,
  tensor,
  tensor1d,
  tidy,
  train,
  variableGrads,
} from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initialWeights } from './init.js';
import type { Model, ModelArgs, Weights } from './model.js';
import { createModel, models } from './registry.js';

beforeAll(async () => {
  await setBackend('wasm');
});

/** Tiny variants of every registered model (the sweep must cover the registry). */
const tiny: Record<string, ModelArgs> = {
  lenet300: { inputShape: [6, 6, 1], classes: 3, hidden: [8, 6] },
  conv2: { inputShape: [6, 6, 1], classes: 3, width: 1 / 16 },
  conv4: { inputShape: [8, 8, 3], classes: 3, width: 1 / 16 },
  conv6: { inputShape: [9, 9, 1], classes: 3, width: 1 / 16 },
  conv8: { inputShape: [16, 16, 3], classes: 3, width: 1 / 32 },
  resnet18: { inputShape: [8, 8, 3], classes: 3, width: 1 / 16, blocks: [1, 1, 1, 1] },
  resnet50: { inputShape: [7, 7, 1], classes: 3, width: 1 / 16, blocks: [1, 1, 1] },
  wrn50_2: { inputShape: [8, 8, 3], classes: 3, width: 1 / 32, blocks: [1, 1] },
  vit: { inputShape: [8, 8, 1], classes: 3, dim: 8, heads: 2, layers: 1, patch: 4 },
  swin: { inputShape: [6, 6, 1], classes: 3, dim: 8, depths: [2, 1], heads: [2, 4], window: 2, patch: 2 },
};

/**
 * Gentle, seeded noise that keeps every relaxed sample strictly inside (0, 1), where the sample's
 * gradient is never clamped away: a zero gradient then means the model broke the path.
 */
const noise: NoiseSource = {
  normal: (shape) => randomNormal([...shape], 0, 0.1, 'float32', 5),
  uniform: (shape) => randomUniform([...shape], 0.45, 0.55, 'float32', 6),
};

/** Gates over a model's prunable parameters; a structured `unitGroup` shares one gate. */
function gatesFor(model: Model, kind: string, structure: GateStructure): Map<string, Gate> {
  const gates = new Map<string, Gate>();
  for (const spec of model.params) {
    if (!spec.prunable) continue;
    const key = structure === 'structured' && spec.unitGroup !== undefined ? spec.unitGroup : spec.name;
    if (!gates.has(key))
      gates.set(
        key,
        createGate(kind, gateShape(spec, structure), {
          name: `${model.name}/${kind}/${structure}/${key}`,
          init: 0,
        }),
      );
  }
  return gates;
}

describe('registry sweep on wasm: every model x gate family x structure', () => {
  it('covers every registered model', () => {
    expect(Object.keys(tiny).sort()).toEqual(models.names().sort());
  });

  for (const name of Object.keys(tiny)) {
    for (const kind of ['gaussian', 'hard-concrete']) {
      for (const structure of ['unstructured', 'structured'] as const) {
        it(`${name} / ${kind} / ${structure}: gate gradients flow, weights stay frozen, no tensor leaks`, () => {
          const model = createModel(name, tiny[name]);
          const init = initialWeights(model.params, { recipe: 'signed-constant', seed: 0 });
          const frozen: Weights = Object.fromEntries(
            model.params.map((p) => [p.name, tensor(init.get(p.name) as Float32Array, [...p.shape])]),
          );
          const before = new Map(model.params.map((p) => [p.name, frozen[p.name].dataSync().slice()]));
          const gates = gatesFor(model, kind, structure);
          const variables = [...gates.values()].flatMap((g) => g.params());
          const x = randomNormal([2, ...model.inputShape], 0, 1, 'float32', 3);
          const labels = cast(oneHot(tensor1d([0, 2], 'int32'), model.classes), 'float32');
          const optimizer = train.adam(0.01);
          const loss = (): Scalar => {
            const samples = new Map([...gates].map(([key, gate]) => [key, gate.sample(noise)]));
            const weights: Record<string, Tensor> = { ...frozen };
            for (const spec of model.params) {
              if (!spec.prunable) continue;
              const key = structure === 'structured' && spec.unitGroup !== undefined ? spec.unitGroup : spec.name;
              weights[spec.name] = mul(frozen[spec.name], expandGate(samples.get(key) as Tensor, spec, structure));
            }
            const logits = model.apply(weights, x, { training: true }); // (2, classes)
            expect(logits.shape).toEqual([2, model.classes]);
            return neg(mean(sum(mul(labels, logSoftmax(logits)), 1))) as Scalar;
          };
          const counts: number[] = [];
          for (let step = 0; step < 3; step++) {
            tidy(() => {
              const { value, grads } = variableGrads(loss, variables);
              expect(Number.isFinite(value.dataSync()[0])).toBe(true);
              if (step === 0) {
                for (const v of variables) {
                  const g = grads[v.name].dataSync();
                  expect(g.every(Number.isFinite), `${v.name} finite`).toBe(true);
                  expect(
                    g.some((d) => d !== 0),
                    `${v.name} has a non-zero gradient`,
                  ).toBe(true);
                }
              }
              optimizer.applyGradients(variables.map((v) => ({ name: v.name, tensor: grads[v.name] })));
            });
            for (const gate of gates.values()) gate.project();
            counts.push(memory().numTensors);
          }
          expect(counts[2]).toBe(counts[1]);
          for (const p of model.params) {
            expect(frozen[p.name].dataSync(), `${p.name} frozen`).toEqual(before.get(p.name));
          }
          optimizer.dispose();
          for (const gate of gates.values()) gate.dispose();
          for (const t of [x, labels, ...Object.values(frozen)]) t.dispose();
        });
      }
    }
  }
});
