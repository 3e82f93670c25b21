import '@tensorflow/tfjs-backend-cpu';
import { randomNormal, setBackend, type Tensor, tensor, tidy } from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initialWeights } from './init.js';
import type { Model, ModelArgs, ParamSpec } from './model.js';
import { createModel, models } from './registry.js';

beforeAll(async () => {
  await setBackend('cpu');
});

const CIFAR10: ModelArgs = { inputShape: [32, 32, 3], classes: 10 };
const FASHION: ModelArgs = { inputShape: [28, 28, 1], classes: 10 };

function count(model: Model, filter: (name: string) => boolean = () => true): number {
  return model.params.filter((p) => filter(p.name)).reduce((total, p) => total + p.shape.reduce((a, b) => a * b, 1), 0);
}

// Published totals are for the ImageNet models (1000 classes, 224x224, with biases and norm
// affines); each line below removes or replaces one thing so the number can be checked by hand.
describe('parameter counts against the published architectures', () => {
  it('resnet18: torchvision 11,689,512', () => {
    const expected =
      11_689_512 -
      2 * 4_800 /* batch norm affine: 4,800 channels */ -
      (512 * 1000 + 1000) /* ImageNet head */ -
      7 * 7 * 3 * 64 /* 7x7 stem */ +
      3 * 3 * 3 * 64 /* CIFAR 3x3 stem */ +
      512 * 10; /* head without bias */
    expect(expected).toBe(11_164_352);
    expect(count(createModel('resnet18', CIFAR10))).toBe(expected);
  });

  it('resnet50: torchvision 25,557,032', () => {
    const expected = 25_557_032 - 2 * 26_560 - (2048 * 1000 + 1000) - 7 * 7 * 3 * 64 + 3 * 3 * 3 * 64 + 2048 * 10;
    expect(expected).toBe(23_467_712);
    expect(count(createModel('resnet50', CIFAR10))).toBe(expected);
  });

  it('wrn50_2: torchvision wide_resnet50_2 68,883,240', () => {
    const expected = 68_883_240 - 2 * 34_112 - (2048 * 1000 + 1000) - 7 * 7 * 3 * 64 + 3 * 3 * 3 * 64 + 2048 * 10;
    expect(expected).toBe(66_778_816);
    expect(count(createModel('wrn50_2', CIFAR10))).toBe(expected);
  });

  it('vit base: timm vit_base_patch16_224 86,567,656', () => {
    // Per block: biases 2304 + 768 + 3072 + 768 and two layer-norm affines 4 * 768.
    const blockWeights =
      86_567_656 -
      12 * (6_912 + 3_072) -
      (16 * 16 * 3 * 768 + 768) /* patch embedding */ -
      768 /* class token */ -
      197 * 768 /* position embedding */ -
      2 * 768 /* final norm */ -
      (768 * 1000 + 1000); /* head */
    expect(blockWeights).toBe(12 * 12 * 768 * 768);
    const model = createModel('vit', { ...CIFAR10, size: 'base' });
    expect(count(model, (n) => n.startsWith('blocks.'))).toBe(blockWeights);
    // CIFAR form: 4x4 patches, 64 tokens, mean pooling, 10 classes.
    expect(count(model)).toBe(blockWeights + 4 * 4 * 3 * 768 + 64 * 768 + 768 * 10);
  });

  it('vit tiny and small: DeiT-Ti and DeiT-S block widths (192 and 384, 12 layers)', () => {
    const tiny = count(createModel('vit', { ...CIFAR10, size: 'tiny' }), (n) => n.startsWith('blocks.'));
    const small = count(createModel('vit', { ...CIFAR10, size: 'small' }), (n) => n.startsWith('blocks.'));
    expect(tiny).toBe(12 * 12 * 192 * 192);
    expect(small).toBe(12 * 12 * 384 * 384);
  });

  it('swin tiny: timm swin_tiny_patch4_window7_224 28,288,354', () => {
    const blockAndMergeWeights =
      28_288_354 -
      (768 * 1000 + 1000) /* head */ -
      13 * (2 * 96 + 2 * 192 + 6 * 384 + 2 * 768) /* per block: 9C of biases, 4C of norm affines */ -
      8 * (96 + 192 + 384) /* patch-merging norms (4C each, weight + bias) */ -
      2 * 768 /* final norm */ -
      (4 * 4 * 3 * 96 + 96 + 2 * 96) /* patch embedding with bias and norm */ -
      169 * (2 * 3 + 2 * 6 + 6 * 12 + 2 * 24); /* relative position bias tables, 7x7 windows */
    expect(blockAndMergeWeights).toBe(
      12 * (2 * 96 ** 2 + 2 * 192 ** 2 + 6 * 384 ** 2 + 2 * 768 ** 2) + 8 * (96 ** 2 + 192 ** 2 + 384 ** 2),
    );
    const model = createModel('swin', CIFAR10);
    expect(count(model, (n) => n.startsWith('layers.') && !n.endsWith('rel_bias'))).toBe(blockAndMergeWeights);
    // CIFAR form: 2x2 patches, 4x4 windows (16 -> 8 -> 4 tokens), clamped to 2x2 at the last stage.
    const biasTables = 49 * (2 * 3 + 2 * 6 + 6 * 12) + 9 * (2 * 24);
    expect(count(model)).toBe(blockAndMergeWeights + 2 * 2 * 3 * 96 + biasTables + 768 * 10);
  });

  it('conv2 and conv4: Frankle & Carbin 2019 (Figure 2) 4.3M and 2.4M on CIFAR-10', () => {
    const conv2 = 3 * 3 * (3 * 64 + 64 * 64) + 16 * 16 * 64 * 256 + 256 * 256 + 256 * 10;
    const conv4 = 3 * 3 * (3 * 64 + 64 * 64 + 64 * 128 + 128 * 128) + 8 * 8 * 128 * 256 + 256 * 256 + 256 * 10;
    expect(count(createModel('conv2', CIFAR10))).toBe(conv2);
    expect(count(createModel('conv4', CIFAR10))).toBe(conv4);
    expect((conv2 / 1e6).toFixed(1)).toBe('4.3');
    expect((conv4 / 1e6).toFixed(1)).toBe('2.4');
  });

  it('conv6 and conv8 follow the same plan: one 3x3 block pair per stage, FC 256-256', () => {
    const convs6 = 3 * 3 * (3 * 64 + 64 * 64 + 64 * 128 + 128 * 128 + 128 * 256 + 256 * 256);
    expect(count(createModel('conv6', CIFAR10))).toBe(convs6 + 4 * 4 * 256 * 256 + 256 * 256 + 256 * 10);
    const convs8 = convs6 + 3 * 3 * (256 * 512 + 512 * 512);
    expect(count(createModel('conv8', CIFAR10))).toBe(convs8 + 2 * 2 * 512 * 256 + 256 * 256 + 256 * 10);
    // Fashion-MNIST: 28 -> 14 -> 7 -> 3 -> 1.
    expect(count(createModel('conv8', FASHION))).toBe(convs8 - 9 * 3 * 64 + 9 * 64 + 512 * 256 + 256 * 256 + 2560);
  });
});

describe('parameter specs', () => {
  it('every model builds on CIFAR-10 and Fashion-MNIST with unique names and a unit axis on every prunable weight but the classifier', () => {
    for (const name of models.names()) {
      for (const data of [CIFAR10, FASHION]) {
        const model = createModel(name, data);
        const names = model.params.map((p) => p.name);
        expect(new Set(names).size).toBe(names.length);
        const prunable = model.params.filter((p) => p.prunable);
        for (const p of model.params) expect(p.fanIn).toBeGreaterThan(0);
        // The last prunable weight maps to the classes, which are never removed as units.
        for (const p of prunable.slice(0, -1)) expect(p.unitAxis).toBeTypeOf('number');
        const classifier = prunable[prunable.length - 1];
        expect(classifier.shape[classifier.shape.length - 1]).toBe(data.classes);
        expect(classifier.unitAxis).toBeUndefined();
      }
    }
  });

  it('one structured gate covers one attention head in q, k, v and the output projection', () => {
    const model = createModel('vit', { ...CIFAR10, size: 'tiny' });
    const head = model.params.filter((p) => p.unitGroup === 'blocks.0.attn.heads');
    expect(head.map((p) => [p.name, p.unitAxis, p.unitSize])).toEqual([
      ['blocks.0.attn.q.weight', 1, 64],
      ['blocks.0.attn.k.weight', 1, 64],
      ['blocks.0.attn.v.weight', 1, 64],
      ['blocks.0.attn.proj.weight', 0, 64],
    ]);
    const hidden = model.params.filter((p) => p.unitGroup === 'blocks.0.mlp.hidden');
    expect(hidden.map((p) => [p.name, p.unitAxis])).toEqual([
      ['blocks.0.mlp.fc1.weight', 1],
      ['blocks.0.mlp.fc2.weight', 0],
    ]);
  });

  it('rejects bad options with the option named', () => {
    expect(() => createModel('vit', { ...CIFAR10, size: 'huge' })).toThrow(/size must be one of tiny, small, base/);
    expect(() => createModel('vit', { ...CIFAR10, patch: 5 })).toThrow(/patch 5 does not divide/);
    expect(() => createModel('resnet18', { ...CIFAR10, width: -1 })).toThrow(/width must be a positive number/);
    expect(() => createModel('conv8', { inputShape: [8, 8, 1], classes: 10 })).toThrow(/too small/);
    expect(() => createModel('conv4', { inputShape: [784], classes: 10 })).toThrow(/needs image input/);
  });
});

/** Each entry's index along `axis` of a tensor of `shape` (row-major). */
function indexAlong(shape: readonly number[], axis: number): Int32Array {
  const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const total = shape.reduce((a, b) => a * b, 1);
  return Int32Array.from({ length: total }, (_, i) => Math.floor(i / inner) % shape[axis]);
}

describe('inputUnits: where a parameter takes its inputs from', () => {
  const chained = ['lenet300', 'conv2', 'conv4', 'conv6', 'conv8'];

  it('names an earlier prunable parameter with a unit axis, on an axis whose length the producer units divide', () => {
    for (const name of models.names()) {
      for (const data of [CIFAR10, FASHION]) {
        const model = createModel(name, data);
        const prunable = model.params.filter((p) => p.prunable);
        const fed = prunable.filter((p) => p.inputUnits !== undefined);
        // Chains of layers without bias or normalisation declare every input; nets with a
        // residual stream or shared heads declare none (a removed unit does not silence an input).
        expect(fed.map((p) => p.name)).toEqual(chained.includes(name) ? prunable.slice(1).map((p) => p.name) : []);
        for (const spec of fed) {
          const { from, axis } = spec.inputUnits as { from: string; axis: number };
          const at = model.params.findIndex((p) => p.name === from);
          expect(at, `${name} ${spec.name} <- ${from}`).toBeGreaterThanOrEqual(0);
          expect(at).toBeLessThan(model.params.indexOf(spec));
          const producer = model.params[at];
          expect(producer.prunable).toBe(true);
          expect(producer.unitAxis).toBeTypeOf('number');
          expect(Number.isInteger(axis) && axis >= 0 && axis < spec.shape.length).toBe(true);
          expect(axis).not.toBe(spec.unitAxis);
          const units = producer.shape[producer.unitAxis as number];
          expect(spec.shape[axis] % units, `${name} ${spec.name}`).toBe(0);
        }
      }
    }
  });

  it('conv nets: convolutions take the previous channels on axis 2, fc1 the last convolution through the flatten', () => {
    const model = createModel('conv4', CIFAR10);
    expect(model.params.map((p) => [p.name, p.inputUnits?.from, p.inputUnits?.axis])).toEqual([
      ['conv1.weight', undefined, undefined],
      ['conv2.weight', 'conv1.weight', 2],
      ['conv3.weight', 'conv2.weight', 2],
      ['conv4.weight', 'conv3.weight', 2],
      ['fc1.weight', 'conv4.weight', 0],
      ['fc2.weight', 'fc1.weight', 0],
      ['fc3.weight', 'fc2.weight', 0],
    ]);
    // 8 x 8 positions of 128 channels, channel fastest.
    expect(model.params[4].shape[0]).toBe(8 * 8 * 128);
    const hidden = createModel('lenet300', { ...FASHION, hidden: [20, 10, 5] });
    expect(hidden.params.map((p) => p.inputUnits?.from)).toEqual([undefined, 'fc1.weight', 'fc2.weight', 'fc3.weight']);
  });

  const tinyArgs: Record<string, ModelArgs> = {
    lenet300: { inputShape: [5, 5, 1], classes: 3, hidden: [6, 4], activation: 'leaky-relu', slope: 0.5 },
    conv2: { inputShape: [6, 6, 1], classes: 3, width: 1 / 16, activation: 'leaky-relu', slope: 0.5 },
    conv4: { inputShape: [8, 8, 2], classes: 3, width: 1 / 32, activation: 'leaky-relu', slope: 0.5 },
  };

  it.each(Object.keys(tinyArgs))(
    '%s: with a producer unit zeroed, the inputs it feeds (index mod units) no longer change the output; another unit’s do',
    (name) => {
      const model = createModel(name, tinyArgs[name]);
      const initial = initialWeights(model.params, { recipe: 'kaiming-normal', seed: 5 });
      const x = randomNormal([4, ...model.inputShape], 0, 1, 'float32', 11);
      const logits = (values: Map<string, Float32Array>): Float32Array =>
        tidy(() => {
          const weights: Record<string, Tensor> = {};
          for (const p of model.params) weights[p.name] = tensor(values.get(p.name) as Float32Array, [...p.shape]);
          return model.apply(weights, x, { training: false }).dataSync() as Float32Array;
        });
      const maxDiff = (a: Float32Array, b: Float32Array) =>
        Math.max(...a.map((v, i) => Math.abs(v - (b[i] as number))));
      const fed = model.params.filter((p): p is ParamSpec & { inputUnits: { from: string; axis: number } } =>
        Boolean(p.inputUnits),
      );
      expect(fed.length).toBeGreaterThan(0);
      for (const spec of fed) {
        const producer = model.params.find((p) => p.name === spec.inputUnits.from) as ParamSpec;
        const units = producer.shape[producer.unitAxis as number];
        const [off, on] = [1, 0];
        const values = new Map(initial);
        const unitOf = indexAlong(producer.shape, producer.unitAxis as number);
        values.set(
          producer.name,
          (initial.get(producer.name) as Float32Array).map((w, i) => (unitOf[i] === off ? 0 : w)),
        );
        const base = logits(values);
        const along = indexAlong(spec.shape, spec.inputUnits.axis);
        const perturbed = (unit: number) =>
          new Map(values).set(
            spec.name,
            (values.get(spec.name) as Float32Array).map((w, i) =>
              (along[i] as number) % units === unit ? 3 - 7 * w : w,
            ),
          );
        expect(maxDiff(logits(perturbed(off)), base), `${name} ${spec.name}`).toBe(0);
        expect(maxDiff(logits(perturbed(on)), base), `${name} ${spec.name}`).toBeGreaterThan(1e-3);
      }
      x.dispose();
    },
  );
});
