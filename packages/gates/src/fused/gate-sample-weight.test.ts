import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { grad, mul, setBackend, sum, type Tensor, tensor, tidy } from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { gaussianGate } from '../gaussian.js';
import { clampedNoise } from './clamped-noise.js';
import { gateSampleWeight } from './gate-sample-weight.js';
import { gatedWeight } from './gated-weight.js';
import { hardSample } from './hard-sample.js';

/** Deterministic values spread over [-spread, spread]. */
function values(n: number, seed: number, spread: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => Math.sin((i + 1) * 12.9898 + seed * 78.233) * spread);
}

const read = (t: Tensor) => Array.from(t.dataSync());

describe.each(['cpu', 'wasm'])('gateSampleWeight on %s', (backendName) => {
  it.each([
    [1, false, false],
    [6, false, true],
    [1003, false, true],
    [1003, true, true],
    [1003, true, false],
  ])(
    'n = %i, hard %s, rescale %s: the same bits as the sample and gatedWeight composed, value and gradient',
    async (n, hard, rescale) => {
      await setBackend(backendName);
      tidy(() => {
        const w = tensor(values(n, 1, 0.1), [n]);
        const mu = tensor(values(n, 2, 1.4), [n]);
        const eps = tensor(values(n, 3, 2), [n]);
        const probe = tensor(values(n, 4, 1), [n]);
        const attrs = { sigma: 0.3, hard, scale: 1.25, rescaleByGates: rescale };
        const composed = (m: Tensor) =>
          gatedWeight(w, hard ? hardSample(m, eps, 0.3) : clampedNoise(m, eps, 0.3, 0.5), 1.25, rescale);
        const fused = (m: Tensor) => gateSampleWeight(w, m, eps, attrs);
        expect(read(fused(mu))).toEqual(read(composed(mu)));
        const gradOf = (f: (m: Tensor) => Tensor) => read(grad((m: Tensor) => sum(mul(f(m), probe)))(mu));
        const fusedGrad = gradOf(fused);
        expect(fusedGrad).toEqual(gradOf(composed));
        // The relaxed sample passes gradients only inside (0, 1), the binary one everywhere.
        const zeros = fusedGrad.filter((g) => g === 0).length;
        if (hard) expect(zeros).toBe(0);
        else if (n > 100) expect(zeros).toBeGreaterThan(0);
      });
    },
  );
});

describe('gaussian gate sampledWeight', () => {
  it('equals gatedWeight of the gate own sample for the same noise, relaxed and binary', async () => {
    await setBackend('wasm');
    const gate = gaussianGate([7, 5], { sigma: 0.4, init: 0.05, initSpread: 0.6, seed: 3 });
    const eps = tensor(values(35, 5, 2), [7, 5]);
    const noise = { normal: () => eps.clone(), uniform: () => eps.clone() };
    const w = tensor(values(35, 6, 0.2), [7, 5]);
    for (const hard of [false, true]) {
      gate.hard = hard;
      tidy(() => {
        expect(read(gate.sampledWeight?.(w, noise, 2, true) as Tensor)).toEqual(
          read(gatedWeight(w, gate.sample(noise), 2, true)),
        );
      });
    }
    gate.dispose();
  });
});
