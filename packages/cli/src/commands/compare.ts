import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '@slt/core';
import { makeDirectory, writeFileAtomic } from '@slt/core/node';
import { runDirName } from '@slt/report';
import { compare, type PlannedRun, type RunExecutor, type RunState } from '@slt/train';
import { parseList, parseNumber, parseNumberList } from '../options.js';
import { configFlagOptions, configFlagsHelp, configFromFlags, readConfigFile } from '../search-flags.js';
import { type Command, parseCommandArgs } from './command.js';

const HELP = `usage: slt compare --methods M1,M2 --sparsities S1,S2 [--seeds 0,1,2] [--jobs N] [search flags] --out DIR

Runs every method x sparsity x seed on the same network, init and data (dense once per seed, at
sparsity 0), each a search into DIR/runs/<method>-s<sparsity>-seed<seed>/, then writes
DIR/results.json, DIR/table.md (mean ± std over seeds; with two seeds or more, also the first
method minus each other one, paired by seed) and DIR/accuracy-vs-sparsity.svg.
Started again, it skips the runs whose summary.json exists and resumes those with a checkpoint.

  --methods LIST     methods to compare (slt list), e.g. crbg,edge-popup,supermask,random,dense
  --sparsities LIST  target sparsities, e.g. 0.5,0.9
  --seeds LIST       seeds (default 0); one seed = one network init and data order for every method
  --jobs N           runs at once, each in its own process (default 1)
  --config FILE      YAML or JSON config shared by every run
  --out DIR          comparison directory
Search flags below are passed to every run and override each method's recipe:
${configFlagsHelp()}`;

/** Runs each planned run as `slt search` in a child process, its output kept in DIR/runs/<name>.log. */
function childProcessExecutor(out: string): RunExecutor {
  const script = process.argv[1];
  return (run, resume) =>
    new Promise<void>((resolve, reject) => {
      const name = runDirName(run.method, run.targetSparsity, run.seed);
      const plans = join(out, 'plans');
      makeDirectory(plans);
      const planFile = join(plans, `${name}.json`);
      writeFileAtomic(planFile, `${JSON.stringify(run.config, null, 2)}\n`);
      const log = createWriteStream(join(out, 'runs', `${name}.log`), { flags: 'a' });
      const args = [script, 'search', '--config', planFile, '--out', run.dir, ...(resume ? ['--resume'] : [])];
      const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.pipe(log, { end: false });
      child.stderr.pipe(log, { end: false });
      let lastError = '';
      child.stderr.on('data', (chunk: Buffer) => {
        const lines = chunk.toString().trim().split('\n');
        lastError = lines[lines.length - 1] ?? lastError;
      });
      child.on('error', reject);
      child.on('close', (code) => {
        log.end();
        if (code === 0) resolve();
        else reject(new Error(`exit ${code}: ${lastError.replace(/\r/g, ' ').trim()} (log: runs/${name}.log)`));
      });
    });
}

/** Epochs written so far by a running run. */
function epochsDone(run: PlannedRun): number {
  const path = join(run.dir, 'metrics.jsonl');
  if (!existsSync(path)) return 0;
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '').length;
}

/** One line per status change when not a TTY; a redrawn table of every run on a TTY. */
function progressDisplay(stream: NodeJS.WriteStream) {
  const tty = stream.isTTY === true;
  const states = new Map<PlannedRun, { state: RunState; detail: string }>();
  let drawn = 0;
  const draw = () => {
    const lines = [...states].map(([run, { state, detail }]) => {
      const name = runDirName(run.method, run.targetSparsity, run.seed).padEnd(28);
      const live =
        state === 'running' || state === 'resumed' ? `epoch ${epochsDone(run)}/${run.config.epochs}` : detail;
      return `${name} ${state.padEnd(8)} ${live}`;
    });
    if (drawn > 0) stream.write(`\x1b[${drawn}A`);
    stream.write(lines.map((l) => `\x1b[2K${l}\n`).join(''));
    drawn = lines.length;
  };
  const timer = tty ? setInterval(draw, 2000) : undefined;
  return {
    onState(run: PlannedRun, state: RunState, detail = '') {
      states.set(run, { state, detail });
      if (tty) draw();
      else if (state !== 'queued') {
        stream.write(`${runDirName(run.method, run.targetSparsity, run.seed)} ${state}${detail ? ` ${detail}` : ''}\n`);
      }
    },
    stop() {
      if (timer) clearInterval(timer);
      if (tty) draw();
    },
  };
}

export const compareCommand: Command = {
  summary: 'run methods x sparsities x seeds on one setup (writes results.json, table.md, a plot)',
  async run(argv) {
    const parsed = parseCommandArgs(
      argv,
      {
        ...configFlagOptions,
        methods: { type: 'string' },
        sparsities: { type: 'string' },
        seeds: { type: 'string' },
        jobs: { type: 'string' },
        config: { type: 'string' },
        out: { type: 'string' },
      },
      HELP,
    );
    if (parsed === undefined) return 0;
    const { values } = parsed;
    if (values.out === undefined) throw new InputError('--out DIR is required (the comparison directory)');
    for (const flag of ['method', 'seed', 'target-sparsity'] as const) {
      if ((values as Record<string, unknown>)[flag] !== undefined)
        throw new InputError(`--${flag} is per run here: use --methods, --seeds, --sparsities`);
    }
    const methodNames = parseList(values.methods);
    if (methodNames === undefined) throw new InputError('--methods is required, e.g. --methods crbg,edge-popup,dense');
    const sparsities = parseNumberList('sparsities', values.sparsities) ?? [];
    for (const s of sparsities) {
      if (!(s > 0 && s < 1)) throw new InputError(`--sparsities: each must be in (0, 1), got ${s}`);
    }
    const seeds = parseNumberList('seeds', values.seeds) ?? [0];
    for (const s of seeds) {
      if (!(Number.isInteger(s) && s >= 0))
        throw new InputError(`--seeds: each must be a non-negative integer, got ${s}`);
    }
    const jobs = parseNumber('jobs', values.jobs) ?? 1;
    if (!(Number.isInteger(jobs) && jobs >= 1))
      throw new InputError(`--jobs: expected a positive integer, got ${jobs}`);
    const fileConfig = values.config === undefined ? {} : readConfigFile(values.config);
    const shared = { ...fileConfig, ...configFromFlags(values) };
    const display = progressDisplay(process.stderr);
    const controller = new AbortController();
    const stop = () => controller.abort();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    try {
      const results = await compare({ methods: methodNames, sparsities, seeds, shared }, values.out, {
        jobs,
        executor: childProcessExecutor(values.out),
        onState: display.onState,
        signal: controller.signal,
      });
      display.stop();
      process.stdout.write(`${readFileSync(join(values.out, 'table.md'), 'utf8')}\n`);
      process.stdout.write(
        `${results.rows.length} runs in ${values.out} (results.json, table.md, accuracy-vs-sparsity.svg)\n`,
      );
      return controller.signal.aborted ? 1 : 0;
    } finally {
      display.stop();
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    }
  },
};
