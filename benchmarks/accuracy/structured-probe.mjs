// Where the structured search's accuracy is bounded: crbg with one gate per hidden unit on
// mnist10k (30 epochs, seed 0, the CLI's defaults otherwise; ReLU unless named) at several target sparsities and
// widths. If the ticket's accuracy barely moves with the sparsity asked for, what limits it is what
// a choice of whole random units can express, not the sparsity; a wider net gives more units to
// choose from. Writes structured-probe.json (runs under results/structured-probe/).
// Usage: node benchmarks/accuracy/structured-probe.mjs
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const cli = join(here, '..', '..', 'packages', 'cli', 'dist', 'bin.js');
const protocol = ['--model', 'lenet300', '--dataset', 'mnist10k', '--gates', 'structured', '--epochs', '30'];

/** [name, target sparsity, extra flags] */
const relu = ['--activation', 'relu'];
const cases = [
  ['300-100', 0.3, relu],
  ['300-100', 0.5, relu],
  ['300-100', 0.77, relu],
  ['300-100-prelu', 0.77, ['--activation', 'prelu']],
  ['1000-300', 0.77, [...relu, '--model-args', '{"hidden":[1000,300]}']],
];

const rows = [];
for (const [name, sparsity, flags] of cases) {
  const dir = join(here, 'results', 'structured-probe', `${name}-${sparsity}`);
  if (!existsSync(join(dir, 'summary.json'))) {
    rmSync(dir, { recursive: true, force: true });
    const args = [cli, 'search', ...protocol, '--target-sparsity', String(sparsity), ...flags, '--out', dir];
    console.log(`${name} ${sparsity}`);
    const run = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'] });
    if (run.status !== 0) throw new Error(`slt search failed (exit ${run.status}): ${args.join(' ')}`);
    // Only the numbers are kept: the ticket, checkpoint and report are for the run, not the record.
    for (const file of readdirSync(dir))
      if (!['config.json', 'metrics.jsonl', 'summary.json'].includes(file))
        rmSync(join(dir, file), { recursive: true, force: true });
  }
  const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
  rows.push({
    net: name,
    flags: flags.join(' '),
    target_sparsity: sparsity,
    sparsity: summary.sparsity,
    unit_sparsity: summary.unit_sparsity,
    test_acc: summary.test_acc,
    layers: summary.layers.map((l) => ({ name: l.name, sparsity: l.sparsity })),
    backend: summary.backend,
  });
}
const result = {
  protocol: `${protocol.join(' ')} --seed 0`,
  machine: { cpu: cpus()[0]?.model, cores: cpus().length },
  rows,
};
writeFileSync(join(here, 'structured-probe.json'), `${JSON.stringify(result, null, 2)}\n`);
for (const r of rows)
  console.log(
    `| ${r.net} | ${r.target_sparsity} | ${r.sparsity.toFixed(3)} | ${r.unit_sparsity.toFixed(3)} | ${(100 * r.test_acc).toFixed(2)}% |`,
  );
