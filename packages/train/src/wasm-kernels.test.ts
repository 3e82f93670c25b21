import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from './backend.js';
import './gradients.js';

describe('WASM kernel replacements', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it('gathers rows along axis 0 exactly as the CPU backend does, for float32, int32 and bool', () => {
    const x = tf.tensor3d(
      Array.from({ length: 5 * 3 * 2 }, (_, i) => i * 0.5 - 3),
      [5, 3, 2],
    );
    const index = tf.tensor1d([4, 0, 0, 2], 'int32');
    expect(tf.gather(x, index).arraySync()).toEqual([4, 0, 0, 2].map((r) => (x.arraySync() as number[][][])[r]));
    const labels = tf.tensor1d([7, 8, 9], 'int32');
    expect(tf.gather(labels, tf.tensor1d([2, 2, 1], 'int32')).arraySync()).toEqual([9, 9, 8]);
    expect(tf.gather(tf.tensor1d([true, false], 'bool'), tf.tensor1d([1, 0], 'int32')).arraySync()).toEqual([0, 1]);
    // A 2-D index gives an output of shape index.shape + row shape.
    expect(
      tf
        .gather(
          labels,
          tf.tensor2d(
            [
              [0, 1],
              [2, 0],
            ],
            [2, 2],
            'int32',
          ),
        )
        .arraySync(),
    ).toEqual([
      [7, 8],
      [9, 7],
    ]);
  });

  it('leaves other axes to the original kernel and rejects out-of-range rows', () => {
    const x = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
    expect(tf.gather(x, tf.tensor1d([2, 0], 'int32'), 1).arraySync()).toEqual([
      [3, 1],
      [6, 4],
    ]);
    expect(() => tf.gather(x, tf.tensor1d([2], 'int32'))).toThrow(/index value 2 is not in \[0, 1\]/);
  });

  it('shares buffers in Identity without leaking: clones read the same values and free with their tensor', () => {
    const before = tf.memory().numTensors;
    const x = tf.tensor1d([1, 2, 3]);
    const y = tf.clone(x);
    x.dispose();
    expect(Array.from(y.dataSync())).toEqual([1, 2, 3]);
    y.dispose();
    // Gradients save inputs through Identity: the values survive the step and nothing leaks.
    const initial = tf.tensor1d([1, -2, 3]);
    const v = tf.variable(initial);
    initial.dispose();
    const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(v, v)), [v]);
    expect(Array.from(grads[v.name].dataSync())).toEqual([2, -4, 6]);
    tf.dispose([value, grads]);
    v.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
