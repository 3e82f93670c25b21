// Recipe probes for crbg on the conv nets, under the conv benchmark's reduced protocol: each is one
// `slt search` of crbg with a few flags changed from its relaxed Adam recipe, on Conv-4 / Conv-6, Fashion-MNIST,
// seed 0. It records what was tried and what it gave (recipes.json).
// Usage: nice -n 10 node benchmarks/conv/recipes.mjs [--only NAME]
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { probeRuns } from '../probe-runs.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({ options: { only: { type: 'string' } } });

const protocol = ['--dataset', 'fashion-mnist', '--epochs', '1', '--train-limit', '1000', '--test-limit', '1000'];
/** Command-line flags from { flag: value }, in the object's order. */
const flags = (values) => Object.entries(values).flatMap(([flag, value]) => [`--${flag}`, String(value)]);
// Each recipe's flags apply on top of crbg's relaxed Adam recipe (its LeNet-300-100 default when
// these ran), spelled out because the conv nets' own default is now the hard-ticket recipe at lr 0.6.
const relaxedAdam = flags({
  optimizer: 'adam',
  lr: 0.03,
  'hard-from': 0.5,
  sigma: 0.25,
  'sigma-end': 0.05,
  'gate-init-spread': 0,
});
// 0/1 gates with almost no noise from the first step.
const hardGates = { 'hard-from': 0, sigma: 0.01, 'sigma-end': 0.01 };
// SGD with momentum on hard gates from a random ticket at the target: edge-popup's recipe, the
// top-k replaced by the sign of mu and the sparsity constraint.
const hardTicket = (lr) => flags({ optimizer: 'sgd', lr, momentum: 0.9, 'gate-init-spread': 0.5, ...hardGates });
const recipes = {
  // SGD with momentum from a random ticket at the target, the relaxed schedule kept.
  'sgd-spread': flags({ optimizer: 'sgd', lr: 2, momentum: 0.9, 'gate-init-spread': 0.5 }),
  // Adam with small steps from a random ticket at the target, 0/1 gates and almost no noise throughout.
  'adam-small-steps': flags({ lr: 0.001, 'gate-init-spread': 0.05, ...hardGates }),
  'sgd-hard-ticket-lr2': hardTicket(2),
  'sgd-hard-ticket-lr0.2': hardTicket(0.2),
};
const cases = [
  ['conv4', 0.5],
  ['conv4', 0.9],
  ['conv6', 0.5],
  ['conv6', 0.9],
];

const selected = Object.entries(recipes).filter(([recipe]) => values.only === undefined || values.only === recipe);
const runs = await probeRuns(
  selected.flatMap(([recipe, flags]) =>
    cases.map(([model, sparsity]) => ({
      name: `${recipe}-${model}-${sparsity}`,
      recipe,
      flags,
      model,
      sparsity,
      args: [
        '--model',
        model,
        ...protocol,
        '--batch-size',
        '32',
        '--target-sparsity',
        String(sparsity),
        ...relaxedAdam,
        ...flags,
      ],
    })),
  ),
  { root: join(here, 'results', 'recipes') },
);
const rows = runs.map(([c, summary]) => ({
  recipe: c.recipe,
  flags: c.flags.join(' '),
  model: c.model,
  target_sparsity: c.sparsity,
  sparsity: summary.sparsity,
  test_acc: summary.test_acc,
  seconds_per_epoch: summary.seconds_per_epoch,
  backend: summary.backend,
}));
const result = {
  protocol: `${protocol.join(' ')} --batch-size 32 --seed 0`,
  machine: { cpu: cpus()[0]?.model, cores: cpus().length },
  rows,
};
writeFileSync(join(here, 'recipes.json'), `${JSON.stringify(result, null, 2)}\n`);
for (const r of rows)
  console.log(
    `| ${r.recipe} | ${r.model} | ${r.target_sparsity} | ${r.sparsity.toFixed(3)} | ${(100 * r.test_acc).toFixed(2)}% |`,
  );
