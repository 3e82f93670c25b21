// The engine's accuracy benchmark: the binary ticket's test accuracy, mean and std over seeds
// 0, 1, 2, with the CLI's defaults, on four LeNet-300-100 setups; each setup is one
// `slt compare` (resumable: a stopped run continues from its checkpoint).
// Usage: node benchmarks/accuracy/run.mjs [--jobs 2] [--seeds 0,1,2] [--only NAME]
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const cli = join(root, 'packages', 'cli', 'dist', 'bin.js');
const { values } = parseArgs({
  options: {
    jobs: { type: 'string', default: '2' },
    seeds: { type: 'string', default: '0,1,2' },
    only: { type: 'string' },
  },
});

/** The setups of the issue, with the floor (edge-popup's reference figure) and the goal. */
export const setups = [
  {
    name: 'mnist10k-unstructured-0.9',
    dataset: 'mnist10k',
    gates: 'unstructured',
    sparsity: 0.9,
    epochs: 30,
    floor: 0.948,
    goal: 0.955,
  },
  {
    name: 'fashion-mnist-unstructured-0.5',
    dataset: 'fashion-mnist',
    gates: 'unstructured',
    sparsity: 0.5,
    epochs: 20,
    floor: 0.889,
    goal: 0.895,
  },
  {
    name: 'fashion-mnist-unstructured-0.9',
    dataset: 'fashion-mnist',
    gates: 'unstructured',
    sparsity: 0.9,
    epochs: 20,
    floor: 0.879,
    goal: 0.885,
  },
  {
    name: 'mnist10k-structured-0.77',
    dataset: 'mnist10k',
    gates: 'structured',
    sparsity: 0.77,
    epochs: 30,
    floor: 0.88,
    goal: 0.91,
  },
];

function ensureFashionMnist() {
  if (existsSync('/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz')) return;
  console.log('installing Debian package dataset-fashion-mnist');
  execFileSync('apt-get', ['install', '-y', '-qq', 'dataset-fashion-mnist'], { stdio: 'inherit' });
}

const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const std = (xs) => (xs.length < 2 ? 0 : Math.sqrt(xs.reduce((a, b) => a + (b - mean(xs)) ** 2, 0) / (xs.length - 1)));

ensureFashionMnist();
const results = { benchmark: 'binary-ticket test accuracy of crbg with the CLI defaults, LeNet-300-100', setups: [] };
for (const setup of setups) {
  const out = join(here, 'results', setup.name);
  if (values.only === undefined || values.only === setup.name) {
    const args = [
      cli,
      'compare',
      '--methods',
      'crbg',
      '--model',
      'lenet300',
      '--dataset',
      setup.dataset,
      '--gates',
      setup.gates,
      '--sparsities',
      String(setup.sparsity),
      '--epochs',
      String(setup.epochs),
      '--seeds',
      values.seeds,
      '--jobs',
      values.jobs,
      '--out',
      out,
    ];
    const run = spawnSync('node', args, { stdio: 'inherit' });
    if (run.status !== 0) throw new Error(`slt compare failed for ${setup.name} (exit ${run.status})`);
  }
  if (!existsSync(join(out, 'results.json'))) continue;
  const compared = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
  const rows = compared.rows.map((row) => {
    const summary = JSON.parse(
      readFileSync(join(out, 'runs', `crbg-s${row.target_sparsity}-seed${row.seed}`, 'summary.json'), 'utf8'),
    );
    return {
      seed: row.seed,
      test_acc: row.test_acc,
      sparsity: row.sparsity,
      unit_sparsity: summary.unit_sparsity,
      seconds_per_epoch: row.seconds_per_epoch,
    };
  });
  const accs = rows.map((r) => r.test_acc);
  results.setups.push({
    ...setup,
    runs: rows,
    test_acc_mean: mean(accs),
    test_acc_std: std(accs),
    sparsity_mean: mean(rows.map((r) => r.sparsity)),
    max_sparsity_miss: Math.max(...rows.map((r) => Math.abs(r.sparsity - setup.sparsity))),
    unit_sparsity_mean: setup.gates === 'structured' ? mean(rows.map((r) => r.unit_sparsity)) : null,
    floor_met: mean(accs) >= setup.floor,
    goal_met: mean(accs) >= setup.goal,
    machine: compared.machine,
    backend: compared.backend,
    versions: compared.versions,
  });
}
writeFileSync(join(here, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
const pct = (x) => (100 * x).toFixed(2);
const lines = [
  '| setup | epochs | binary test acc (mean ± std, seeds) | sparsity (max miss) | unit sparsity | floor | goal |',
  '| --- | --- | --- | --- | --- | --- | --- |',
  ...results.setups.map(
    (s) =>
      `| ${s.name} | ${s.epochs} | ${pct(s.test_acc_mean)} ± ${pct(s.test_acc_std)} (${s.runs.map((r) => r.seed).join(',')}) | ${s.sparsity_mean.toFixed(4)} (${s.max_sparsity_miss.toFixed(4)}) | ${s.unit_sparsity_mean === null ? '—' : s.unit_sparsity_mean.toFixed(4)} | ${pct(s.floor)} ${s.floor_met ? '✓' : '✗'} | ${pct(s.goal)} ${s.goal_met ? '✓' : '✗'} |`,
  ),
];
writeFileSync(join(here, 'table.md'), `${lines.join('\n')}\n`);
console.log(lines.join('\n'));
