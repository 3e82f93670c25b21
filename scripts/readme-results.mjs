// Regenerates the README's results section from the JSON (and tables) the benchmarks committed,
// so no number in the README is typed by hand. Usage: pnpm build && node scripts/readme-results.mjs
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
// The comparison tables' own aggregation (run `pnpm build` first).
import { aggregateRows, formatCell } from '../packages/report/dist/index.js';

const root = new URL('..', import.meta.url).pathname;
const bench = (...parts) => join(root, 'benchmarks', ...parts);
const json = (path) => (existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : undefined);
const text = (path) => (existsSync(path) ? readFileSync(path, 'utf8').trim() : undefined);
const sections = [];

const accuracy = text(bench('accuracy', 'table.md'));
if (accuracy) {
  sections.push(`### Accuracy of the engine's defaults (\`benchmarks/accuracy\`)

crbg with the CLI's defaults (only dataset, structure, target sparsity and epochs set), LeNet-300-100,
binary ticket on the test split; floor = edge-popup's reference figure on the same net and data
(structured: the thesis's figure on full MNIST). \`node benchmarks/accuracy/run.mjs\`.

${accuracy}`);
}

// The recipe probes: one change at a time from the defaults, seed 0 (what moved the needle and what did not).
const pct = (acc) => `${(100 * acc).toFixed(2)}%`;
const flagsCell = (flags) => (flags ? `\`${flags}\`` : '(none)');
const recipe = json(bench('accuracy', 'recipe-probe.json'));
/** Test accuracy, then the training split's where the run recorded it. */
const probeCell = (r) => (r.train_acc == null ? pct(r.test_acc) : `${pct(r.test_acc)} (train ${pct(r.train_acc)})`);
const structuredProbe = json(bench('accuracy', 'structured-probe.json'));
const mustShow = json(bench('suite', 'results', 'fmnist-must-show', 'results.json'));
if (recipe && structuredProbe && mustShow) {
  const edgePopup = (t) => mustShow.rows.find((r) => r.method === 'edge-popup' && r.target_sparsity === t);
  const targets = [...new Set(recipe.rows.map((r) => r.target_sparsity))].sort();
  const changes = [...new Set(recipe.rows.map((r) => r.change))];
  const recipeRows = changes.map((change) => {
    const cells = targets.map((t) => recipe.rows.find((r) => r.change === change && r.target_sparsity === t));
    const flags = cells.find((r) => r !== undefined)?.flags ?? '';
    return `| ${change} | ${flagsCell(flags)} | ${cells.map((r) => (r ? probeCell(r) : '—')).join(' | ')} |`;
  });
  const structuredRows = structuredProbe.rows.map(
    (r) =>
      `| ${r.net} | ${flagsCell(r.flags)} | ${r.target_sparsity} | ${r.sparsity.toFixed(3)} | ${r.unit_sparsity.toFixed(3)} | ${pct(r.test_acc)} |`,
  );
  sections.push(`### Recipe probes (\`benchmarks/accuracy\`, seed 0 unless a row names another)

One change at a time from a baseline: crbg's defaults as they were when these ran, with the
decision weight at 0.1, the penalty at 100, the learning rate at 0.03 and the final gate noise
at 0.05 (\`--decision 0.1 --penalty 100 --lr 0.03 --sigma-end 0.05\`, their defaults until the
decision-0, decision-0-penalty-300 and lr rows, and for the noise the validation probe below,
showed the present ones ahead).
Unstructured LeNet-300-100 on Fashion-MNIST, 20 epochs; rows named mnist10k ran on mnist10k, 30
epochs (\`node benchmarks/accuracy/recipe-probe.mjs\`; edge-popup on Fashion-MNIST with the same
seed, from \`benchmarks/suite\`'s fmnist-must-show: ${targets
    .filter((t) => edgePopup(t) !== undefined)
    .map((t) => `${pct(edgePopup(t).test_acc)} at ${t}`)
    .join(', ')}; its
tickets fit the training split to ${targets
    .filter((t) => edgePopup(t)?.train_acc != null)
    .map((t) => `${pct(edgePopup(t).train_acc)} at ${t}`)
    .join(', ')}).
Rows run since \`train_acc\` was recorded show the ticket's accuracy on the training split after
its test accuracy.

| change | flags | ${targets.map((t) => `target ${t}`).join(' | ')} |
| --- | --- | ${targets.map(() => '---').join(' | ')} |
${recipeRows.join('\n')}

Structured (one gate per hidden unit) on mnist10k, 30 epochs (\`node benchmarks/accuracy/structured-probe.mjs\`;
each row names its change from the structured defaults, PReLU slope 0.5 and gate noise annealed to
0.01, and its seed when not 0; sparsity counts the weights of the network the ticket is):

| change | flags | target | sparsity | unit sparsity | test acc |
| --- | --- | --- | --- | --- | --- |
${structuredRows.join('\n')}`);
}

const validation = json(bench('accuracy', 'validation-probe.json'));
if (validation) {
  const lines = validation.summary.map((m) => {
    const paired =
      m.minus_0_05 === undefined
        ? '—'
        : `${m.minus_0_05 >= 0 ? '+' : ''}${m.minus_0_05.toFixed(2)} ± ${m.stderr.toFixed(2)}`;
    return `| ${m.dataset} | ${m.epochs} | ${m.target_sparsity} | ${m.sigma_end} | ${m.seeds} | ${pct(m.val_acc)} | ${paired} |`;
  });
  sections.push(`### Validation probe (\`benchmarks/accuracy\`, judged on a validation split)

Final gate noise (\`--sigma-end\`), judged on a tenth of each class of the training split held out
(\`--val-split 0.1\`), never on the test split: LeNet-300-100, crbg, \`${validation.protocol}\`
(\`node benchmarks/accuracy/validation-probe.mjs\`). Paired: the level minus 0.05 seed by seed, in
points, mean ± standard error.

| data set | epochs | target | final noise | seeds | validation acc | minus 0.05, paired |
| --- | --- | --- | --- | --- | --- | --- |
${lines.join('\n')}`);
}

const speed = json(bench('speed', 'results.json'));
if (speed) {
  const profile = (name) =>
    Object.entries(speed.profile_ms_per_step[name])
      .filter(([phase]) => phase !== 'kernels')
      .map(([phase, ms]) => `${phase.replaceAll('_', ' ')} ${ms} ms`)
      .join(', ');
  const kernels = (name) =>
    Object.entries(speed.profile_ms_per_step[name].kernels ?? {})
      .map(([kernel, ms]) => `| ${name.replace('_hard', ', 0/1 gates')} | \`${kernel}\` | ${ms} |`)
      .join('\n');
  sections.push(`### Speed (\`benchmarks/speed\`)

Seconds per Fashion-MNIST epoch (60,000 images, batch 128, LeNet-300-100), both methods in one
process on ${speed.machine.cores} cores of ${speed.machine.cpu}, backend **${speed.backend}**
(Node ${speed.versions.node}, tfjs ${speed.versions.tfjs_core}): ${speed.rounds} rounds, each of two ${speed.epochs}-epoch searches per
method in the order A B B A (the first method alternating between rounds), so that a drift
that is linear over a round cancels; medians over the rounds, and the ratio is the median of the
rounds' ratios (per round: ${speed.per_round.map((r) => r.ratio).join(', ')}).${
    speed.profile_ratio_crbg_to_dense
      ? ` The profile below, whose steps alternate one by one, puts a search's steps (half relaxed, half 0/1) at
${speed.profile_ratio_crbg_to_dense}x dense's (the rounds' ratios range from ${Math.min(...speed.per_round.map((r) => r.ratio))} to ${Math.max(...speed.per_round.map((r) => r.ratio))}).`
      : ''
  }

| method | seconds per epoch |
| --- | --- |
| crbg | ${speed.crbg.seconds_per_epoch.toFixed(2)} |
| dense (weight training) | ${speed.dense.seconds_per_epoch.toFixed(2)} |
| ratio crbg / dense | ${speed.ratio_crbg_to_dense} |

Where a step's milliseconds go (${speed.profile_ms_per_step.steps} steps of each kind, the kinds taking turns step by step in one
process so that drift falls on all alike): crbg with relaxed gates (the first half of a search): ${profile('crbg')}; crbg with 0/1 gates (the rest): ${profile('crbg_hard')}; dense: ${profile('dense')}.
${
  speed.profile_ms_per_step.crbg_without_regularizer
    ? `The same relaxed crbg step without the regulariser's term (gates only, not a search slt runs): ${profile('crbg_without_regularizer')}.
So of the ${(speed.profile_ms_per_step.crbg.total - speed.profile_ms_per_step.dense.total).toFixed(2)} ms a relaxed crbg step costs over dense, the gates take ${(speed.profile_ms_per_step.crbg_without_regularizer.total - speed.profile_ms_per_step.dense.total).toFixed(2)} ms and the regulariser ${(speed.profile_ms_per_step.crbg.total - speed.profile_ms_per_step.crbg_without_regularizer.total).toFixed(2)} ms.`
    : ''
}

The largest kernels of a step (\`tf.profile\`, ms per step, which adds its own overhead; \`Slt*\`
are slt's fused kernels, WebAssembly SIMD on the wasm backend, the rest tfjs-backend-${speed.backend}'s):

| method | kernel [input shapes] | ms per step |
| --- | --- | --- |
${kernels('crbg')}
${kernels('crbg_hard')}
${kernels('dense')}`);
}

/** One table for the ablation parts (`ablation-<factor>-<value>`): one row each, a column per target. */
function ablationTable(dir, parts) {
  // The defaults' row: mnist10k-methods' crbg runs have the same config.
  const defaults = (json(join(dir, 'mnist10k-methods', 'results.json'))?.rows ?? []).filter((r) => r.method === 'crbg');
  const rows = [
    { part: 'ablation-defaults-target, gaussian, signed-constant, relu', runs: defaults },
    ...parts.map((part) => ({ part, runs: json(join(dir, part, 'results.json')).rows })),
  ];
  const targets = [...new Set(rows.flatMap((r) => r.runs.map((run) => run.target_sparsity)))].sort();
  const lines = rows.map(({ part, runs }) => {
    const [, factor, value] = /^ablation-([a-z]+)-(.+)$/.exec(part);
    const cells = targets.map((t) => {
      const [cell] = aggregateRows(runs.filter((run) => run.target_sparsity === t));
      return cell ? formatCell(cell) : '—';
    });
    return `| ${factor} | ${value} | ${cells.join(' | ')} |`;
  });
  return `| factor | value | ${targets.map((t) => `target ${t}`).join(' | ')} |
| --- | --- | ${targets.map(() => '---').join(' | ')} |
${lines.join('\n')}`;
}

/**
 * Where a comparison's rows record the ticket's training-split accuracy: each run's fit (train)
 * beside what it generalises (test), so a gap between methods reads as one or the other.
 */
function fitTable(dir) {
  const rows = (json(join(dir, 'results.json'))?.rows ?? []).filter((r) => typeof r.train_acc === 'number');
  if (rows.length === 0) return '';
  // Both aggregations group the same rows in the same order, so their cells pair up.
  const train = aggregateRows(rows, 'train_acc');
  const lines = aggregateRows(rows).map((test, i) => {
    const fit = train[i].mean;
    return `| ${test.method} | ${test.target_sparsity} | ${test.seeds} | ${pct(fit)} | ${pct(test.mean)} | ${(100 * (fit - test.mean)).toFixed(2)} |`;
  });
  return `

The same tickets on the training split (\`train_acc\` in results.json; means over the seeds):

| method | target | runs | train acc | test acc | train - test (points) |
| --- | --- | --- | --- | --- | --- |
${lines.join('\n')}`;
}

const suiteDir = bench('suite', 'results');
if (existsSync(suiteDir)) {
  const finished = readdirSync(suiteDir).filter((d) => existsSync(join(suiteDir, d, 'table.md')));
  const parts = finished.filter((d) => !d.startsWith('ablation-'));
  const ablations = finished.filter((d) => d.startsWith('ablation-'));
  if (parts.length > 0) {
    sections.push(`### Comparisons (\`benchmarks/suite\`, made by \`slt compare\`)

Accuracies are comparable. The s/epoch and × dense columns are not, except in fmnist-must-show,
whose runs went one after another (\`--jobs 1\`, recorded in its results.json); even there the runs
minutes apart met this machine's drift, and the speed section above, which alternates the methods
round by round, is the controlled measurement. The other parts ran two at a time. \`supermask\`
has no sparsity target (its masks settle near 0.5 by themselves), so its row repeats one result
per seed under every target.

${parts.map((part) => `#### ${part}\n\n${text(join(suiteDir, part, 'table.md'))}${fitTable(join(suiteDir, part))}`).join('\n\n')}`);
  }
  if (ablations.length > 0) {
    sections.push(`#### Ablations (crbg, LeNet-300-100, mnist10k, 30 epochs, seeds 0-2)

One setting changed from the defaults per row; binary-ticket test accuracy, %. \`induce-sparse\`
and \`induce-decision\` have no sparsity target, so their row repeats one result per seed under
every target; they ran with \`--lambda 0.5\`, about where \`target\`'s multiplier settles at 0.9 on
this setup. Both penalise P(z > 0) = Phi((mu + 1/2) / sigma), whose slope is largest at mu = -1/2:
gates the binary mask already closes (mu < 0). So at that weight they remove little beyond what the
task loss removes by itself ("actual"), where \`target\`'s constraint on P(z > 1/2) moves the
gates at the mask's threshold.

${ablationTable(suiteDir, ablations)}`);
  }
}

const conv = bench('conv', 'table.md');
if (existsSync(conv))
  sections.push(`### Convolutional networks and transformers (\`benchmarks/conv\`)\n\n${text(conv)}`);

const size = json(bench('ticket-size', 'results.json'));
if (size) {
  const rows = [...size.random, ...size.real].map(
    (r) =>
      `| ${r.source} | ${r.ticket_sparsity.toFixed(3)} | ${r.file_bytes_bits} | ${r.bits_per_weight_bits.toFixed(3)} | ${r.bits_per_weight_rice.toFixed(3)} | ${r.entropy_bound_per_layer.toFixed(3)} |`,
  );
  sections.push(`### Ticket size (\`benchmarks/ticket-size\`)

${size.model}; bits per mask entry of the plain bit-packed and the Rice-coded encodings against the
entropy bound of i.i.d. masks with each layer's density.

| mask | sparsity | .slt bytes (bits) | bits/entry (bits) | bits/entry (Rice) | entropy bound |
| --- | --- | --- | --- | --- | --- |
${rows.join('\n')}`);
}

const inference = json(bench('inference', 'results.json'));
if (inference) {
  const ms = (cell) => (cell === undefined ? '—' : cell.best_ms.toFixed(3));
  const rows = inference.rows.map(
    (r) =>
      `| ${r.batch} | ${ms(r.dense)} | ${ms(r.unstructured_masked)} | ${ms(r.structured_exported)} | ${r.structured_speedup_best.toFixed(2)} | ${r.ideal_speedup.toFixed(2)} |`,
  );
  sections.push(`### Inference (\`benchmarks/inference\`)

LeNet-300-100 on ${inference.backend}, ${inference.machine}; best ms per call. The structured
ticket is exported as a physically smaller network; the ideal speed-up is the ratio of
multiply-adds.

| batch | dense | masked ticket | exported structured ticket | speed-up | ideal |
| --- | --- | --- | --- | --- | --- |
${rows.join('\n')}`);
}

const bundles = json(bench('bundle-size', 'results.json'));
if (bundles) {
  sections.push(`### Bundle sizes (\`benchmarks/bundle-size\`)

Each package's main entry bundled for the browser, minified, without TensorFlow.js.

| package | minified bytes | gzipped bytes |
| --- | --- | --- |
${bundles.packages.map((p) => `| ${p.package} | ${p.minifiedBytes} | ${p.gzipBytes} |`).join('\n')}`);
}

const readmePath = join(root, 'README.md');
const readme = readFileSync(readmePath, 'utf8');
const start = '<!-- results:start -->';
const end = '<!-- results:end -->';
const body = sections.length === 0 ? 'No benchmark has been run yet.' : sections.join('\n\n');
const next = `${readme.slice(0, readme.indexOf(start) + start.length)}\n${body}\n${readme.slice(readme.indexOf(end))}`;
writeFileSync(readmePath, next);
console.log(`README results: ${sections.length} sections`);
