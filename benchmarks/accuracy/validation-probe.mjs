// Recipe questions judged on a validation split (`--val-split 0.1`: per class, the last tenth of
// the training split, held out), so the answer is not read off the test split. The question
// here: how much gate noise should be left at the end of a search (`--sigma-end`), and does it
// depend on the search's length? LeNet-300-100, crbg, seeds 0-2, on Fashion-MNIST for 20 and 10
// epochs and on mnist10k for 30; then seeds 3-9 where the test split had suggested a gain
// (Fashion-MNIST at 0.5) or a loss (mnist10k at 0.9); then Fashion-MNIST for 40 epochs. Writes validation-probe.json (runs under
// results/validation-probe/): means over seeds, and each level minus 0.05 paired by seed.
// Usage: node benchmarks/accuracy/validation-probe.mjs [--jobs 2]
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { aggregateRows, pairedDifferences } from '../../packages/report/dist/index.js';
import { probeRuns } from '../probe-runs.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({ options: { jobs: { type: 'string', default: '1' } } });

// crbg's recipe as it stood when these ran, pinned so the rows keep their meaning.
const recipe = ['--model', 'lenet300', '--val-split', '0.1', '--decision', '0', '--penalty', '300', '--lr', 'auto'];
const first = [0, 1, 2];
const more = [3, 4, 5, 6, 7, 8, 9];

/** [data set, epochs, final noise levels, sparsities, seeds] */
const grid = [
  ['fashion-mnist', 20, ['0.05', '0.01'], [0.5, 0.7, 0.9], first],
  ['mnist10k', 30, ['0.05', '0.01'], [0.5, 0.7, 0.9], first],
  ['fashion-mnist', 10, ['0.05', '0.02', '0.01'], [0.5, 0.9], first],
  ['fashion-mnist', 20, ['0.05', '0.01'], [0.5], more],
  ['mnist10k', 30, ['0.05', '0.01'], [0.9], more],
  // A fourth length: 40 epochs (16,880 steps with the tenth held out), where the rule gives 0.006.
  ['fashion-mnist', 40, ['0.05', '0.01', '0.006'], [0.5, 0.9], first],
];

const cases = grid.flatMap(([dataset, epochs, ends, sparsities, seeds]) =>
  ends.flatMap((end) =>
    sparsities.flatMap((sparsity) =>
      seeds.map((seed) => ({
        name: `${dataset}-e${epochs}-sigma-end-${end}-s${sparsity}-seed${seed}`,
        dataset,
        epochs,
        end,
        sparsity,
        seed,
        args: [
          ...recipe,
          ...['--dataset', dataset, '--epochs', String(epochs), '--sigma-end', end],
          ...['--target-sparsity', String(sparsity), '--seed', String(seed)],
        ],
      })),
    ),
  ),
);
const runs = await probeRuns(cases, { root: join(here, 'results', 'validation-probe'), jobs: Number(values.jobs) });
const rows = runs.map(([c, s]) => {
  if (s.evaluated_on !== 'validation') throw new Error(`${c.name} was not judged on the validation split`);
  return {
    dataset: c.dataset,
    epochs: c.epochs,
    sigma_end: Number(c.end),
    target_sparsity: c.sparsity,
    seed: c.seed,
    sparsity: s.sparsity,
    val_acc: s.test_acc,
    train_acc: s.train_acc,
    seconds_per_epoch: s.seconds_per_epoch,
    backend: s.backend,
  };
});

// Per (data set, epochs, sparsity): each final noise's mean over its seeds, and its difference
// from 0.05 paired by seed (mean ± standard error, in points), as `slt compare` pairs methods.
const groups = new Map();
for (const r of rows) {
  const key = `${r.dataset}|${r.epochs}`;
  groups.set(key, [...(groups.get(key) ?? []), r]);
}
const summary = [...groups.values()].flatMap((group) => {
  const { dataset, epochs } = group[0];
  // The report's comparison rows, one "method" per final noise.
  const compared = group.map((r) => ({ ...r, method: String(r.sigma_end), test_acc: r.val_acc }));
  const of = (level) => compared.filter((r) => r.method === String(level));
  const levels = [...new Set(group.map((r) => r.sigma_end))];
  const cells = aggregateRows(compared);
  const paired = levels.flatMap((level) => (level === 0.05 ? [] : pairedDifferences([...of(level), ...of(0.05)])));
  const targets = [...new Set(group.map((r) => r.target_sparsity))];
  return targets.flatMap((target_sparsity) =>
    levels.map((level) => {
      const cell = cells.find((c) => c.method === String(level) && c.target_sparsity === target_sparsity);
      const pair = paired.find((p) => p.method === String(level) && p.target_sparsity === target_sparsity);
      return {
        dataset,
        epochs,
        target_sparsity,
        sigma_end: level,
        seeds: cell.seeds,
        val_acc: cell.mean,
        ...(pair === undefined ? {} : { minus_0_05: 100 * pair.mean, stderr: 100 * pair.stderr }),
      };
    }),
  );
});
const result = {
  protocol: recipe.join(' '),
  machine: { cpu: cpus()[0]?.model, cores: cpus().length },
  summary,
  rows,
};
writeFileSync(join(here, 'validation-probe.json'), `${JSON.stringify(result, null, 2)}\n`);
console.log('| data set | epochs | sparsity | final noise | seeds | validation acc | minus 0.05, paired |');
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const m of summary) {
  const paired = m.minus_0_05 === undefined ? '' : `${m.minus_0_05.toFixed(2)} ± ${m.stderr.toFixed(2)}`;
  console.log(
    `| ${m.dataset} | ${m.epochs} | ${m.target_sparsity} | ${m.sigma_end} | ${m.seeds} | ${(100 * m.val_acc).toFixed(2)}% | ${paired} |`,
  );
}
