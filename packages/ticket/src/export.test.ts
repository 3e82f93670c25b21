import { gateShape } from '@slt/gates';
import '@tensorflow/tfjs-backend-cpu';
import { createModel } from '@slt/models';
import { abs, argMax, io, max, memory, randomNormal, sub, type Tensor, tidy } from '@tensorflow/tfjs-core';
import { loadLayersModel } from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { denseSafetensors, readDenseSafetensors, type TfjsArtifacts, tfjsArtifacts } from './export.js';
import { decodeTicket, encodeTicket } from './format.js';
import { randomMask as lcgMask } from './masks.testing.js';
import { rebuildWeights, weightTensors } from './rebuild.js';
import { createTicket, type Ticket } from './ticket.js';

function makeTicket(
  structure: 'unstructured' | 'structured',
  activation: string,
  density: number,
  slope?: number,
): Ticket {
  const modelArgs = {
    inputShape: [6, 6, 1],
    classes: 4,
    hidden: [12, 7],
    activation,
    ...(slope === undefined ? {} : { slope }),
  };
  const model = createModel('lenet300', modelArgs);
  const masks = new Map(
    model.params.map((p, i) => [
      p.name,
      lcgMask(
        gateShape(p, structure).reduce((a, b) => a * b, 1),
        density,
        5 + i,
      ),
    ]),
  );
  return decodeTicket(
    encodeTicket(
      createTicket({
        model: 'lenet300',
        modelArgs,
        init: 'kaiming-normal',
        seed: 11,
        gate: 'gaussian',
        structure,
        rescale: 'mask',
        dataset: 'mnist10k',
        masks,
      }),
    ),
  );
}

async function load(artifacts: TfjsArtifacts) {
  const weightData = artifacts.weightData.slice().buffer;
  return loadLayersModel(
    io.fromMemory({
      modelTopology: artifacts.modelJson.modelTopology,
      weightSpecs: artifacts.modelJson.weightsManifest[0].weights,
      weightData,
    }),
  );
}

/** Logits of the ticket through its own model.apply. */
function ticketLogits(ticket: Ticket, x: Tensor): Tensor {
  const { model, weights } = rebuildWeights(ticket);
  const tensors = weightTensors(model, weights);
  const out = model.apply(tensors, x, { training: false });
  for (const t of Object.values(tensors)) t.dispose();
  return out;
}

describe('export to TensorFlow.js Layers', () => {
  for (const [structure, activation, slope] of [
    ['unstructured', 'relu', undefined],
    ['structured', 'relu', undefined],
    ['unstructured', 'prelu', undefined],
    ['structured', 'prelu', 0.75],
  ] as const) {
    it(`loads with tf.loadLayersModel and predicts like the ticket (${structure}, ${activation}, slope ${slope ?? 'default'})`, async () => {
      const ticket = makeTicket(structure, activation, structure === 'structured' ? 0.6 : 0.3, slope);
      const artifacts = tfjsArtifacts(ticket);
      const layers = await load(artifacts);
      const x = randomNormal([64, 6, 6, 1], 0, 1, 'float32', 3);
      const expected = ticketLogits(ticket, x);
      const actual = layers.predict(x) as Tensor;
      const diff = tidy(() => max(abs(sub(actual, expected))).dataSync()[0]);
      expect(diff).toBeLessThan(1e-5);
      expect(Array.from(argMax(actual, -1).dataSync())).toEqual(Array.from(argMax(expected, -1).dataSync()));
      layers.dispose();
      for (const t of [x, expected, actual]) t.dispose();
    });
  }

  it('removes the units of a structured ticket: the parameter count is the kept units weights', () => {
    const ticket = makeTicket('structured', 'relu', 0.6);
    const { network } = tfjsArtifacts(ticket);
    const kept1 = ticket.masks.get('fc1.weight')?.reduce((a, b) => a + b, 0) as number;
    const kept2 = ticket.masks.get('fc2.weight')?.reduce((a, b) => a + b, 0) as number;
    const [l1, l2, l3] = network.layers;
    expect(l1.units).toBeLessThanOrEqual(kept1);
    expect(l2.units).toBeLessThanOrEqual(kept2);
    expect(l3.units).toBe(4);
    expect(l2.inputs).toBe(l1.units);
    expect(l3.inputs).toBe(l2.units);
    expect(network.parameterCount).toBe(36 * l1.units + l1.units * l2.units + l2.units * 4);
    expect(network.parameterCount).toBeLessThan(network.originalParameterCount);
    expect(network.originalParameterCount).toBe(36 * 12 + 12 * 7 + 7 * 4);
  });
});

describe('dense export', () => {
  it('round-trips the masked float32 weights with the model name and arguments', () => {
    const ticket = makeTicket('unstructured', 'relu', 0.5);
    const dense = readDenseSafetensors(denseSafetensors(ticket));
    const { weights } = rebuildWeights(ticket);
    expect(dense.model).toBe('lenet300');
    expect(dense.modelArgs).toEqual(ticket.modelArgs);
    expect(dense.weights).toEqual(weights);
  });

  it('keeps the tensor count stable (no leaks) across exports', () => {
    const ticket = makeTicket('unstructured', 'relu', 0.5);
    tfjsArtifacts(ticket);
    const before = memory().numTensors;
    tfjsArtifacts(ticket);
    expect(memory().numTensors).toBe(before);
  });
});
