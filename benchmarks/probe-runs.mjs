// Runs `slt search` once per probe case into its own directory, skipping a case whose
// summary.json exists (a stopped probe started again resumes where it was), at most `jobs` at a
// time, and keeps only each run's numbers (config.json, metrics.jsonl, summary.json).
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const cli = join(dirname(fileURLToPath(import.meta.url)), '..', 'packages', 'cli', 'dist', 'bin.js');
const kept = ['config.json', 'metrics.jsonl', 'summary.json'];

function searchOnce(args, dir) {
  return new Promise((done, fail) => {
    rmSync(dir, { recursive: true, force: true });
    const child = spawn(process.execPath, [cli, 'search', ...args, '--out', dir], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    child.on('error', fail);
    child.on('exit', (code) => {
      if (code !== 0) return fail(new Error(`slt search failed (exit ${code}): ${args.join(' ')}`));
      // The ticket, checkpoint and report are for the run, not the record.
      for (const file of readdirSync(dir))
        if (!kept.includes(file)) rmSync(join(dir, file), { recursive: true, force: true });
      done();
    });
  });
}

/**
 * Each case is { name, args } (slt search flags); returns [case, summary] pairs in case order.
 * `root` holds one directory per case name.
 */
export async function probeRuns(cases, { root, jobs = 1 }) {
  const pending = cases.filter((c) => !existsSync(join(root, c.name, 'summary.json')));
  const workers = Array.from({ length: Math.min(jobs, pending.length) }, async () => {
    for (let c = pending.shift(); c !== undefined; c = pending.shift()) {
      console.log(`${c.name}: slt search ${c.args.join(' ')}`);
      await searchOnce(c.args, join(root, c.name));
    }
  });
  await Promise.all(workers);
  return cases.map((c) => [c, JSON.parse(readFileSync(join(root, c.name, 'summary.json'), 'utf8'))]);
}
