/**
 * `slt report DIR`: a self-contained `report.html` (every plot inlined as SVG, no scripts, no
 * network) plus the same plots as `.svg` files, for a run directory or a comparison directory.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '@slt/core';
import { writeFileAtomic } from '@slt/core/node';
import type { TopLevelSpec } from 'vega-lite';
import { aggregateRows, comparisonMarkdown, comparisonTable, pairedTable } from './aggregate.js';
import {
  accuracyCurveSpec,
  accuracyVsSparsitySpec,
  comparisonCurvesSpec,
  layerSparsitySpec,
  lossCurveSpec,
  pKeepHistogramSpec,
} from './charts.js';
import { renderSvg } from './render.js';
import {
  accuracyName,
  type ComparisonResults,
  type EpochMetrics,
  type RunSummary,
  readComparison,
  readMetrics,
  readSummary,
} from './run-files.js';

/** What {@link writeReport} wrote. */
export interface ReportFiles {
  /** Path of `report.html`. */
  readonly html: string;
  /** Paths of the SVG files, one per plot. */
  readonly images: string[];
  readonly kind: 'run' | 'comparison';
}

interface Figure {
  readonly file: string;
  readonly spec: TopLevelSpec;
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

function formatValue(value: unknown): string {
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toFixed(4);
  if (value === null || value === undefined) return '—';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function keyValueTable(record: Readonly<Record<string, unknown>>): string {
  const rows = Object.entries(record)
    .filter(([, v]) => v === null || typeof v !== 'object')
    .map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(formatValue(v))}</td></tr>`);
  return `<table class="kv">${rows.join('')}</table>`;
}

function markdownTableToHtml(markdown: string): string {
  const lines = markdown.split('\n').filter((l) => l.startsWith('|'));
  const cells = (line: string) =>
    line
      .slice(1, -1)
      .split('|')
      .map((c) => escapeHtml(c.trim()));
  const [head, , ...body] = lines;
  return `<table class="grid"><thead><tr>${cells(head)
    .map((c) => `<th>${c}</th>`)
    .join('')}</tr></thead><tbody>${body
    .map(
      (l) =>
        `<tr>${cells(l)
          .map((c) => `<td>${c}</td>`)
          .join('')}</tr>`,
    )
    .join('')}</tbody></table>`;
}

const STYLE = `body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:1000px;color:#222;padding:0 1rem}
h1{font-size:1.5rem;margin-bottom:.2rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ddd;padding-bottom:.2rem}
.sub{color:#666;margin-top:0}.figures{display:flex;flex-wrap:wrap;gap:1.5rem}.figure svg{max-width:100%;height:auto}
table{border-collapse:collapse;font-size:.9rem}th,td{padding:.25rem .6rem;text-align:left}
table.kv th{color:#555;font-weight:600}table.grid{margin-top:.5rem}table.grid th,table.grid td{border:1px solid #ddd}
table.grid thead{background:#f4f4f4}details{margin-top:1rem}pre{background:#f7f7f7;padding:.8rem;overflow:auto;font-size:.8rem}`;

function page(title: string, subtitle: string, sections: string[]): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<meta name="viewport" content="width=device-width,initial-scale=1"><style>${STYLE}</style></head>
<body><h1>${escapeHtml(title)}</h1><p class="sub">${escapeHtml(subtitle)}</p>
${sections.join('\n')}
</body></html>
`;
}

async function renderFigures(dir: string, figures: readonly Figure[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const figure of figures) {
    const svg = await renderSvg(figure.spec);
    writeFileAtomic(join(dir, figure.file), svg);
    out.set(figure.file, svg);
  }
  return out;
}

function figureBlock(svgs: Map<string, string>, files: readonly string[]): string {
  const blocks = files
    .filter((f) => svgs.has(f))
    .map((f) => `<div class="figure" data-file="${escapeHtml(f)}">${svgs.get(f)}</div>`);
  return `<div class="figures">${blocks.join('')}</div>`;
}

async function runReport(dir: string, metrics: EpochMetrics[], summary: RunSummary | undefined): Promise<ReportFiles> {
  const figures: Figure[] = [];
  if (metrics.length > 0) {
    figures.push({ file: 'accuracy.svg', spec: accuracyCurveSpec(metrics, summary?.evaluated_on) });
    figures.push({ file: 'loss.svg', spec: lossCurveSpec(metrics) });
  }
  if (summary?.layers && summary.layers.length > 0)
    figures.push({ file: 'layer-sparsity.svg', spec: layerSparsitySpec(summary.layers) });
  if (summary?.p_keep_histogram)
    figures.push({ file: 'p-keep.svg', spec: pKeepHistogramSpec(summary.p_keep_histogram) });
  const svgs = await renderFigures(dir, figures);
  const configPath = join(dir, 'config.json');
  const sections: string[] = [];
  if (summary) sections.push(`<h2>Summary</h2>${keyValueTable(summary)}`);
  else sections.push('<h2>Summary</h2><p>The run has not finished: no summary.json yet.</p>');
  if (metrics.length > 0) sections.push(`<h2>Learning curves</h2>${figureBlock(svgs, ['accuracy.svg', 'loss.svg'])}`);
  if (svgs.has('layer-sparsity.svg') || svgs.has('p-keep.svg'))
    sections.push(`<h2>The ticket</h2>${figureBlock(svgs, ['layer-sparsity.svg', 'p-keep.svg'])}`);
  if (existsSync(configPath))
    sections.push(
      `<details><summary>Resolved configuration (config.json)</summary><pre>${escapeHtml(readFileSync(configPath, 'utf8'))}</pre></details>`,
    );
  const title = summary ? `${summary.method} on ${summary.model} / ${summary.dataset}` : `Run ${dir}`;
  const subtitle = summary
    ? `${accuracyName(summary.evaluated_on)} ${(100 * summary.test_acc).toFixed(2)}% at sparsity ${summary.sparsity.toFixed(3)}` +
      (typeof summary.train_acc === 'number' ? ` (training split: ${(100 * summary.train_acc).toFixed(2)}%)` : '')
    : `${metrics.length} epochs so far`;
  const html = join(dir, 'report.html');
  writeFileAtomic(html, page(title, subtitle, sections));
  return { html, images: figures.map((f) => join(dir, f.file)), kind: 'run' };
}

/** Per-epoch test accuracy of every finished run under `dir/runs`, labelled by its row. */
function comparisonCurves(dir: string, results: ComparisonResults) {
  const runs = join(dir, 'runs');
  if (!existsSync(runs)) return [];
  return readdirSync(runs).flatMap((name) => {
    const row = results.rows.find((r) => runDirName(r.method, r.target_sparsity, r.seed) === name);
    if (!row) return [];
    return readMetrics(join(runs, name)).map((m) => ({
      method: row.method,
      target_sparsity: row.target_sparsity,
      seed: row.seed,
      epoch: m.epoch,
      test_acc: m.test_acc,
    }));
  });
}

/** The directory name of one comparison run under `runs/`: `<method>-s<sparsity>-seed<seed>`. */
export function runDirName(method: string, targetSparsity: number, seed: number): string {
  return `${method}-s${targetSparsity}-seed${seed}`;
}

/**
 * Writes a comparison's `table.md` and `accuracy-vs-sparsity.svg` from its rows (the parts of a
 * comparison that `slt compare` writes after every finished run).
 */
export async function writeComparisonArtifacts(dir: string, results: ComparisonResults): Promise<string[]> {
  const table = join(dir, 'table.md');
  writeFileAtomic(table, comparisonMarkdown(results.rows, results.evaluated_on));
  const plot = join(dir, 'accuracy-vs-sparsity.svg');
  writeFileAtomic(plot, await renderSvg(accuracyVsSparsitySpec(aggregateRows(results.rows), results.evaluated_on)));
  return [table, plot];
}

async function comparisonReport(dir: string, results: ComparisonResults): Promise<ReportFiles> {
  const split = results.evaluated_on;
  const figures: Figure[] = [
    { file: 'accuracy-vs-sparsity.svg', spec: accuracyVsSparsitySpec(aggregateRows(results.rows), split) },
  ];
  const curves = comparisonCurves(dir, results);
  if (curves.length > 0) figures.push({ file: 'curves.svg', spec: comparisonCurvesSpec(curves, split) });
  const svgs = await renderFigures(dir, figures);
  const table = comparisonTable(results.rows, split);
  const paired = pairedTable(results.rows, split);
  writeFileAtomic(join(dir, 'table.md'), comparisonMarkdown(results.rows, split));
  const environment: Record<string, unknown> = { backend: results.backend ?? null, runs: results.rows.length };
  const sections = [
    `<h2>Accuracy against sparsity</h2>${figureBlock(svgs, ['accuracy-vs-sparsity.svg'])}`,
    `<h2>Table</h2><p>${escapeHtml(table.split('\n')[0])}</p>${markdownTableToHtml(table)}`,
  ];
  if (paired !== '')
    sections.push(`<h2>Paired by seed</h2><p>${escapeHtml(paired.split('\n')[0])}</p>${markdownTableToHtml(paired)}`);
  if (svgs.has('curves.svg')) sections.push(`<h2>Learning curves</h2>${figureBlock(svgs, ['curves.svg'])}`);
  sections.push(
    `<h2>Environment</h2>${keyValueTable(environment)}<details><summary>machine and versions</summary><pre>${escapeHtml(
      JSON.stringify({ machine: results.machine, versions: results.versions }, null, 2),
    )}</pre></details>`,
  );
  const methods = [...new Set(results.rows.map((r) => r.method))].join(', ');
  const html = join(dir, 'report.html');
  const judged = split === 'validation' ? '; judged on a validation split held out of the training data' : '';
  writeFileAtomic(html, page('Comparison', `${methods}; ${results.rows.length} runs${judged}`, sections));
  return { html, images: figures.map((f) => join(dir, f.file)), kind: 'comparison' };
}

/**
 * Writes `report.html` and its SVG plots into `dir`: a comparison directory (has `results.json`)
 * or a run directory (has `metrics.jsonl` or `summary.json`). Throws an InputError otherwise.
 */
export async function writeReport(dir: string): Promise<ReportFiles> {
  if (!existsSync(dir)) throw new InputError(`no such directory: ${dir}`);
  const results = readComparison(dir);
  if (results) return comparisonReport(dir, results);
  const metrics = readMetrics(dir);
  const summary = readSummary(dir);
  if (metrics.length === 0 && !summary)
    throw new InputError(
      `${dir} is neither a run directory (metrics.jsonl, summary.json) nor a comparison (results.json)`,
    );
  return runReport(dir, metrics, summary);
}
