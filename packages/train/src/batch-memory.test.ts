import { createModel } from '@slt/models';
import { describe, expect, it } from 'vitest';
import { EVAL_BATCH_SIZE, evalBatchSize, microBatchSize } from './batch-memory.js';

describe('batch sizes from activation estimates', () => {
  it('leaves models without an estimate alone', () => {
    const lenet = createModel('lenet300', { inputShape: [28, 28, 1], classes: 10 });
    expect(evalBatchSize(lenet)).toBe(EVAL_BATCH_SIZE);
    expect(microBatchSize(lenet, 128)).toBe(128);
  });

  it('splits transformer passes so that they fit the WASM heap (ViT-tiny on 28x28: ~18 MiB per example)', () => {
    const vit = createModel('vit', { inputShape: [28, 28, 1], classes: 10, size: 'tiny' });
    const perExampleMiB = ((vit.activationFloats as number) * 4) / 2 ** 20;
    expect(perExampleMiB).toBeGreaterThan(15);
    expect(perExampleMiB).toBeLessThan(22);
    // 1 GiB per pass: ~55 examples to evaluate, a third as many to train.
    expect(evalBatchSize(vit)).toBeGreaterThan(40);
    expect(evalBatchSize(vit)).toBeLessThan(70);
    expect(microBatchSize(vit, 128)).toBe(Math.floor(evalBatchSize(vit) / 3));
    expect(microBatchSize(vit, 8)).toBe(8);
    const base = createModel('vit', { inputShape: [32, 32, 3], classes: 10, size: 'base' });
    expect(microBatchSize(base, 128)).toBeGreaterThanOrEqual(1);
    expect(microBatchSize(base, 128)).toBeLessThan(microBatchSize(vit, 128));
  });
});
