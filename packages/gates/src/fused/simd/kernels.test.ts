import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { add, backend, grad, mul, setBackend, sum, type Tensor, tensor1d, tidy } from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { exactPhi } from '../../normal-cdf.testing.js';
import { clampedNoise } from '../clamped-noise.js';
import { decisionSums } from '../decision-sums.js';
import { gatedWeight } from '../gated-weight.js';
import { hardSample } from '../hard-sample.js';
import { normalCdfSum } from '../normal-cdf-sum.js';
import { DECISION_TABLE_ROWS, simdKernelsFor } from './kernels.js';

const Phi = exactPhi;
const phi = (x: number) => Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);

/** Deterministic values spread over [-spread, spread]. */
function values(n: number, seed: number, spread: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => Math.sin((i + 1) * 12.9898 + seed * 78.233) * spread);
}

/** Everything the fused kernels compute for inputs of length n, read back as arrays. */
function outputs(n: number) {
  return tidy(() => {
    const x = tensor1d(values(n, 1, 3));
    const eps = tensor1d(values(n, 2, 2));
    const z = clampedNoise(x, eps, 0.25, 0.5);
    const read = (t: Tensor) => Array.from(t.dataSync());
    return {
      sample: read(z),
      sampleGrad: read(grad((v: Tensor) => sum(mul(clampedNoise(v, eps, 0.25, 0.5), eps)))(x)),
      gated: read(gatedWeight(eps, z, 1.5, true)),
      gatedGrad: read(grad((g: Tensor) => sum(mul(gatedWeight(eps, g, 1.5, true), x)))(z)),
      keep: normalCdfSum(x, 4, 0.5).dataSync()[0] as number,
      keepGrad: read(grad((v: Tensor) => normalCdfSum(v, 4, 0.5))(x)),
      between: normalCdfSum(x, 4, 2, -2).dataSync()[0] as number,
      betweenGrad: read(grad((v: Tensor) => normalCdfSum(v, 4, 2, -2))(x)),
      hard: read(hardSample(x, eps, 0.25)),
      decision: decisionSums(x, 0.25).map((s) => s.dataSync()[0] as number),
      decisionApart: [normalCdfSum(x, 4), normalCdfSum(x, -4, 2, -2)].map((s) => s.dataSync()[0] as number),
      decisionGrad: read(
        grad((v: Tensor) => {
          const [keep, undecided] = decisionSums(v, 0.25);
          return add(mul(keep, 0.3), mul(undecided, -2));
        })(x),
      ),
    };
  });
}

/** The largest |a - b| relative to max(1, |b|). */
function maxDifference(a: readonly number[], b: readonly number[]): number {
  expect(a.length).toBe(b.length);
  return a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]) / Math.max(1, Math.abs(b[i]))), 0);
}

describe('SIMD kernels on the WASM heap', () => {
  it('binary.ts is kernels.wat assembled (run `pnpm build:simd` after editing the .wat)', () => {
    const script = join(import.meta.dirname, '../../../../../scripts/build-simd-kernels.mjs');
    const run = spawnSync(process.execPath, [script, '--check'], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('instantiate on the WASM backend heap', async () => {
    await setBackend('wasm');
    const { wasm } = backend() as unknown as {
      wasm: { asm: { memory: WebAssembly.Memory }; _malloc(bytes: number): number };
    };
    const allocate = (bytes: number) => wasm._malloc(bytes);
    expect(simdKernelsFor(wasm.asm.memory, allocate)).toBeDefined();
    expect(simdKernelsFor(undefined, allocate)).toBeUndefined();
    // without an allocator there is no place for the Phi table
    expect(simdKernelsFor(wasm.asm.memory, undefined)).toBeUndefined();
  });

  // Lengths with every remainder mod 4, so the JavaScript tail after the SIMD loop is covered.
  it.each([1, 6, 1003, 4097])('match the JavaScript kernels (CPU backend) on %i entries', async (n) => {
    await setBackend('cpu');
    const cpu = outputs(n);
    await setBackend('wasm');
    const wasm = outputs(n);
    expect(maxDifference(wasm.sample, cpu.sample)).toBeLessThan(3e-7);
    // float32 (SIMD) and float64 (JavaScript) sums may round a sample at 0 or 1 differently
    const atEdge = (z: number) => z < 1e-6 || z > 1 - 1e-6;
    wasm.sampleGrad.forEach((g, i) => {
      if (!atEdge(cpu.sample[i])) expect(g).toBe(cpu.sampleGrad[i]);
    });
    expect(maxDifference(wasm.gated, cpu.gated)).toBeLessThan(1e-5);
    expect(maxDifference(wasm.gatedGrad, cpu.gatedGrad)).toBeLessThan(1e-5);
    // both read Phi from one table, in float32 (SIMD) and float64 (JavaScript): the sums agree to
    // 1e-6 relative (they are float32 scalars), the slopes to float32 rounding
    const close = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThan(1e-6 * Math.abs(b) + 1e-7);
    close(wasm.keep, cpu.keep);
    close(wasm.between, cpu.between);
    expect(maxDifference(wasm.keepGrad, cpu.keepGrad)).toBeLessThan(1e-6);
    expect(maxDifference(wasm.betweenGrad, cpu.betweenGrad)).toBeLessThan(1e-6);
    // x + 0.25 eps lands exactly on 0 for no entry of these inputs, so both sides agree exactly
    expect(wasm.hard).toEqual(cpu.hard);
    close(wasm.decision[0], cpu.decision[0]);
    close(wasm.decision[1], cpu.decision[1]);
    // the one-pass sums equal the separate passes on the same backend (up to the float32
    // rounding of each entry's difference of two Phi, which one pass sums as one value)
    for (const side of [wasm, cpu]) {
      expect(Math.abs(side.decision[0] - side.decisionApart[0])).toBeLessThan(1e-9 * n);
      expect(Math.abs(side.decision[1] - side.decisionApart[1])).toBeLessThan(1e-7 * n);
    }
    expect(maxDifference(wasm.decisionGrad, cpu.decisionGrad)).toBeLessThan(1e-6);
  });

  // decisionSums where sigma >= 1/32 reads a table it builds for the call in a block its caller
  // gives (kernels.wat, $decisionSumsTable), where n pays for the build; else two or three lookups
  // per entry (below sigma = 1/32, one). Both on the same heap and entries, the block allocated
  // here as simd/kernels.ts places it.
  it.each([0.03, 0.0313, 0.05, 0.0626, 0.1, 0.25, 1])(
    'decisionSums: its per-call table agrees with the lookups per entry (sigma %f)',
    async (sigma) => {
      await setBackend('wasm');
      const { wasm } = backend() as unknown as {
        wasm: { asm: { memory: WebAssembly.Memory }; _malloc(bytes: number): number; _free(at: number): void };
      };
      const simd = simdKernelsFor(wasm.asm.memory, (bytes) => wasm._malloc(bytes));
      if (simd === undefined) throw new Error('no SIMD kernels on the WASM heap');
      // 20000 entries: over [-2, 2], and within 6 sigma of the decision points 0 and +-1/2
      const n = 20000;
      const rows = DECISION_TABLE_ROWS;
      const [x, keepSlope, undecidedSlope] = [0, 1, 2].map(() => wasm._malloc(4 * n));
      const block = wasm._malloc(32 * rows + 64);
      const table = Math.ceil(block / 64) * 64;
      const mu = values(n, 3, 1).map((u, i) => (i % 2 === 0 ? 2 * u : [0, 0.5, -0.5][i % 3] + 6 * sigma * u));
      new Float32Array(wasm.asm.memory.buffer, x, n).set(mu);
      const scale = 1 / sigma;
      const run = (at: number, tableRows: number, count = n) => {
        const [keep, undecided] = simd.decisionSums(
          x,
          keepSlope,
          undecidedSlope,
          count,
          scale,
          scale / 2,
          at,
          tableRows,
        );
        const read = (p: number) => Array.from(new Float32Array(wasm.asm.memory.buffer, p, count));
        return { keep, undecided, keepSlope: read(keepSlope), undecidedSlope: read(undecidedSlope) };
      };
      const lookups = run(0, 0);
      const tabled = run(table, rows);
      // keep from the normal table's rows either way: the same bits
      expect(tabled.keep).toBe(lookups.keep);
      expect(tabled.keepSlope).toEqual(lookups.keepSlope);
      // undecided from the table's cubic in float32 (measured: 6e-10 n and 2.4e-7 scale)
      expect(Math.abs(tabled.undecided - lookups.undecided)).toBeLessThan(1e-8 * n);
      const worst = tabled.undecidedSlope.reduce((m, v, i) => Math.max(m, Math.abs(v - lookups.undecidedSlope[i])), 0);
      expect(worst).toBeLessThan(1e-6 * scale);
      // ...read from the table where sigma >= 1/32 (values that differ in the last bits), not below
      expect(tabled.undecidedSlope.some((v, i) => v !== lookups.undecidedSlope[i])).toBe(sigma > 1 / 32);
      // too few entries to pay for the build (below 2 rows), or too small a block: lookups per entry
      expect(run(table, rows, 2000)).toEqual(run(0, 0, 2000));
      expect(run(table, 1024)).toEqual(lookups);
      for (const p of [x, keepSlope, undecidedSlope, block]) wasm._free(p);
    },
  );

  it('compute Phi and phi to float32 accuracy from t = -14 to 14', async () => {
    await setBackend('wasm');
    const t = Float32Array.from({ length: 2801 }, (_, i) => -14 + i * 0.01);
    tidy(() => {
      const x = tensor1d(t);
      const slopes = grad((v: Tensor) => normalCdfSum(v, 1))(x).dataSync();
      // one entry at a time gives each Phi(t) on its own (the sum of a single entry)
      let worstCdf = 0;
      let worstPdf = 0;
      for (let i = 0; i < t.length; i += 7) {
        const single = normalCdfSum(tensor1d(t.subarray(i, i + 4)), 1, 0, null);
        const reference = [0, 1, 2, 3].reduce((s, k) => s + Phi(t[i + k] ?? Number.NaN), 0);
        if (i + 4 <= t.length) worstCdf = Math.max(worstCdf, Math.abs((single.dataSync()[0] as number) - reference));
      }
      for (let i = 0; i < t.length; i++) worstPdf = Math.max(worstPdf, Math.abs(slopes[i] - phi(t[i])));
      expect(worstCdf).toBeLessThan(4 * 2e-7);
      expect(worstPdf).toBeLessThan(2e-7);
    });
  });

  it('propagate NaN, so that a NaN gate shows in the loss', async () => {
    await setBackend('wasm');
    const total = tidy(() => normalCdfSum(tensor1d([0, Number.NaN, 1, 2, 3]), 1).dataSync()[0]);
    expect(total).toBeNaN();
  });
});
