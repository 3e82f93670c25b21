/**
 * The report's plots as Vega-Lite specifications (Satyanarayan et al., "Vega-Lite: a grammar of
 * interactive graphics", IEEE TVCG 2017): data in, a declarative chart out; {@link renderSvg}
 * turns one into an SVG string.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ComparisonCell } from './aggregate.js';
import {
  accuracyName,
  type EpochMetrics,
  type EvaluatedSplit,
  type Histogram,
  type LayerSummary,
} from './run-files.js';

const WIDTH = 420;
const HEIGHT = 240;

/** Accuracy (on `split`) of the binary ticket and of the relaxed gates per epoch. */
export function accuracyCurveSpec(metrics: readonly EpochMetrics[], split: EvaluatedSplit = 'test'): TopLevelSpec {
  const values = metrics.flatMap((m) => [
    { epoch: m.epoch, series: 'binary ticket', accuracy: m.test_acc },
    ...(typeof m.test_acc_relaxed === 'number'
      ? [{ epoch: m.epoch, series: 'relaxed gates', accuracy: m.test_acc_relaxed }]
      : []),
  ]);
  return {
    title: `${accuracyName(split, true)} per epoch`,
    width: WIDTH,
    height: HEIGHT,
    data: { values },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', title: 'epoch', axis: { tickMinStep: 1, format: 'd' } },
      y: {
        field: 'accuracy',
        type: 'quantitative',
        title: accuracyName(split),
        scale: { zero: false },
        axis: { format: '.1%' },
      },
      color: { field: 'series', type: 'nominal', title: null },
    },
  };
}

/** Training loss per epoch. */
export function lossCurveSpec(metrics: readonly EpochMetrics[]): TopLevelSpec {
  return {
    title: 'Training loss per epoch',
    width: WIDTH,
    height: HEIGHT,
    data: { values: metrics.map((m) => ({ epoch: m.epoch, loss: m.train_loss })) },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', title: 'epoch', axis: { tickMinStep: 1, format: 'd' } },
      y: { field: 'loss', type: 'quantitative', title: 'train loss', scale: { zero: false } },
    },
  };
}

/** Fraction of each gated parameter's weights the ticket removes. */
export function layerSparsitySpec(layers: readonly LayerSummary[]): TopLevelSpec {
  return {
    title: 'Sparsity per layer',
    width: WIDTH,
    height: HEIGHT,
    data: {
      values: layers.map((l) => ({ layer: l.name, sparsity: l.sparsity, weights: l.shape.reduce((a, b) => a * b, 1) })),
    },
    layer: [
      {
        mark: { type: 'bar' },
        encoding: {
          x: { field: 'layer', type: 'nominal', sort: null, title: 'parameter', axis: { labelAngle: 0 } },
          y: { field: 'sparsity', type: 'quantitative', title: 'fraction removed', scale: { domain: [0, 1] } },
          tooltip: [{ field: 'layer' }, { field: 'sparsity', format: '.3f' }, { field: 'weights' }],
        },
      },
      {
        mark: { type: 'text', dy: -8 },
        encoding: {
          x: { field: 'layer', type: 'nominal', sort: null },
          y: { field: 'sparsity', type: 'quantitative' },
          text: { field: 'sparsity', type: 'quantitative', format: '.3f' },
        },
      },
    ],
  };
}

/** How many gates end at each P(keep): mass near 0 and 1 means the ticket is decided. */
export function pKeepHistogramSpec(histogram: Histogram): TopLevelSpec {
  const values = histogram.counts.map((count, i) => ({
    from: histogram.edges[i],
    to: histogram.edges[i + 1],
    count,
  }));
  return {
    title: 'Distribution of gate P(keep) at the end',
    width: WIDTH,
    height: HEIGHT,
    data: { values },
    mark: { type: 'bar', binSpacing: 1 },
    encoding: {
      x: { field: 'from', type: 'quantitative', bin: { binned: true, step: 0.05 }, title: 'P(keep)' },
      x2: { field: 'to' },
      y: { field: 'count', type: 'quantitative', title: 'gates' },
    },
  };
}

/** Mean accuracy (± std over seeds) against the tickets' sparsity, one line per method. */
export function accuracyVsSparsitySpec(cells: readonly ComparisonCell[], split: EvaluatedSplit = 'test'): TopLevelSpec {
  const axisTitle = `${accuracyName(split)} (mean ± std over seeds)`;
  const values = cells.map((c) => ({
    method: c.method,
    sparsity: c.sparsity,
    accuracy: c.mean,
    low: c.mean - c.std,
    high: c.mean + c.std,
    seeds: c.seeds,
  }));
  return {
    title: `${accuracyName(split, true)} against sparsity`,
    width: WIDTH,
    height: HEIGHT + 40,
    data: { values },
    encoding: {
      x: { field: 'sparsity', type: 'quantitative', title: 'sparsity (fraction of weights removed)' },
      color: { field: 'method', type: 'nominal', title: 'method' },
    },
    layer: [
      {
        mark: { type: 'line', point: { size: 50 } },
        encoding: {
          y: {
            field: 'accuracy',
            type: 'quantitative',
            title: axisTitle,
            scale: { zero: false },
            axis: { format: '.1%' },
          },
          tooltip: [{ field: 'method' }, { field: 'sparsity', format: '.3f' }, { field: 'accuracy', format: '.2%' }],
        },
      },
      {
        mark: { type: 'errorbar', ticks: true },
        encoding: {
          y: { field: 'low', type: 'quantitative', title: axisTitle },
          y2: { field: 'high' },
        },
      },
    ],
  };
}

/** One point of a comparison's learning curves. */
export interface CurvePoint {
  readonly method: string;
  readonly target_sparsity: number;
  readonly seed: number;
  readonly epoch: number;
  readonly test_acc: number;
}

/** Accuracy per epoch of every run of a comparison, one panel per target sparsity. */
export function comparisonCurvesSpec(points: readonly CurvePoint[], split: EvaluatedSplit = 'test'): TopLevelSpec {
  return {
    title: `${accuracyName(split, true)} of the binary ticket per epoch`,
    data: { values: points.map((p) => ({ ...p, run: `${p.method} seed ${p.seed}` })) },
    facet: { column: { field: 'target_sparsity', type: 'ordinal', title: 'target sparsity' } },
    spec: {
      width: 260,
      height: 200,
      mark: { type: 'line' },
      encoding: {
        x: { field: 'epoch', type: 'quantitative', title: 'epoch', axis: { tickMinStep: 1, format: 'd' } },
        y: {
          field: 'test_acc',
          type: 'quantitative',
          title: accuracyName(split),
          scale: { zero: false },
          axis: { format: '.0%' },
        },
        color: { field: 'method', type: 'nominal', title: 'method' },
        detail: { field: 'run', type: 'nominal' },
      },
    },
  };
}
