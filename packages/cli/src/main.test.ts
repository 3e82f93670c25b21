// The `slt` command line in-process: every kind of bad input is exit 2 with exactly one line on
// stderr (no stack trace) and no summary.json; listing and help work.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { datasets } from '@slt/data';
import { gates } from '@slt/gates';
import { models } from '@slt/models';
import { regularizers } from '@slt/regularizers';
import { methods } from '@slt/train';
import { afterAll, describe, expect, it } from 'vitest';
import { registryListing } from './commands/list.js';
import { attachNegativeNumbers } from './main.js';
import { runSlt as slt } from './run-in-process.testing.js';
import { buildConfig, configFromFlags } from './search-flags.js';

const bin = join(import.meta.dirname, '../dist/bin.js');
const work = mkdtempSync(join(tmpdir(), 'slt-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
let runs = 0;
const freshOut = () => join(work, `run${runs++}`);

/** Runs the CLI in-process; returns the exit status and what it wrote. */

/** Tiny search flags: 256 training digits, LeNet 784-16-8-10, one epoch. */
const tiny = ['--train-limit', '256', '--test-limit', '100', '--epochs', '1', '--model-args', '{"hidden":[16,8]}'];

/** Runs `slt search` with `flags` into a fresh directory and checks it failed as bad input. */
async function rejects(flags: string[], message: RegExp): Promise<string> {
  const out = freshOut();
  const result = await slt('search', ...tiny, ...flags, '--out', out);
  expect(result.status, result.stderr).toBe(2);
  const lines = result.stderr.split('\n').filter((l) => l !== '');
  expect(lines, result.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^slt search: /);
  expect(lines[0]).not.toMatch(/\bat .*\.(ts|js):\d+/); // no stack frames
  expect(lines[0]).toMatch(message);
  expect(result.stdout).toBe('');
  expect(existsSync(join(out, 'summary.json'))).toBe(false);
  return lines[0];
}

/** Writes an IDX file: magic 0x0000 08 rank, big-endian dims, then the bytes. */
function idx(dims: number[], body: Uint8Array): Uint8Array {
  const header = new Uint8Array(4 + 4 * dims.length);
  const view = new DataView(header.buffer);
  view.setUint32(0, 0x0800 + dims.length);
  dims.forEach((d, i) => {
    view.setUint32(4 + 4 * i, d);
  });
  const bytes = new Uint8Array(header.length + body.length);
  bytes.set(header);
  bytes.set(body, header.length);
  return bytes;
}

describe('slt search: bad input is one line on stderr and exit 2', () => {
  it.each([
    ['model', ['--model', 'lenet5'], models.names()],
    ['dataset', ['--dataset', 'mnist1k'], datasets.names()],
    ['gate', ['--gate', 'gausian'], gates.names()],
    ['regularizer', ['--regularizer', 'l1'], regularizers.names()],
    ['method', ['--method', 'crbgg'], methods.names()],
  ])('an unknown %s lists the known names', async (kind, flags, known) => {
    const line = await rejects(flags, new RegExp(`unknown ${kind} '`));
    for (const name of known) expect(line).toContain(name);
  });

  it('--data-dir without the data set files says which files and where', async () => {
    const empty = join(work, 'empty');
    mkdirSync(empty, { recursive: true });
    await rejects(['--dataset', 'mnist', '--data-dir', empty], /missing train-images-idx3-ubyte.* in /);
    await rejects(['--dataset', 'mnist', '--data-dir', join(work, 'nowhere')], /does not exist/);
  });

  it('a truncated or corrupt IDX file in --data-dir names the file', async () => {
    const dir = join(work, 'corrupt');
    mkdirSync(dir, { recursive: true });
    const images = (n: number) => idx([n, 28, 28], new Uint8Array(n * 784));
    const labels = (n: number) => idx([n], new Uint8Array(n));
    writeFileSync(join(dir, 'train-images-idx3-ubyte'), images(20).subarray(0, 5000)); // truncated
    writeFileSync(join(dir, 'train-labels-idx1-ubyte'), labels(20));
    writeFileSync(join(dir, 't10k-images-idx3-ubyte'), images(10));
    writeFileSync(join(dir, 't10k-labels-idx1-ubyte'), labels(10));
    await rejects(['--dataset', 'mnist', '--data-dir', dir], /train-images-idx3-ubyte/);
    const bad = new Uint8Array(images(20));
    bad[2] = 0x0d; // float type code: not an image file
    writeFileSync(join(dir, 'train-images-idx3-ubyte'), bad);
    await rejects(['--dataset', 'mnist', '--data-dir', dir], /train-images-idx3-ubyte/);
    writeFileSync(join(dir, 'train-images-idx3-ubyte'), images(20));
    writeFileSync(join(dir, 'train-labels-idx1-ubyte'), idx([20], new Uint8Array(20).fill(12))); // label 12 of 10
    await rejects(['--dataset', 'mnist', '--data-dir', dir], /train-labels-idx1-ubyte.*label 12/);
  });

  it.each([
    [['--target-sparsity', '0'], /target-sparsity|targetSparsity/],
    [['--target-sparsity', '1.5'], /target-sparsity|targetSparsity/],
    [['--epochs', '0'], /epochs/],
    [['--batch-size=-1'], /batch-size|batchSize/],
    [['--batch-size', '-1'], /--batch-size/],
    [['--epochs', 'abc'], /--epochs: expected a number, got 'abc'/],
    [['--lr', ''], /--lr: expected a number or auto/],
    [['--lr', 'fast'], /--lr: expected a number or auto, got 'fast'/],
    [['--sigma-end', 'low'], /--sigma-end: expected a number or auto, got 'low'/],
    [['--val-split', '0.7'], /--val-split: must be in \(0, 0\.5\]/],
    [['--val-split', '0'], /--val-split: must be in \(0, 0\.5\]/],
    [['--model-args', '{hidden'], /--model-args: not valid JSON/],
    [['--gates', 'per-unit'], /gates/],
    [['--frobnicate', '3'], /frobnicate/],
  ])('%j is rejected', async (flags, message) => {
    await rejects(flags, message);
  });

  it('an unwritable --out (a path under a regular file)', async () => {
    const file = join(work, 'a-file');
    writeFileSync(file, 'x');
    const result = await slt('search', ...tiny, '--out', join(file, 'run'));
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/not writable/);
  });

  it.runIf(existsSync('/proc/self'))('an --out under /proc, which refuses new directories', async () => {
    const result = await slt('search', ...tiny, '--out', '/proc/slt-run');
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/run directory \/proc\/slt-run is not writable/);
  });

  it('slt compare with an unwritable --out', async () => {
    const file = join(work, 'another-file');
    writeFileSync(file, 'x');
    const out = join(file, 'comparison');
    const result = await slt('compare', ...tiny, '--methods', 'crbg', '--sparsities', '0.5', '--out', out);
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/comparison directory .* is not writable/);
  });

  it('--out is required', async () => {
    const result = await slt('search', ...tiny);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/--out DIR is required/);
  });

  it('a config file with an unknown key names the key; a wrong type names the key too', async () => {
    const unknown = join(work, 'unknown.json');
    writeFileSync(unknown, JSON.stringify({ epochs: 1, learningRate: 0.1 }));
    await rejects(['--config', unknown], /unknown key 'learningRate'/);
    const wrongType = join(work, 'wrong.yaml');
    writeFileSync(wrongType, 'epochs: three\n');
    await rejects(['--config', wrongType], /epochs: /);
    const notYaml = join(work, 'broken.yaml');
    writeFileSync(notYaml, 'epochs: [1\n');
    await rejects(['--config', notYaml], /not valid YAML/);
    await rejects(['--config', join(work, 'absent.yaml')], /cannot read config file/);
  });

  // Under vitest a missing optional module fails in Vite's resolver, not in Node's, so this one
  // runs the built command in a real Node process (the root `pnpm test` builds first).
  it.skipIf(!existsSync(bin))('--backend tensorflow without tfjs-node says how to install it (built bin)', () => {
    const out = freshOut();
    const child = spawnSync(process.execPath, [bin, 'search', ...tiny, '--backend', 'tensorflow', '--out', out], {
      encoding: 'utf8',
    });
    expect(child.status, child.stderr).toBe(2);
    const lines = child.stderr.split('\n').filter((l) => l !== '');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/backend tensorflow needs .*npm install @tensorflow\/tfjs-node/);
    expect(existsSync(join(out, 'summary.json'))).toBe(false);
  });

  it('a loss that becomes NaN stops the run with a line about the loss', async () => {
    // SGD with an enormous weight decay overflows the dense weights to infinity within two steps.
    await rejects(
      ['--method', 'dense', '--optimizer', 'sgd', '--lr', '1', '--weight-decay', '1e38'],
      /loss became NaN/,
    );
  });

  it('a search after a failed one in the same process still works', async () => {
    const out = freshOut();
    const result = await slt('search', ...tiny, '--out', out);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/test_acc .*% \(binary ticket\)/);
    expect(existsSync(join(out, 'summary.json'))).toBe(true);
    expect(existsSync(join(out, 'ticket.slt'))).toBe(true);
    // the same directory again without --resume is refused
    const again = await slt('search', ...tiny, '--out', out);
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/already holds a run/);
  });
});

describe('slt: listing, help and usage', () => {
  it('slt list --json lists every registry', async () => {
    const result = await slt('list', '--json');
    expect(result.status).toBe(0);
    const listing = JSON.parse(result.stdout);
    expect(listing).toEqual(registryListing());
    expect(listing.models).toEqual(models.names());
    expect(listing.gates).toEqual(gates.names());
    expect(listing.regularizers).toEqual(regularizers.names());
    expect(listing.methods).toEqual(methods.names());
    expect(listing.datasets).toEqual(datasets.names());
    for (const key of ['inits', 'activations', 'backends']) expect(listing[key].length).toBeGreaterThan(0);
  });

  it('slt search --help exits 0 and lists the flags', async () => {
    const result = await slt('search', '--help');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/usage: slt search/);
    expect(result.stdout).toMatch(/--target-sparsity/);
    expect(result.stderr).toBe('');
  });

  it('an unknown command lists the commands; no command prints usage with exit 2', async () => {
    const unknown = await slt('serch');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command 'serch' \(known: search, /);
    const none = await slt();
    expect(none.status).toBe(2);
    expect(none.stdout).toMatch(/usage: slt <command>/);
    expect((await slt('--help')).status).toBe(0);
  });
});

describe('search config layers', () => {
  it('starts from the method recipe of the chosen model, and a file or flags override it', () => {
    expect(buildConfig({}, {})).toMatchObject({ model: 'lenet300', optimizer: 'adam', lr: 'auto' });
    expect(buildConfig({ model: 'conv6' }, {})).toMatchObject({ optimizer: 'sgd', lr: 0.6, hardFrom: 0 });
    expect(buildConfig({}, { model: 'conv4', lr: 0.2 })).toMatchObject({ optimizer: 'sgd', lr: 0.2 });
    expect(buildConfig({ model: 'conv4', optimizer: 'adam' }, {})).toMatchObject({ optimizer: 'adam', lr: 0.6 });
    expect(buildConfig({ model: 'conv4' }, { method: 'edge-popup' })).toMatchObject({ optimizer: 'sgd', lr: 0.1 });
    expect(buildConfig({ model: 'conv4' }, { gates: 'structured' })).toMatchObject({ optimizer: 'adam', lr: 'auto' });
    expect(buildConfig({}, configFromFlags({ method: 'dense', lr: 'auto' }))).toMatchObject({ lr: 'auto' });
    expect(configFromFlags({ lr: '0.02' })).toEqual({ lr: 0.02 });
  });
});

describe('negative numbers as flag values', () => {
  it('attaches a negative number to the flag before it, and nothing else', () => {
    expect(attachNegativeNumbers(['--gate-init', '-0.3', '--lr', '0.1'])).toEqual(['--gate-init=-0.3', '--lr', '0.1']);
    expect(attachNegativeNumbers(['--lambda', '-.5'])).toEqual(['--lambda=-.5']);
    expect(attachNegativeNumbers(['--resume', '-h'])).toEqual(['--resume', '-h']);
    expect(attachNegativeNumbers(['--x=-1', '-2'])).toEqual(['--x=-1', '-2']);
  });

  it('lets `slt search --batch-size -1` fail on the value, not on the parser', async () => {
    const { status, stderr } = await slt('search', '--batch-size', '-1', '--out', join(tmpdir(), 'slt-negative'));
    expect(status).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/--batch-size: Number must be greater than 0/);
  });
});
