/**
 * The Gaussian-based relaxed Bernoulli gate of stochastic gates (Yamada et al., "Feature
 * selection using stochastic gates", ICML 2020): z = clamp(mu + sigma * eps + 1/2, 0, 1),
 * eps ~ N(0, 1). P(z > 0) = Phi((mu + 1/2) / sigma); the binary mask is 1[mu > 0].
 */

import { streamKey, uniforms } from '@slt/core';
import {
  add,
  cast,
  clipByValue,
  div,
  fill,
  greater,
  neg,
  scalar,
  sub,
  type Tensor,
  tensor,
  tidy,
  type Variable,
  variable,
} from '@tensorflow/tfjs-core';
import { clampedNoise } from './fused/clamped-noise.js';
import { decisionSums, keepSum, undecidedSum } from './fused/decision-sums.js';
import { gateSampleWeight } from './fused/gate-sample-weight.js';
import { gatedWeight } from './fused/gated-weight.js';
import { hardSample } from './fused/hard-sample.js';
import { fusedAvailable } from './fused/kernel.js';
import type { Gate, GateOptions, NoiseSource } from './gate.js';
import { normalCdf, normalQuantile } from './math.js';
import { defaultNoise } from './noise.js';

/** Options of the `gaussian` gate. */
export interface GaussianGateOptions extends GateOptions {
  /** Noise scale of the relaxation (default 0.5); the trainer may anneal it via `sigma`. */
  readonly sigma?: number;
  /** After each step mu is clamped to [-muLimit, muLimit] so gates never freeze (default 0.75). */
  readonly muLimit?: number;
  /**
   * When > 0, mu starts uniform on [m - initSpread, m + initSpread] with m = initSpread (1 - 2
   * targetSparsity), so the first binary mask is a random ticket at the target density (as
   * edge-popup's random scores), instead of every gate at `init`; drawn from slt's PRNG stream
   * named after the gate (default 0: no spread).
   */
  readonly initSpread?: number;
  /** Fraction of entries the first mask removes when `initSpread` > 0 (default 0.5). */
  readonly targetSparsity?: number;
  /** Seed of the `initSpread` draw (default 0). */
  readonly seed?: number;
}

/** The initial mu: constant, or spread uniformly around the mean that keeps the target density. */
function initialMu(shape: readonly number[], constant: number, options: GaussianGateOptions): Tensor {
  const spread = options.initSpread ?? 0;
  if (!(spread >= 0)) throw new RangeError(`gaussian gate: initSpread must be >= 0, got ${spread}`);
  if (spread === 0) return fill([...shape], constant);
  const sparsity = options.targetSparsity ?? 0.5;
  const center = spread * (1 - 2 * sparsity);
  const n = shape.reduce((a, b) => a * b, 1);
  const u = uniforms(streamKey(options.seed ?? 0, `${options.name ?? 'gate'}/mu`), n);
  return tensor(
    Float32Array.from(u, (v) => center + (2 * v - 1) * spread),
    [...shape],
  );
}

/** A gate family whose relaxation temperature the trainer may change while searching. */
export interface AnnealedGate extends Gate {
  /** The current noise scale (gaussian: sigma). */
  sigma: number;
  /**
   * When set, `sample()` is the binary sample 1[z > 1/2] = 1[mu + sigma * eps > 0] with gradient
   * 1 in mu (straight-through): the network trains on 0/1 gates, as the ticket will use them, and
   * every gate keeps hearing the loss.
   */
  hard: boolean;
}

/** Creates a `gaussian` gate of `shape`; mu starts at `init` (default 0.1), or spread (`initSpread`). */
export function gaussianGate(shape: readonly number[], options: GaussianGateOptions = {}): AnnealedGate {
  let sigma = options.sigma ?? 0.5;
  if (!(sigma > 0)) throw new RangeError(`gaussian gate: sigma must be > 0, got ${sigma}`);
  const muLimit = options.muLimit ?? 0.75;
  const mu0 =
    options.initialPOpen !== undefined ? sigma * normalQuantile(options.initialPOpen) - 0.5 : (options.init ?? 0.1);
  // Unnamed gates get a unique tfjs name (variable names are global); tidy frees the initial value.
  const mu: Variable = tidy(() =>
    variable(
      initialMu(shape, mu0, options),
      options.trainable ?? true,
      options.name === undefined ? undefined : `${options.name}/mu`,
    ),
  );
  let hard = false;
  // The training sample: relaxed, or binary once the trainer sets `hard`.
  const draw = (noise: NoiseSource) =>
    hard ? hardSample(mu, noise.normal(shape), sigma) : clampedNoise(mu, noise.normal(shape), sigma, 0.5);
  const probability = (shift: number) => tidy(() => normalCdf(div(add(mu, scalar(shift)), scalar(sigma))));
  return {
    kind: 'gaussian',
    shape,
    get sigma() {
      return sigma;
    },
    set sigma(value: number) {
      if (!(value > 0)) throw new RangeError(`gaussian gate: sigma must be > 0, got ${value}`);
      sigma = value;
    },
    get hard() {
      return hard;
    },
    set hard(value: boolean) {
      hard = value;
    },
    params: () => [mu],
    sample: (noise: NoiseSource = defaultNoise) => tidy(() => draw(noise)),
    sampledWeight: (w: Tensor, noise: NoiseSource = defaultNoise, scale: number, rescaleByGates: boolean) =>
      tidy(() =>
        fusedAvailable()
          ? gateSampleWeight(w, mu, noise.normal(shape), { sigma, hard, scale, rescaleByGates })
          : gatedWeight(w, draw(noise), scale, rescaleByGates),
      ),
    deterministic: () => tidy(() => clipByValue(add(mu, scalar(0.5)), 0, 1)),
    mask: () => tidy(() => cast(greater(mu, scalar(0)), 'float32')),
    pOpen: () => probability(0.5),
    pKeep: () => probability(0),
    keepSum: () => tidy(() => keepSum(mu, sigma)),
    undecidedSum: () => tidy(() => undecidedSum(mu, sigma)),
    decisionSums: () => tidy(() => decisionSums(mu, sigma)),
    pUndecided: () =>
      tidy(() =>
        sub(
          normalCdf(div(sub(scalar(0.5), mu), scalar(sigma))),
          normalCdf(div(neg(add(mu, scalar(0.5))), scalar(sigma))),
        ),
      ),
    project: () => {
      if (Number.isFinite(muLimit)) tidy(() => mu.assign(clipByValue(mu, -muLimit, muLimit)));
    },
    dispose: () => mu.dispose(),
  };
}
