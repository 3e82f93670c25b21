import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aggregateRows, comparisonMarkdown, comparisonTable, pairedDifferences, speedToDense } from './aggregate.js';
import { runDirName, writeComparisonArtifacts, writeReport } from './report.js';
import type { ComparisonRow } from './run-files.js';

function fixtureRun(dir: string, finalAcc: number): void {
  mkdirSync(dir, { recursive: true });
  const lines = [1, 2, 3].map((epoch) =>
    JSON.stringify({
      epoch,
      train_loss: 1 / epoch,
      test_acc: finalAcc - 0.05 * (3 - epoch),
      test_acc_relaxed: finalAcc - 0.04 * (3 - epoch),
      sparsity: 0.9,
      expected_sparsity: 0.9,
      lambda: 0.1,
      lr: 0.05,
      sigma: 0.1,
      seconds: 2,
    }),
  );
  writeFileSync(join(dir, 'metrics.jsonl'), `${lines.join('\n')}\n`);
  writeFileSync(
    join(dir, 'summary.json'),
    JSON.stringify({
      method: 'crbg',
      model: 'lenet300',
      dataset: 'mnist10k',
      gates: 'unstructured',
      test_acc: finalAcc,
      test_acc_relaxed: finalAcc + 0.01,
      sparsity: 0.9,
      unit_sparsity: null,
      epochs: 3,
      seconds_per_epoch: 2,
      seed: 0,
      backend: 'wasm',
      ticket: 'ticket.slt',
      layers: [
        { name: 'fc1.weight', shape: [784, 300], sparsity: 0.91, unit_sparsity: null },
        { name: 'fc2.weight', shape: [300, 100], sparsity: 0.86, unit_sparsity: null },
        { name: 'fc3.weight', shape: [100, 10], sparsity: 0.6, unit_sparsity: null },
      ],
      p_keep_histogram: {
        edges: Array.from({ length: 21 }, (_, i) => i / 20),
        counts: Array.from({ length: 20 }, (_, i) => (i === 0 ? 200000 : i === 19 ? 26000 : 10)),
      },
    }),
  );
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ model: 'lenet300', method: 'crbg' }));
}

const rows: ComparisonRow[] = [
  { method: 'crbg', target_sparsity: 0.5, sparsity: 0.5, seed: 0, test_acc: 0.88, seconds_per_epoch: 10 },
  { method: 'crbg', target_sparsity: 0.5, sparsity: 0.5, seed: 1, test_acc: 0.9, seconds_per_epoch: 12 },
  { method: 'edge-popup', target_sparsity: 0.5, sparsity: 0.5, seed: 0, test_acc: 0.87, seconds_per_epoch: 9 },
  { method: 'crbg', target_sparsity: 0.9, sparsity: 0.9, seed: 0, test_acc: 0.86, seconds_per_epoch: 10 },
  { method: 'dense', target_sparsity: 0, sparsity: 0, seed: 0, test_acc: 0.895, seconds_per_epoch: 5 },
];

/** The fixture plus edge-popup's seed 1 at 0.5: two seeds that crbg and edge-popup share. */
const rowsWithSeedOne: ComparisonRow[] = [
  ...rows,
  { method: 'edge-popup', target_sparsity: 0.5, sparsity: 0.5, seed: 1, test_acc: 0.86, seconds_per_epoch: 9 },
];

describe('aggregation', () => {
  it('gives mean and sample std over seeds per method and sparsity', () => {
    const cells = aggregateRows(rows);
    const crbg = cells.find((c) => c.method === 'crbg' && c.target_sparsity === 0.5);
    expect(crbg?.mean).toBeCloseTo(0.89, 10);
    expect(crbg?.std).toBeCloseTo(Math.SQRT2 * 0.01, 10);
    expect(crbg?.seeds).toBe(2);
    expect(cells.find((c) => c.method === 'edge-popup')?.std).toBe(0);
  });

  it('averages the training-split accuracy instead when asked, in the same cell order', () => {
    const withTrain = rows.map((r) => ({ ...r, train_acc: r.test_acc + 0.04 }));
    const train = aggregateRows(withTrain, 'train_acc');
    const test = aggregateRows(withTrain);
    expect(train.map((c) => [c.method, c.target_sparsity])).toEqual(test.map((c) => [c.method, c.target_sparsity]));
    expect(train[0]?.mean).toBeCloseTo(0.93, 10);
    expect(train[0]?.std).toBeCloseTo(Math.SQRT2 * 0.01, 10);
  });

  it('writes one table row per method and one column per sparsity', () => {
    const table = comparisonTable(rows);
    expect(table).toContain('| method | sparsity 0 | sparsity 0.5 | sparsity 0.9 | s/epoch | × dense |');
    // crbg: 11 s per epoch at 0.5 (seeds 10 and 12), 10 at 0.9, so 10.5 against dense's 5.
    expect(table).toContain(
      '| crbg |  | 89.00 ± 1.41 (n=2, actual 0.500) | 86.00 ± 0.00 (n=1, actual 0.900) | 10.5 | 2.10 |',
    );
    expect(table).toMatch(/\| dense \| 89\.50 ± 0\.00 \(n=1, actual 0\.000\) \|\s*\|\s*\| 5\.0 \| 1 \|/);
  });

  it('pairs the first method with each other one by seed, where two or more seeds are shared', () => {
    // crbg 0.88 / 0.90 against edge-popup's 0.87 / 0.86 at 0.5 on seeds 0 and 1.
    const [pair, ...rest] = pairedDifferences(rowsWithSeedOne);
    // Differences 0.01 and 0.04: mean 0.025, sample std 0.03 / sqrt(2), standard error 0.015.
    expect(pair).toMatchObject({ method: 'crbg', against: 'edge-popup', target_sparsity: 0.5, seeds: 2 });
    expect(pair?.mean).toBeCloseTo(0.025, 10);
    expect(pair?.stderr).toBeCloseTo(0.015, 10);
    // 0.9 has one crbg run and dense has no run at crbg's targets: nothing else pairs.
    expect(rest).toEqual([]);
    const markdown = comparisonMarkdown(rowsWithSeedOne);
    expect(markdown.startsWith(comparisonTable(rowsWithSeedOne))).toBe(true);
    expect(markdown).toContain('crbg minus each other method, paired by seed');
    expect(markdown).toContain('| edge-popup | +2.50 ± 1.50 (n=2) |');
    // One shared seed has no spread to show: the table stands alone.
    expect(pairedDifferences(rows)).toEqual([]);
    expect(comparisonMarkdown(rows)).toBe(comparisonTable(rows));
  });

  it('gives each method s/epoch over dense only where dense ran', () => {
    expect(speedToDense(rows)).toEqual({ crbg: 2.1, 'edge-popup': 1.8 });
    expect(speedToDense(rows.filter((r) => r.method !== 'dense'))).toBeUndefined();
    expect(comparisonTable(rows.filter((r) => r.method !== 'dense'))).not.toContain('× dense');
  });
});

describe('writeReport', () => {
  it('renders a run directory: html plus SVG learning curves, layer sparsity and P(keep)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'slt-report-run-'));
    fixtureRun(dir, 0.88);
    const files = await writeReport(dir);
    expect(files.kind).toBe('run');
    expect(files.images.map((f) => f.slice(dir.length + 1)).sort()).toEqual([
      'accuracy.svg',
      'layer-sparsity.svg',
      'loss.svg',
      'p-keep.svg',
    ]);
    for (const image of files.images) {
      const svg = readFileSync(image, 'utf8');
      expect(svg.startsWith('<svg')).toBe(true);
    }
    const accuracy = readFileSync(join(dir, 'accuracy.svg'), 'utf8');
    expect(accuracy).toContain('Test accuracy per epoch');
    expect(accuracy).toContain('relaxed gates');
    expect(accuracy).toContain('mark-line role-mark');
    const layers = readFileSync(join(dir, 'layer-sparsity.svg'), 'utf8');
    expect(layers).toContain('fc2.weight');
    expect(layers).toContain('0.860');
    expect(layers).toContain('mark-rect role-mark');
    // one bar per layer: three rect paths in the bar mark group
    const bars = layers.split('mark-rect role-mark')[1].split('</g>')[0];
    expect((bars.match(/<path/g) ?? []).length).toBe(3);
    const pKeep = readFileSync(join(dir, 'p-keep.svg'), 'utf8');
    expect(pKeep).toContain('Distribution of gate P(keep)');
    expect(pKeep).toContain('mark-rect role-mark');
    const html = readFileSync(files.html, 'utf8');
    expect(html).toContain('crbg on lenet300 / mnist10k');
    expect(html).toContain('test accuracy 88.00% at sparsity 0.900');
    expect((html.match(/<svg/g) ?? []).length).toBe(4);
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
  });

  it('renders a comparison directory with accuracy against sparsity and per-run curves', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'slt-report-cmp-'));
    for (const row of rows)
      fixtureRun(join(dir, 'runs', runDirName(row.method, row.target_sparsity, row.seed)), row.test_acc);
    writeFileSync(join(dir, 'results.json'), JSON.stringify({ rows, backend: 'wasm', machine: {}, versions: {} }));
    const files = await writeReport(dir);
    expect(files.kind).toBe('comparison');
    const plot = readFileSync(join(dir, 'accuracy-vs-sparsity.svg'), 'utf8');
    expect(plot).toContain('Test accuracy against sparsity');
    expect(plot).toContain('edge-popup');
    expect(plot).toContain('mark-line role-mark');
    expect(plot).toContain('mark-rule role-mark');
    expect(readFileSync(join(dir, 'curves.svg'), 'utf8')).toContain('target sparsity');
    expect(existsSync(join(dir, 'table.md'))).toBe(true);
    expect(readFileSync(files.html, 'utf8')).toContain('89.00 ± 1.41');
  });

  it('writes the table and plot of a comparison', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'slt-report-art-'));
    const written = await writeComparisonArtifacts(dir, { rows: rowsWithSeedOne });
    expect(written.map((f) => f.slice(dir.length + 1))).toEqual(['table.md', 'accuracy-vs-sparsity.svg']);
    expect(readFileSync(join(dir, 'table.md'), 'utf8')).toBe(comparisonMarkdown(rowsWithSeedOne));
    expect(readFileSync(join(dir, 'table.md'), 'utf8')).toContain('paired by seed');
  });

  it('names the validation split wherever a comparison was judged on one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'slt-report-val-'));
    for (const row of rowsWithSeedOne)
      fixtureRun(join(dir, 'runs', runDirName(row.method, row.target_sparsity, row.seed)), row.test_acc);
    writeFileSync(join(dir, 'results.json'), JSON.stringify({ rows: rowsWithSeedOne, evaluated_on: 'validation' }));
    const files = await writeReport(dir);
    const table = readFileSync(join(dir, 'table.md'), 'utf8');
    expect(table.startsWith('Validation accuracy of the binary ticket')).toBe(true);
    expect(table).toContain('paired by seed: validation accuracy points');
    expect(table).not.toMatch(/test accuracy/i);
    for (const file of ['accuracy-vs-sparsity.svg', 'curves.svg'])
      expect(readFileSync(join(dir, file), 'utf8')).not.toMatch(/test accuracy/i);
    expect(readFileSync(join(dir, 'accuracy-vs-sparsity.svg'), 'utf8')).toContain(
      'Validation accuracy against sparsity',
    );
    expect(readFileSync(files.html, 'utf8')).not.toMatch(/test accuracy/i);
    expect(readFileSync(files.html, 'utf8')).toContain('judged on a validation split held out of the training data');
  });

  it('rejects a directory that is neither a run nor a comparison', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'slt-report-empty-'));
    await expect(writeReport(dir)).rejects.toThrow(/neither a run directory/);
    await expect(writeReport(join(dir, 'missing'))).rejects.toThrow(/no such directory/);
  });
});
