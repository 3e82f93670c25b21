export {
  aggregateRows,
  type ComparisonCell,
  comparisonMarkdown,
  comparisonTable,
  formatCell,
  type PairedDifference,
  pairedDifferences,
  pairedTable,
  speedToDense,
} from './aggregate.js';
export {
  accuracyCurveSpec,
  accuracyVsSparsitySpec,
  type CurvePoint,
  comparisonCurvesSpec,
  layerSparsitySpec,
  lossCurveSpec,
  pKeepHistogramSpec,
} from './charts.js';
export { renderSvg } from './render.js';
export { type ReportFiles, runDirName, writeComparisonArtifacts, writeReport } from './report.js';
export {
  accuracyName,
  type ComparisonResults,
  type ComparisonRow,
  type EpochMetrics,
  type EvaluatedSplit,
  type Histogram,
  type LayerSummary,
  type RunSummary,
  readComparison,
  readMetrics,
  readSummary,
} from './run-files.js';
