/**
 * The Gaussian-based relaxed Bernoulli gate of stochastic gates (Yamada et al., "Feature
 * selection using stochastic gates", ICML 2020): z = clamp(mu + sigma * eps + 1/2, 0, 1),
 * eps ~ N(0, 1). P(z > 0) = Phi((mu + 1/2) / sigma); the binary mask is 1[mu > 0].
 */
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
  tidy,
  type Variable,
  variable,
} from '@tensorflow/tfjs-core';
import { clampedNoise } from './fused/clamped-noise.js';
import { normalCdfSum } from './fused/normal-cdf-sum.js';
import type { Gate, GateOptions, NoiseSource } from './gate.js';
import { normalCdf, normalQuantile } from './math.js';
import { defaultNoise } from './noise.js';
import { straightThrough } from './straight-through.js';

/** Options of the `gaussian` gate. */
export interface GaussianGateOptions extends GateOptions {
  /** Noise scale of the relaxation (default 0.5); the trainer may anneal it via `sigma`. */
  readonly sigma?: number;
  /** After each step mu is clamped to [-muLimit, muLimit] so gates never freeze (default 0.75). */
  readonly muLimit?: number;
}

/** A gate family whose relaxation temperature the trainer may change while searching. */
export interface AnnealedGate extends Gate {
  /** The current noise scale (gaussian: sigma). */
  sigma: number;
  /**
   * When set, `sample()` is the binary sample 1[z > 1/2] with the relaxed sample's gradient
   * (straight-through): the network trains on 0/1 gates, as the ticket will use them.
   */
  hard: boolean;
}

/** Creates a `gaussian` gate of `shape`; mu starts at `init` (default 0.1). */
export function gaussianGate(shape: readonly number[], options: GaussianGateOptions = {}): AnnealedGate {
  let sigma = options.sigma ?? 0.5;
  if (!(sigma > 0)) throw new RangeError(`gaussian gate: sigma must be > 0, got ${sigma}`);
  const muLimit = options.muLimit ?? 0.75;
  const mu0 =
    options.initialPOpen !== undefined ? sigma * normalQuantile(options.initialPOpen) - 0.5 : (options.init ?? 0.1);
  // Unnamed gates get a unique tfjs name (variable names are global); tidy frees the initial value.
  const mu: Variable = tidy(() =>
    variable(
      fill([...shape], mu0),
      options.trainable ?? true,
      options.name === undefined ? undefined : `${options.name}/mu`,
    ),
  );
  let hard = false;
  const relaxed = (noise: NoiseSource) => clampedNoise(mu, noise.normal(shape), sigma, 0.5);
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
    sample: (noise: NoiseSource = defaultNoise) =>
      tidy(() =>
        hard ? straightThrough(relaxed(noise), (z) => cast(greater(z, scalar(0.5)), 'float32')) : relaxed(noise),
      ),
    deterministic: () => tidy(() => clipByValue(add(mu, scalar(0.5)), 0, 1)),
    mask: () => tidy(() => cast(greater(mu, scalar(0)), 'float32')),
    pOpen: () => probability(0.5),
    pKeep: () => probability(0),
    keepSum: () => tidy(() => normalCdfSum(mu, 1 / sigma)),
    // P(0 < z < 1) = Phi((1/2 - mu) / sigma) - Phi(-(mu + 1/2) / sigma), summed.
    undecidedSum: () => tidy(() => normalCdfSum(mu, -1 / sigma, 0.5 / sigma, -0.5 / sigma)),
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
