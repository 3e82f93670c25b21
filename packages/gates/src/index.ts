export { type EdgePopupGateOptions, edgePopupGate } from './edge-popup.js';
export { clampedNoise } from './fused/clamped-noise.js';
export { gatedWeight } from './fused/gated-weight.js';
export { defineFusedKernel, type FusedKernel, fusedAvailable, runFused } from './fused/kernel.js';
export { normalCdfSum } from './fused/normal-cdf-sum.js';
export type { Gate, GateOptions, NoiseSource } from './gate.js';
export { type AnnealedGate, type GaussianGateOptions, gaussianGate } from './gaussian.js';
export { type HardConcreteGateOptions, hardConcreteGate } from './hard-concrete.js';
export { logit, normalCdf, normalQuantile } from './math.js';
export { defaultNoise } from './noise.js';
export { type RandomMaskOptions, randomMaskGate, randomMaskValues } from './random-mask.js';
export { createGate, type GateFactory, gates } from './registry.js';
export { straightThrough, straightThroughWithSlope } from './straight-through.js';
export {
  type CountOptions,
  countKept,
  expandGate,
  type GatedShape,
  type GateStructure,
  gatedPerUnit,
  gateShape,
  type InputFeed,
  inputFeed,
  type KeptCount,
  type ParamCount,
  unitCount,
  weightsPerGate,
} from './structure.js';
export { supermaskGate } from './supermask.js';
export { keptCount, topKMask } from './top-k.js';
