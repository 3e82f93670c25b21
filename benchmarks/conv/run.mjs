// The conv benchmark: binary-ticket test accuracy of crbg against edge-popup on Conv-4 and Conv-6
// (Frankle & Carbin 2019; Ramanujan et al. 2020) and on a tiny ViT (Dosovitskiy et al.
// 2021), on fashion-mnist, under a reduced protocol (a subset of the training split, few epochs)
// that a 2-core CPU can finish. Each part is one `slt compare` into results/<part>/ (resumable:
// started again, finished runs are skipped); then results.json and table.md gather every row.
// Usage: nice -n 10 node benchmarks/conv/run.mjs [--train-limit N] [--test-limit N] [--epochs N]
//        [--batch-size N] [--backend wasm|cpu|tensorflow] [--only conv4|conv6|vit-tiny]
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const cli = join(root, 'packages', 'cli', 'dist', 'bin.js');
const { values } = parseArgs({
  options: {
    'train-limit': { type: 'string', default: '1000' },
    'test-limit': { type: 'string', default: '1000' },
    epochs: { type: 'string', default: '1' },
    'batch-size': { type: 'string', default: '32' },
    backend: { type: 'string', default: 'wasm' },
    only: { type: 'string' },
  },
});

const dataset = 'fashion-mnist';
const seed = 0;
const protocol = {
  dataset,
  train_limit: Number(values['train-limit']),
  test_limit: Number(values['test-limit']),
  epochs: Number(values.epochs),
  batch_size: Number(values['batch-size']),
  backend: values.backend,
  seed,
};

/** The parts of the benchmark: one `slt compare` each; dense (the trained net) is the reference. */
const parts = [
  { name: 'conv4', model: 'conv4', methods: ['crbg', 'edge-popup', 'dense'], sparsities: [0.5, 0.9] },
  { name: 'conv6', model: 'conv6', methods: ['crbg', 'edge-popup', 'dense'], sparsities: [0.5, 0.9] },
  { name: 'vit-tiny', model: 'vit', modelArgs: { size: 'tiny' }, methods: ['crbg', 'edge-popup'], sparsities: [0.5] },
];
const known = parts.map((p) => p.name);
if (values.only !== undefined && !known.includes(values.only)) {
  console.error(`run.mjs: unknown part "${values.only}" (known: ${known.join(', ')})`);
  process.exit(2);
}

/** The finished runs of a part: one row per runs/<run>/summary.json, with its run's protocol. */
function partRows(part) {
  const dir = join(here, 'results', part.name);
  const runsDir = join(dir, 'runs');
  if (!existsSync(runsDir)) return [];
  const compared = existsSync(join(dir, 'results.json'))
    ? JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'))
    : {};
  const rows = [];
  for (const run of readdirSync(runsDir).sort()) {
    const summaryPath = join(runsDir, run, 'summary.json');
    if (!existsSync(summaryPath)) continue;
    const summary = JSON.parse(readFileSync(summaryPath, 'utf8'));
    const config = JSON.parse(readFileSync(join(runsDir, run, 'config.json'), 'utf8'));
    rows.push({
      model: part.name === 'vit-tiny' ? 'vit-tiny' : summary.model,
      method: summary.method,
      target_sparsity: summary.method === 'dense' ? 0 : summary.target_sparsity,
      sparsity: summary.sparsity,
      test_acc: summary.test_acc,
      seconds_per_epoch: summary.seconds_per_epoch,
      train_limit: config.trainLimit ?? null,
      test_limit: config.testLimit ?? null,
      epochs: summary.epochs,
      batch_size: config.batchSize,
      seed: summary.seed,
      backend: summary.backend,
      machine: compared.machine ?? null,
    });
  }
  return rows;
}

/** Refuses to mix protocols: finished runs of a part must match the flags of this invocation. */
function checkProtocol(part) {
  for (const row of partRows(part)) {
    const same =
      row.train_limit === protocol.train_limit &&
      row.test_limit === protocol.test_limit &&
      row.epochs === protocol.epochs &&
      row.batch_size === protocol.batch_size &&
      row.backend === protocol.backend;
    if (!same) {
      console.error(
        `run.mjs: results/${part.name} holds runs of another protocol (train ${row.train_limit}, test ` +
          `${row.test_limit}, ${row.epochs} epochs, batch ${row.batch_size}, ${row.backend}); ` +
          `delete benchmarks/conv/results/${part.name} to rerun it with these flags`,
      );
      process.exit(2);
    }
  }
}

const failed = [];
for (const part of parts) {
  if (values.only !== undefined && values.only !== part.name) continue;
  checkProtocol(part);
  const args = [
    cli,
    'compare',
    '--model',
    part.model,
    ...(part.modelArgs ? ['--model-args', JSON.stringify(part.modelArgs)] : []),
    '--dataset',
    dataset,
    '--methods',
    part.methods.join(','),
    '--sparsities',
    part.sparsities.join(','),
    '--seeds',
    String(seed),
    '--epochs',
    String(protocol.epochs),
    '--batch-size',
    String(protocol.batch_size),
    '--train-limit',
    String(protocol.train_limit),
    '--test-limit',
    String(protocol.test_limit),
    '--backend',
    protocol.backend,
    '--out',
    join(here, 'results', part.name),
  ];
  console.log(`== ${part.name}: slt ${args.slice(1).join(' ')}`);
  const started = Date.now();
  const result = spawnSync(process.execPath, args, { stdio: 'inherit' });
  console.log(`== ${part.name}: exit ${result.status} after ${((Date.now() - started) / 1000).toFixed(0)} s`);
  if (result.status !== 0) failed.push(part.name);
}

const rows = parts.flatMap(partRows);
const cpu = rows.find((r) => r.machine)?.machine;
const where = cpu ? `${cpu.cpu}, ${cpu.cores} cores` : 'this machine';
const caption =
  `Reduced protocol: ${dataset}, first ${protocol.train_limit} of 60,000 training images, first ` +
  `${protocol.test_limit} of 10,000 test images, ${protocol.epochs} epoch(s) at batch ${protocol.batch_size}, ` +
  `seed ${seed}, ${protocol.backend} backend on ${where}, shared with other jobs ` +
  '(s/epoch is wall time under that load); test acc is the binary ticket’s (dense: the trained weights’).';
writeFileSync(
  join(here, 'results.json'),
  `${JSON.stringify({ benchmark: 'conv: crbg vs edge-popup on Conv-4/Conv-6, crbg on ViT-tiny', protocol, rows }, null, 2)}\n`,
);
const pct = (x) => (typeof x === 'number' && Number.isFinite(x) ? `${(100 * x).toFixed(2)}%` : '–');
const num = (x, digits) => (typeof x === 'number' && Number.isFinite(x) ? x.toFixed(digits) : '–');
const table = [
  caption,
  '',
  '| model | method | target | sparsity | test acc | s/epoch |',
  '| --- | --- | ---: | ---: | ---: | ---: |',
  ...rows.map(
    (r) =>
      `| ${r.model} | ${r.method} | ${num(r.target_sparsity, 2)} | ${num(r.sparsity, 3)} | ${pct(r.test_acc)} | ${num(r.seconds_per_epoch, 1)} |`,
  ),
];
writeFileSync(join(here, 'table.md'), `${table.join('\n')}\n`);
console.log(table.join('\n'));
if (failed.length > 0) {
  console.error(`run.mjs: parts that did not finish: ${failed.join(', ')}`);
  process.exit(1);
}
