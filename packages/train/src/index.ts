import './gradients.js';

export { type BackendName, backendNames, useBackend } from './backend.js';
export { EVAL_BATCH_SIZE, evalBatchSize, microBatchSize } from './batch-memory.js';
export {
  type CompareOptions,
  type ComparisonPlan,
  compare,
  describeMachine,
  inProcessExecutor,
  type PlannedRun,
  planComparison,
  type RunExecutor,
  type RunState,
  rowFromSummary,
} from './compare.js';
export {
  autoFinalNoise,
  autoLearningRate,
  defaultConfig,
  forSearchLength,
  type RunConfig,
  resolveConfig,
  type SearchConfig,
  searchConfigSchema,
  searchSteps,
  validatePartialConfig,
} from './config.js';
export { accuracy } from './evaluate.js';
export { GatedNetwork, type GatedNetworkOptions, type GateMode, type Rescale } from './gating.js';
export { crossEntropy } from './loss.js';
export { type Method, methodDefaults, methods } from './methods.js';
export type { EpochMetrics } from './metrics.js';
export { freshNoise, poolNoise, type SeededNoise } from './noise.js';
export { createOptimizer, type Optimizer, type OptimizerOptions } from './optimizer.js';
export { type Progress, silentProgress, streamProgress } from './progress.js';
export { cosine } from './schedule.js';
export { gatedNetworkOptions, type SearchOptions, type SearchResult, search } from './search.js';
export {
  accuracyLabel,
  describeTicket,
  type Histogram,
  type LayerStats,
  type Summary,
  type TicketStats,
} from './summary.js';
export { writeTicketFile } from './ticket-output.js';
