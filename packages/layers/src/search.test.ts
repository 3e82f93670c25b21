import '@tensorflow/tfjs-backend-cpu';
import { type Dataset, loadDataset, toTensors } from '@slt/data';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { findTicket } from './search.js';

/** Accuracy of an ordinary Layers model on the test split, fed as the search feeds it (normalised). */
function layersAccuracy(net: tfl.LayersModel, dataset: Dataset): number {
  const { x, y } = toTensors(dataset.test, dataset.info);
  const acc = tf.tidy(() => {
    const predicted = tf.argMax(net.predict(x) as tf.Tensor, 1);
    return tf.mean(tf.cast(tf.equal(predicted, y), 'float32')).dataSync()[0];
  });
  tf.dispose([x, y]);
  return acc;
}

describe('findTicket on models built the ordinary tfjs way (mnist10k subset)', async () => {
  await tf.setBackend('cpu'); // where the user's model is built; the search picks its own backend
  const dataset = await loadDataset('mnist10k', { trainLimit: 4000, testLimit: 1000 });
  const base = { dataset: 'mnist10k', epochs: 4, batchSize: 100, targetSparsity: 0.5, seed: 1 };

  it('gates a tf.sequential MLP and finds a ticket far above chance', async () => {
    const mlp = tfl.sequential({
      layers: [
        tfl.layers.flatten({ inputShape: [28, 28, 1] }),
        tfl.layers.dense({ units: 128, activation: 'relu', kernelInitializer: 'heNormal', useBias: false }),
        tfl.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: 'heNormal', useBias: false }),
      ],
    });
    const before = mlp.getWeights().map((w) => w.dataSync().slice());
    const ticket = await findTicket(mlp, { config: base, dataset });
    expect(ticket.summary.test_acc).toBeGreaterThan(0.75); // chance: 0.1
    expect(ticket.summary.sparsity).toBeGreaterThan(0.3);
    // The masked copy is an ordinary LayersModel that scores what the search reported.
    const acc = layersAccuracy(ticket.model, dataset);
    expect(Math.abs(acc - (ticket.summary.test_acc ?? 0))).toBeLessThan(0.005);
    // Kept weights are the frozen random ones (times the layer's rescale); the source is untouched.
    const [kernel] = ticket.model.layers[1].getWeights();
    const name = `${mlp.layers[1].name}.kernel`;
    const mask = ticket.masks.get(name)!;
    const values = kernel.dataSync();
    const scale = ticket.scales[name];
    for (let i = 0; i < 500; i++) expect(values[i]).toBeCloseTo(mask[i] * before[0][i] * scale, 5);
    expect(mlp.getWeights().map((w) => w.dataSync().slice())).toEqual(before);
  });

  it('structured gates remove whole units (Dense columns)', async () => {
    const mlp = tfl.sequential({
      layers: [
        tfl.layers.flatten({ inputShape: [28, 28, 1] }),
        tfl.layers.dense({ units: 64, activation: 'relu', kernelInitializer: 'heNormal' }),
        tfl.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: 'heNormal' }),
      ],
    });
    const ticket = await findTicket(mlp, { config: { ...base, epochs: 1, gates: 'structured' }, dataset });
    expect(ticket.summary.unit_sparsity).not.toBeNull();
    const units = ticket.masks.get(`${mlp.layers[1].name}.kernel`)!; // (64,): one gate per unit
    expect(units.length).toBe(64);
    const removed = units.filter((m) => m === 0).length;
    expect(removed).toBeGreaterThan(0);
    expect(removed).toBeLessThan(64);
    // In the masked copy a removed unit's kernel column is all zeros, a kept one's is not.
    const kernel = ticket.model.layers[1].getWeights()[0].arraySync() as number[][]; // (784, 64)
    for (let unit = 0; unit < 64; unit++) {
      const column = kernel.map((row) => row[unit]);
      expect(column.some((v) => v !== 0)).toBe(units[unit] === 1);
    }
  });

  it('gates a small CNN (conv, pooling, dense) and finds a ticket far above chance', async () => {
    const cnn = tfl.sequential({
      layers: [
        tfl.layers.conv2d({
          inputShape: [28, 28, 1],
          filters: 16,
          kernelSize: 5,
          strides: 2,
          activation: 'relu',
          kernelInitializer: 'heNormal',
        }),
        tfl.layers.maxPooling2d({ poolSize: 2 }),
        tfl.layers.flatten(),
        tfl.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: 'heNormal' }),
      ],
    });
    const ticket = await findTicket(cnn, { config: base, dataset });
    expect(ticket.summary.test_acc).toBeGreaterThan(0.7);
    const acc = layersAccuracy(ticket.model, dataset);
    expect(Math.abs(acc - (ticket.summary.test_acc ?? 0))).toBeLessThan(0.005);
  });
});
