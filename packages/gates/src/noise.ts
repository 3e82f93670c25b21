import { randomNormal, randomUniform } from '@tensorflow/tfjs-core';
import type { NoiseSource } from './gate.js';

const TINY = 1e-6;

/** Noise from tfjs's own generators (unseeded): fine for a quick experiment, not reproducible. */
export const defaultNoise: NoiseSource = {
  normal: (shape) => randomNormal([...shape]),
  uniform: (shape) => randomUniform([...shape], TINY, 1 - TINY),
};
