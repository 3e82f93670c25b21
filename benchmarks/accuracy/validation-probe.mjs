// Recipe questions judged on a validation split (`--val-split 0.1`: per class, the last tenth of
// the training split, held out), so the answer is not read off the test split. The question
// here: how much gate noise should be left at the end of a search (`--sigma-end`), and does it
// depend on the search's length? LeNet-300-100, crbg, seeds 0-2, on Fashion-MNIST for 20 and 10
// epochs and on mnist10k for 30. Writes validation-probe.json (runs under
// results/validation-probe/).
// Usage: node benchmarks/accuracy/validation-probe.mjs [--jobs 2]
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { probeRuns } from '../probe-runs.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({ options: { jobs: { type: 'string', default: '1' } } });

// crbg's recipe as it stood when these ran, pinned so the rows keep their meaning.
const recipe = ['--model', 'lenet300', '--val-split', '0.1', '--decision', '0', '--penalty', '300', '--lr', 'auto'];
const seeds = [0, 1, 2];

/** [data set, epochs, final noise levels, sparsities] */
const grid = [
  ['fashion-mnist', 20, ['0.05', '0.01'], [0.5, 0.7, 0.9]],
  ['mnist10k', 30, ['0.05', '0.01'], [0.5, 0.7, 0.9]],
  ['fashion-mnist', 10, ['0.05', '0.02', '0.01'], [0.5, 0.9]],
];

const cases = grid.flatMap(([dataset, epochs, ends, sparsities]) =>
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

// Means over the seeds, one line per (data set, epochs, final noise), one column per sparsity.
const groups = new Map();
for (const r of rows) {
  const key = `${r.dataset} | ${r.epochs} | ${r.sigma_end}`;
  const cell = groups.get(key) ?? new Map();
  cell.set(r.target_sparsity, [...(cell.get(r.target_sparsity) ?? []), r.val_acc]);
  groups.set(key, cell);
}
const means = [...groups].map(([key, cells]) => {
  const [dataset, epochs, sigmaEnd] = key.split(' | ');
  return {
    dataset,
    epochs: Number(epochs),
    sigma_end: Number(sigmaEnd),
    val_acc: Object.fromEntries([...cells].map(([s, accs]) => [s, accs.reduce((a, b) => a + b, 0) / accs.length])),
  };
});
const result = {
  protocol: `${recipe.join(' ')} --seed 0,1,2`,
  machine: { cpu: cpus()[0]?.model, cores: cpus().length },
  means,
  rows,
};
writeFileSync(join(here, 'validation-probe.json'), `${JSON.stringify(result, null, 2)}\n`);
console.log('| data set | epochs | final noise | validation accuracy by sparsity (mean of seeds 0-2) |');
console.log('| --- | --- | --- | --- |');
for (const m of means) {
  const cells = Object.entries(m.val_acc).map(([s, acc]) => `${s}: ${(100 * acc).toFixed(2)}%`);
  console.log(`| ${m.dataset} | ${m.epochs} | ${m.sigma_end} | ${cells.join(', ')} |`);
}
