/**
 * Mean and spread over seeds of a comparison's rows, and the Markdown table made from them.
 * The spread is the sample standard deviation (n - 1), 0 for a single seed.
 */
import type { ComparisonRow } from './run-files.js';

/** Accuracy of one (method, target sparsity) cell over its seeds. */
export interface ComparisonCell {
  readonly method: string;
  readonly target_sparsity: number;
  /** Mean sparsity of the tickets. */
  readonly sparsity: number;
  readonly mean: number;
  readonly std: number;
  readonly seeds: number;
  readonly seconds_per_epoch: number;
}

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

function sampleStd(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const m = mean(values);
  return Math.sqrt(values.reduce((a, v) => a + (v - m) ** 2, 0) / (values.length - 1));
}

/**
 * Groups rows by (method, target sparsity), in order of first appearance; `accuracy` names the
 * accuracy averaged (default the test split's; `train_acc` only where every row has it).
 */
export function aggregateRows(
  rows: readonly ComparisonRow[],
  accuracy: 'test_acc' | 'train_acc' = 'test_acc',
): ComparisonCell[] {
  const groups = new Map<string, ComparisonRow[]>();
  for (const row of rows) {
    const key = `${row.method}\u0000${row.target_sparsity}`;
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return [...groups.values()].map((group) => ({
    method: group[0].method,
    target_sparsity: group[0].target_sparsity,
    sparsity: mean(group.map((r) => r.sparsity)),
    mean: mean(group.map((r) => r[accuracy] ?? Number.NaN)),
    std: sampleStd(group.map((r) => r[accuracy] ?? Number.NaN)),
    seeds: group.length,
    seconds_per_epoch: mean(group.map((r) => r.seconds_per_epoch)),
  }));
}

const percent = (x: number) => (100 * x).toFixed(2);

/** "mean ± std (n=seeds, actual sparsity)" of a cell, accuracies in percent. */
export function formatCell(cell: ComparisonCell): string {
  return `${percent(cell.mean)} ± ${percent(cell.std)} (n=${cell.seeds}, actual ${cell.sparsity.toFixed(3)})`;
}

/**
 * A Markdown table: one row per method, one column per target sparsity, each cell
 * "mean ± std (n seeds)" of the test accuracy in percent, with the tickets' actual sparsity.
 */
export function comparisonTable(rows: readonly ComparisonRow[]): string {
  const cells = aggregateRows(rows);
  const sparsities = [...new Set(cells.map((c) => c.target_sparsity))].sort((a, b) => a - b);
  const methods = [...new Set(cells.map((c) => c.method))];
  const toDense = speedToDense(rows);
  const ratioHeader = toDense === undefined ? '' : ' × dense |';
  const header = `| method | ${sparsities.map((s) => `sparsity ${s}`).join(' | ')} | s/epoch |${ratioHeader}`;
  const rule = `| --- | ${sparsities.map(() => '---').join(' | ')} | --- |${toDense === undefined ? '' : ' --- |'}`;
  const lines = methods.map((method) => {
    const own = cells.filter((c) => c.method === method);
    const columns = sparsities.map((s) => {
      const cell = own.find((c) => c.target_sparsity === s);
      return cell ? formatCell(cell) : '';
    });
    const speed = methodSeconds(cells, method);
    const ratio =
      toDense === undefined ? '' : ` ${method === 'dense' ? '1' : (toDense[method] as number).toFixed(2)} |`;
    return `| ${method} | ${columns.join(' | ')} | ${speed.toFixed(1)} |${ratio}`;
  });
  return `Test accuracy of the binary ticket, % (mean ± std over seeds).\n\n${[header, rule, ...lines].join('\n')}\n`;
}

/**
 * Each method's mean seconds per epoch over dense weight training's in the same comparison
 * (rounded to 3 decimals), or undefined when dense did not run. Comparable only where the runs
 * did not share the machine (`--jobs 1`).
 */
export function speedToDense(rows: readonly ComparisonRow[]): Record<string, number> | undefined {
  const cells = aggregateRows(rows);
  if (!cells.some((c) => c.method === 'dense')) return undefined;
  const dense = methodSeconds(cells, 'dense');
  const methods = [...new Set(cells.map((c) => c.method))].filter((m) => m !== 'dense');
  return Object.fromEntries(methods.map((m) => [m, Math.round((methodSeconds(cells, m) / dense) * 1000) / 1000]));
}

/** A method's seconds per epoch: the mean over its cells (target sparsities) of their means over seeds. */
function methodSeconds(cells: readonly ComparisonCell[], method: string): number {
  return mean(cells.filter((c) => c.method === method).map((c) => c.seconds_per_epoch));
}
