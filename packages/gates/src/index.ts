export type { Gate, GateOptions, NoiseSource } from './gate.js';
export { type AnnealedGate, type GaussianGateOptions, gaussianGate } from './gaussian.js';
export { type HardConcreteGateOptions, hardConcreteGate } from './hard-concrete.js';
export { logit, normalCdf, normalQuantile } from './math.js';
export { defaultNoise } from './noise.js';
export { createGate, type GateFactory, gates } from './registry.js';
export { expandGate, type GatedShape, type GateStructure, gateShape, unitCount, weightsPerGate } from './structure.js';
