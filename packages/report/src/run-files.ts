/**
 * Readers of the files a search writes into its run directory (`metrics.jsonl`, `summary.json`)
 * and a comparison writes into its directory (`results.json`): the inputs of a report.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '@slt/core';

/**
 * The split a run's `test_acc` was measured on: the test split, or a validation split held out
 * of training (`--val-split`). Files written without the key are `test`.
 */
export type EvaluatedSplit = 'test' | 'validation';

/** "test accuracy" or "validation accuracy", capitalised for a title when asked. */
export function accuracyName(split: EvaluatedSplit = 'test', capital = false): string {
  const name = `${split} accuracy`;
  return capital ? name[0]?.toUpperCase() + name.slice(1) : name;
}

/** One line of `metrics.jsonl`: the state of a search after one epoch. */
export interface EpochMetrics {
  readonly epoch: number;
  readonly train_loss: number;
  /** Accuracy of the binary ticket, fraction 0..1. */
  readonly test_acc: number;
  /** Accuracy of the relaxed gates (logged, never the result); null where it does not apply. */
  readonly test_acc_relaxed?: number | null;
  readonly sparsity?: number | null;
  readonly expected_sparsity?: number | null;
  readonly [key: string]: unknown;
}

/** One gated parameter in `summary.json`'s `layers`. */
export interface LayerSummary {
  readonly name: string;
  readonly shape: readonly number[];
  readonly sparsity: number;
  readonly unit_sparsity?: number | null;
}

/** A histogram: `counts[i]` entries fell in [edges[i], edges[i + 1]). */
export interface Histogram {
  readonly edges: readonly number[];
  readonly counts: readonly number[];
}

/** The keys of `summary.json` a report reads (the file holds more). */
export interface RunSummary {
  readonly method: string;
  readonly model: string;
  readonly dataset: string;
  readonly evaluated_on?: EvaluatedSplit;
  readonly test_acc: number;
  /** The ticket's accuracy on the training split (absent in runs written before it was recorded). */
  readonly train_acc?: number | null;
  readonly sparsity: number;
  readonly seconds_per_epoch?: number;
  readonly layers?: readonly LayerSummary[];
  readonly p_keep_histogram?: Histogram;
  readonly [key: string]: unknown;
}

/** One row of a comparison: one (method, target sparsity, seed) run. */
export interface ComparisonRow {
  readonly method: string;
  /** The sparsity asked for (0 for `dense`). */
  readonly target_sparsity: number;
  /** The sparsity the binary ticket has. */
  readonly sparsity: number;
  readonly seed: number;
  readonly test_acc: number;
  /** Accuracy on the training split (absent in comparisons written before it was recorded). */
  readonly train_acc?: number;
  readonly seconds_per_epoch: number;
}

/** The content of a comparison's `results.json`. */
export interface ComparisonResults {
  readonly rows: readonly ComparisonRow[];
  /** Set when the runs were judged on a validation split instead of the test split. */
  readonly evaluated_on?: EvaluatedSplit;
  readonly machine?: unknown;
  readonly backend?: string;
  readonly versions?: unknown;
  readonly [key: string]: unknown;
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new InputError(`cannot read ${path}: ${(error as Error).message}`);
  }
}

/** The epochs of `metrics.jsonl` in `dir`, in file order; [] if the file is absent. */
export function readMetrics(dir: string): EpochMetrics[] {
  const path = join(dir, 'metrics.jsonl');
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, i) => {
      try {
        return JSON.parse(line) as EpochMetrics;
      } catch {
        throw new InputError(`${path}: line ${i + 1} is not JSON`);
      }
    });
}

/** `summary.json` of the run in `dir`, or undefined if the run has not finished. */
export function readSummary(dir: string): RunSummary | undefined {
  const path = join(dir, 'summary.json');
  return existsSync(path) ? (readJson(path) as RunSummary) : undefined;
}

/** `results.json` of the comparison in `dir`, or undefined if there is none. */
export function readComparison(dir: string): ComparisonResults | undefined {
  const path = join(dir, 'results.json');
  if (!existsSync(path)) return undefined;
  const results = readJson(path) as ComparisonResults;
  if (!Array.isArray(results.rows)) throw new InputError(`${path}: no 'rows' array`);
  return results;
}
