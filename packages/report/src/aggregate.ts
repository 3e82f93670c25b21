/**
 * Mean and spread over seeds of a comparison's rows, and the Markdown table made from them.
 * The spread is the sample standard deviation (n - 1), 0 for a single seed.
 */
import { accuracyName, type ComparisonRow, type EvaluatedSplit } from './run-files.js';

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
export function comparisonTable(rows: readonly ComparisonRow[], split: EvaluatedSplit = 'test'): string {
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
  return `${accuracyName(split, true)} of the binary ticket, % (mean ± std over seeds).\n\n${[header, rule, ...lines].join('\n')}\n`;
}

/** The first method of a comparison against another at one target sparsity, seed by seed. */
export interface PairedDifference {
  /** The comparison's first method (the one `--methods` names first). */
  readonly method: string;
  readonly against: string;
  readonly target_sparsity: number;
  /** Mean over the shared seeds of method's test accuracy minus against's (a fraction). */
  readonly mean: number;
  /** Standard error of that mean: the differences' sample std over sqrt(seeds). */
  readonly stderr: number;
  readonly seeds: number;
}

/**
 * The comparison's first method against each other one, paired by seed: a seed is one network
 * init and data order for every method, so the difference of two runs with the same seed leaves
 * out what the seed does to both. Only where at least two seeds are shared (one pair has no
 * spread to show).
 */
export function pairedDifferences(rows: readonly ComparisonRow[]): PairedDifference[] {
  const methods = [...new Set(rows.map((r) => r.method))];
  const [method] = methods;
  if (method === undefined) return [];
  const own = rows.filter((r) => r.method === method);
  const targets = [...new Set(own.map((r) => r.target_sparsity))].sort((a, b) => a - b);
  return methods.slice(1).flatMap((against) =>
    targets.flatMap((target) => {
      const differences = own
        .filter((r) => r.target_sparsity === target)
        .flatMap((r) => {
          const other = rows.find((o) => o.method === against && o.target_sparsity === target && o.seed === r.seed);
          return other === undefined ? [] : [r.test_acc - other.test_acc];
        });
      if (differences.length < 2) return [];
      const stderr = sampleStd(differences) / Math.sqrt(differences.length);
      return [{ method, against, target_sparsity: target, mean: mean(differences), stderr, seeds: differences.length }];
    }),
  );
}

const points = (x: number) => `${x >= 0 ? '+' : ''}${(100 * x).toFixed(2)}`;

/**
 * A Markdown table of {@link pairedDifferences}: one row per other method, one column per target
 * sparsity, each cell "mean ± standard error (n seeds)" in points; '' when nothing pairs.
 */
export function pairedTable(rows: readonly ComparisonRow[], split: EvaluatedSplit = 'test'): string {
  const pairs = pairedDifferences(rows);
  if (pairs.length === 0) return '';
  const targets = [...new Set(pairs.map((p) => p.target_sparsity))].sort((a, b) => a - b);
  const others = [...new Set(pairs.map((p) => p.against))];
  const lines = others.map((against) => {
    const cells = targets.map((t) => {
      const p = pairs.find((q) => q.against === against && q.target_sparsity === t);
      return p === undefined ? '' : `${points(p.mean)} ± ${(100 * p.stderr).toFixed(2)} (n=${p.seeds})`;
    });
    return `| ${against} | ${cells.join(' | ')} |`;
  });
  return [
    `${pairs[0]?.method} minus each other method, paired by seed: ${accuracyName(split)} points, mean ± standard error.`,
    '',
    `| against | ${targets.map((t) => `sparsity ${t}`).join(' | ')} |`,
    `| --- | ${targets.map(() => '---').join(' | ')} |`,
    ...lines,
    '',
  ].join('\n');
}

/**
 * A comparison's `table.md`: {@link comparisonTable}, then {@link pairedTable} where seeds pair.
 */
export function comparisonMarkdown(rows: readonly ComparisonRow[], split: EvaluatedSplit = 'test'): string {
  const paired = pairedTable(rows, split);
  const table = comparisonTable(rows, split);
  return paired === '' ? table : `${table}\n${paired}`;
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
