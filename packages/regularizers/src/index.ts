export {
  coveredWeights,
  type DensityPlan,
  densityOf,
  densityPlan,
  densitySlopes,
  entryKeptSums,
  expectedDecision,
  expectedDensity,
  expectedUndecided,
  type GatedGroup,
  type GroupInput,
  groupSums,
  weightedMean,
  weightedTotal,
  weightShares,
} from './gated-group.js';
export { induceDecision } from './induce-decision.js';
export { induceSparse } from './induce-sparse.js';
export { createRegularizer, noRegularizer, type RegularizerFactory, regularizers } from './registry.js';
export type { Regularizer, RegularizerOptions } from './regularizer.js';
export { countMasked, type MaskCount } from './sparsity.js';
export { targetSparsity } from './target.js';
