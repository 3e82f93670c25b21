/**
 * The baselines harness: every method x target sparsity x seed on the same network, init and data,
 * so methods differ in their mask rule (and their authors' recipe) only. Each run is an ordinary
 * `search()` into `DIR/runs/<method>-s<sparsity>-seed<seed>/`; `results.json` collects one row per
 * run, `table.md` gives mean ± std over seeds and `accuracy-vs-sparsity.svg` plots them.
 * A comparison stopped and started again skips the runs whose `summary.json` exists.
 */
import { existsSync, readFileSync } from 'node:fs';
import { cpus, freemem, platform, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { check } from '@slt/core';
import { makeDirectory, makeOutputDirectory, writeFileAtomic } from '@slt/core/node';
import {
  type ComparisonResults,
  type ComparisonRow,
  runDirName,
  speedToDense,
  writeComparisonArtifacts,
} from '@slt/report';
import { version_core as tfjsVersion } from '@tensorflow/tfjs-core';
import { resolveConfig, type SearchConfig } from './config.js';
import { methodDefaults, methods } from './methods.js';
import { search } from './search.js';
import type { Summary } from './summary.js';

/** One run of a comparison. */
export interface PlannedRun {
  readonly method: string;
  /** The sparsity asked for; 0 for `dense`, which has no mask. */
  readonly targetSparsity: number;
  readonly seed: number;
  /** `DIR/runs/<method>-s<sparsity>-seed<seed>`. */
  readonly dir: string;
  /** The fully resolved config of the run. */
  readonly config: SearchConfig;
}

/** What a comparison runs. */
export interface ComparisonPlan {
  readonly methods: readonly string[];
  readonly sparsities: readonly number[];
  readonly seeds: readonly number[];
  /** Config keys shared by every run (model, dataset, epochs, any search flag); override each method's recipe. */
  readonly shared: Partial<SearchConfig>;
}

/** Where a run stands. */
export type RunState = 'queued' | 'skipped' | 'running' | 'resumed' | 'done' | 'failed';

/** Runs one planned run to completion (its summary.json written) or throws. */
export type RunExecutor = (run: PlannedRun, resume: boolean) => Promise<void>;

/** Options of {@link compare}. */
export interface CompareOptions {
  /** Runs at once (default 1). Above 1, pass an `executor` that starts child processes. */
  readonly jobs?: number;
  /** How one run is executed (default: `search()` in this process). */
  readonly executor?: RunExecutor;
  /** Told whenever a run changes state. */
  readonly onState?: (run: PlannedRun, state: RunState, detail?: string) => void;
  readonly signal?: AbortSignal;
}

/** Every (method, sparsity, seed) run of `plan` under `out`; `dense` runs once per seed, at sparsity 0. */
export function planComparison(plan: ComparisonPlan, out: string): PlannedRun[] {
  check(plan.methods.length > 0, 'compare: --methods lists no method');
  check(plan.seeds.length > 0, 'compare: --seeds lists no seed');
  for (const name of plan.methods) methods.get(name);
  const gatedMethods = plan.methods.filter((m) => methods.get(m).gated);
  check(gatedMethods.length === 0 || plan.sparsities.length > 0, 'compare: --sparsities lists no sparsity');
  check(new Set(plan.methods).size === plan.methods.length, 'compare: a method is listed twice in --methods');
  const runs: PlannedRun[] = [];
  for (const name of plan.methods) {
    const method = methods.get(name);
    const sparsities = method.gated ? plan.sparsities : [0];
    for (const targetSparsity of sparsities) {
      for (const seed of plan.seeds) {
        const config = resolveConfig(methodDefaults(method, plan.shared), plan.shared, {
          method: name,
          seed,
          ...(method.gated ? { targetSparsity } : {}),
        });
        runs.push({
          method: name,
          targetSparsity,
          seed,
          dir: join(out, 'runs', runDirName(name, targetSparsity, seed)),
          config,
        });
      }
    }
  }
  return runs;
}

/** The `search()` of a run in this process. */
export const inProcessExecutor: RunExecutor = async (run, resume) => {
  await search(run.config, { out: run.dir, resume });
};

function readRunSummary(dir: string): Summary | undefined {
  const path = join(dir, 'summary.json');
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Summary) : undefined;
}

/** A results row from a finished run's summary. */
export function rowFromSummary(run: PlannedRun, summary: Summary): ComparisonRow {
  return {
    method: run.method,
    target_sparsity: run.targetSparsity,
    sparsity: summary.sparsity,
    seed: run.seed,
    test_acc: summary.test_acc ?? Number.NaN,
    ...(typeof summary.train_acc === 'number' ? { train_acc: summary.train_acc } : {}),
    seconds_per_epoch: summary.seconds_per_epoch ?? Number.NaN,
  };
}

/** The machine a comparison ran on, for `results.json`. */
export function describeMachine(): Record<string, unknown> {
  const cores = cpus();
  return {
    cpu: cores[0]?.model ?? 'unknown',
    cores: cores.length,
    memory_gib: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    free_memory_gib: Math.round((freemem() / 2 ** 30) * 10) / 10,
    os: `${platform()} ${release()}`,
    node: process.version,
  };
}

function packageVersion(): string {
  const path = new URL('../package.json', import.meta.url);
  try {
    return (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** Writes `results.json`, `table.md` and the plot from the rows finished so far. */
async function writeResults(
  out: string,
  runs: readonly PlannedRun[],
  backend: string,
  jobs: number,
): Promise<ComparisonResults> {
  const rows: ComparisonRow[] = [];
  let validation = false;
  for (const run of runs) {
    const summary = readRunSummary(run.dir);
    if (summary) rows.push(rowFromSummary(run, summary));
    validation ||= summary?.evaluated_on === 'validation';
  }
  const toDense = speedToDense(rows);
  const results: ComparisonResults = {
    rows,
    // Every run of a comparison shares its flags, so one held-out run means all were.
    ...(validation ? { evaluated_on: 'validation' as const } : {}),
    ...(toDense === undefined ? {} : { seconds_per_epoch_to_dense: toDense }),
    jobs,
    machine: describeMachine(),
    backend,
    versions: { slt: packageVersion(), '@tensorflow/tfjs-core': tfjsVersion, node: process.version },
  };
  writeFileAtomic(join(out, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  if (rows.length > 0) await writeComparisonArtifacts(out, results);
  return results;
}

/**
 * Runs every run of `plan` that has no `summary.json` yet (resuming those with a checkpoint),
 * `jobs` at a time, and writes the results after each one finishes. Throws if any run failed,
 * after the others have finished.
 */
export async function compare(
  plan: ComparisonPlan,
  out: string,
  options: CompareOptions = {},
): Promise<ComparisonResults> {
  const runs = planComparison(plan, out);
  const jobs = options.jobs ?? 1;
  check(Number.isInteger(jobs) && jobs >= 1, `compare: --jobs must be a positive integer, got ${jobs}`);
  const executor = options.executor ?? inProcessExecutor;
  const notify = options.onState ?? (() => {});
  makeOutputDirectory(out, 'comparison directory');
  makeDirectory(join(out, 'runs'));
  const backend = runs[0].config.backend;
  const pending: PlannedRun[] = [];
  for (const run of runs) {
    if (existsSync(join(run.dir, 'summary.json'))) notify(run, 'skipped', 'summary.json exists');
    else {
      pending.push(run);
      notify(run, 'queued');
    }
  }
  const failures: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < pending.length && !options.signal?.aborted) {
      const run = pending[next++];
      const resume = existsSync(join(run.dir, 'checkpoint'));
      notify(run, resume ? 'resumed' : 'running');
      try {
        await executor(run, resume);
        const summary = readRunSummary(run.dir);
        if (!summary) throw new Error('the run wrote no summary.json');
        notify(
          run,
          'done',
          `test_acc ${((summary.test_acc ?? 0) * 100).toFixed(2)}% sparsity ${summary.sparsity.toFixed(3)}`,
        );
        await writeResults(out, runs, backend, jobs);
      } catch (error) {
        const message = (error as Error).message.split('\n')[0];
        failures.push(`${runDirName(run.method, run.targetSparsity, run.seed)}: ${message}`);
        notify(run, 'failed', message);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, Math.max(1, pending.length)) }, worker));
  const results = await writeResults(out, runs, backend, jobs);
  if (failures.length > 0) {
    throw new Error(`compare: ${failures.length} run(s) failed: ${failures.join('; ')}`);
  }
  return results;
}
