// Where the structured search's accuracy is bounded: crbg with one gate per hidden unit on
// mnist10k (30 epochs, the CLI's structured defaults unless named: PReLU slope 0.5, gate noise
// annealed to 0.01; sparsity counts the weights of the network the ticket is). The slope rows
// (seeds 0-2) are why the default is 0.5; if the ReLU ticket's accuracy barely moves with the
// sparsity asked for, what limits it is what a choice of whole random units can express, not the
// budget; wider nets give more units to choose from. The default at 0.1 and 0.5 (76.9 / 80.6%)
// and with 150 epochs (79.8%) lands where it does at 0.77 in 30. The recipe rows (seed 0) vary one setting
// of the default each: none beat the default's 79.90% (inits 60.6-77.3%, lr 0.01 / 0.1 77.2 /
// 78.0%, 0/1 gates from the start or never 79.4 / 79.2%, the rest 75.1-79.8%), and the unstructured
// recipe's length-following rate (0.0334) gives 80.18% over seeds 0-2 against the default's 80.78%.
// Writes structured-probe.json (runs under results/structured-probe/).
// Usage: node benchmarks/accuracy/structured-probe.mjs [--jobs 2]
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { probeRuns } from '../probe-runs.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({ options: { jobs: { type: 'string', default: '1' } } });
const protocol = ['--model', 'lenet300', '--dataset', 'mnist10k', '--gates', 'structured', '--epochs', '30'];

/** [name, target sparsity, extra flags] */
const seeds = (name, flags) =>
  [0, 1, 2].map((seed) => [seed === 0 ? name : `${name}-seed-${seed}`, 0.77, [...flags, '--seed', String(seed)]]);
const relu = ['--activation', 'relu'];
const cases = [
  ...seeds('default', []),
  ...seeds('slope-0.25', ['--model-args', '{"slope":0.25}']),
  ...seeds('slope-0.75', ['--model-args', '{"slope":0.75}']),
  ['relu', 0.3, relu],
  ['relu', 0.5, relu],
  ['relu', 0.77, relu],
  ['300-300', 0.77, ['--model-args', '{"hidden":[300,300]}']],
  ['1000-100', 0.77, ['--model-args', '{"hidden":[1000,100]}']],
  ['1000-300', 0.77, ['--model-args', '{"hidden":[1000,300]}']],
  // The default at other budgets and run lengths (seed 0): if the ticket's accuracy stays put
  // from 0.1 to 0.77 and five times the epochs, neither the budget nor the search bounds it.
  ['default', 0.1, []],
  ['default', 0.5, []],
  ['epochs-150', 0.77, ['--epochs', '150']],
  // The recipe around the default, seed 0: if none of these moves the ticket by more than seeds
  // do, the search is not what bounds it.
  ['init-uniform', 0.77, ['--init', 'uniform']],
  ['init-kaiming-normal', 0.77, ['--init', 'kaiming-normal']],
  ['init-kaiming-uniform', 0.77, ['--init', 'kaiming-uniform']],
  ['lr-0.01', 0.77, ['--lr', '0.01']],
  ['lr-0.1', 0.77, ['--lr', '0.1']],
  // The unstructured recipe's length-following rate (0.0334 here), against the fixed 0.03 kept.
  ...seeds('lr-auto', ['--lr', 'auto']),
  ['hard-from-0', 0.77, ['--hard-from', '0']],
  ['hard-from-1', 0.77, ['--hard-from', '1']],
  ['sigma-0.5', 0.77, ['--sigma', '0.5']],
  ['rescale-none', 0.77, ['--rescale', 'none']],
  ['gate-init-0.5', 0.77, ['--gate-init', '0.5']],
  ['penalty-300', 0.77, ['--penalty', '300']],
].map(([net, sparsity, flags]) => ({
  name: `${net}-${sparsity}`,
  net,
  sparsity,
  flags,
  args: [...protocol, '--target-sparsity', String(sparsity), ...flags],
}));

const runs = await probeRuns(cases, { root: join(here, 'results', 'structured-probe'), jobs: Number(values.jobs) });
const rows = runs.map(([c, summary]) => ({
  net: c.net,
  flags: c.flags.join(' '),
  target_sparsity: c.sparsity,
  sparsity: summary.sparsity,
  unit_sparsity: summary.unit_sparsity,
  test_acc: summary.test_acc,
  layers: summary.layers.map((l) => ({ name: l.name, sparsity: l.sparsity })),
  backend: summary.backend,
}));
const result = {
  protocol: `${protocol.join(' ')} (seed 0 unless a row names another)`,
  machine: { cpu: cpus()[0]?.model, cores: cpus().length },
  rows,
};
writeFileSync(join(here, 'structured-probe.json'), `${JSON.stringify(result, null, 2)}\n`);
for (const r of rows)
  console.log(
    `| ${r.net} | ${r.target_sparsity} | ${r.sparsity.toFixed(3)} | ${r.unit_sparsity.toFixed(3)} | ${(100 * r.test_acc).toFixed(2)}% |`,
  );
