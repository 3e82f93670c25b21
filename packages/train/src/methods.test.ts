import { describe, expect, it } from 'vitest';
import { defaultConfig, resolveConfig } from './config.js';
import { methodDefaults, methods } from './methods.js';

describe('method recipes', () => {
  const crbg = methods.get('crbg');

  it('crbg runs the relaxed Adam recipe on LeNet-300-100, on models it has no recipe for, and with structured gates', () => {
    for (const choice of [
      { model: 'lenet300' },
      { model: 'layers:my-net' },
      {},
      { model: 'conv6', gates: 'structured' as const },
    ]) {
      const config = resolveConfig(methodDefaults(crbg, choice));
      expect(config).toMatchObject({
        optimizer: 'adam',
        lr: 'auto',
        hardFrom: defaultConfig.hardFrom,
        gateInitSpread: 0,
      });
    }
  });

  it('crbg runs SGD on 0/1 gates from a random ticket on the nets with normalisation layers', () => {
    for (const model of ['conv6', 'resnet18', 'vit', 'swin']) {
      const config = resolveConfig(methodDefaults(crbg, { model }), { model });
      expect(config).toMatchObject({
        optimizer: 'sgd',
        lr: 0.6,
        batchSize: 32,
        hardFrom: 0,
        sigma: 0.01,
        gateInitSpread: 0.5,
      });
      // The method's own keys still hold.
      expect(config).toMatchObject({ gate: 'gaussian', regularizer: 'target', rescale: 'mask' });
    }
  });

  it('crbg uses PReLU and less final noise with structured gates on LeNet-300-100 only', () => {
    expect(resolveConfig(methodDefaults(crbg, { gates: 'structured' }))).toMatchObject({
      activation: 'prelu',
      sigmaEnd: 0.01,
      lr: 0.03,
    });
    expect(resolveConfig(methodDefaults(crbg, {})).activation).toBe('relu');
    expect(resolveConfig(methodDefaults(crbg, { model: 'conv4', gates: 'structured' })).activation).toBe('relu');
    expect(resolveConfig(methodDefaults(methods.get('edge-popup'), { gates: 'structured' })).activation).toBe('relu');
  });

  it('leaves the baselines their reference recipe on every model', () => {
    const edgePopup = methods.get('edge-popup');
    expect(methodDefaults(edgePopup, { model: 'conv6' })).toEqual(edgePopup.defaults);
  });
});
