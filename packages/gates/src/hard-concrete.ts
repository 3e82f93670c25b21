/**
 * The hard concrete gate (Louizos, Welling and Kingma, "Learning sparse neural networks through
 * L0 regularization", ICLR 2018): u ~ U(0, 1),
 * s = sigmoid((log u - log(1 - u) + log_alpha) / beta) * (zeta - gamma) + gamma, z = clamp(s, 0, 1).
 * With noise L = logit(u), P(s > t) = sigmoid(log_alpha - beta * logit((t - gamma) / (zeta - gamma))).
 */
import {
  add,
  cast,
  clipByValue,
  div,
  fill,
  greater,
  log,
  mul,
  scalar,
  sigmoid,
  sub,
  tidy,
  type Variable,
  variable,
} from '@tensorflow/tfjs-core';
import type { Gate, GateOptions, NoiseSource } from './gate.js';
import { logit } from './math.js';
import { defaultNoise } from './noise.js';

/** Options of the `hard-concrete` gate. */
export interface HardConcreteGateOptions extends GateOptions {
  /** Temperature (default 2/3). */
  readonly beta?: number;
  /** Lower stretch limit (default -0.1). */
  readonly gamma?: number;
  /** Upper stretch limit (default 1.1). */
  readonly zeta?: number;
  /** After each step log_alpha is clamped to [-limit, limit] (default 10, never binding in practice). */
  readonly logAlphaLimit?: number;
}

/** Creates a `hard-concrete` gate of `shape`; log_alpha starts at `init` (default 2: mostly open). */
export function hardConcreteGate(shape: readonly number[], options: HardConcreteGateOptions = {}): Gate {
  const beta = options.beta ?? 2 / 3;
  const gamma = options.gamma ?? -0.1;
  const zeta = options.zeta ?? 1.1;
  if (!(beta > 0)) throw new RangeError(`hard-concrete gate: beta must be > 0, got ${beta}`);
  if (!(gamma < 0 && zeta > 1))
    throw new RangeError(`hard-concrete gate: need gamma < 0 < 1 < zeta, got ${gamma}, ${zeta}`);
  const limit = options.logAlphaLimit ?? 10;
  const threshold = (t: number) => beta * logit((t - gamma) / (zeta - gamma));
  const logAlpha0 =
    options.initialPOpen !== undefined ? logit(options.initialPOpen) + threshold(0) : (options.init ?? 2);
  // Unnamed gates get a unique tfjs name (variable names are global); tidy frees the initial value.
  const logAlpha: Variable = tidy(() =>
    variable(
      fill([...shape], logAlpha0),
      options.trainable ?? true,
      options.name === undefined ? undefined : `${options.name}/log_alpha`,
    ),
  );
  const stretch = (s: ReturnType<typeof sigmoid>) =>
    clipByValue(add(mul(s, scalar(zeta - gamma)), scalar(gamma)), 0, 1);
  const above = (t: number) => tidy(() => sigmoid(sub(logAlpha, scalar(threshold(t)))));
  return {
    kind: 'hard-concrete',
    shape,
    params: () => [logAlpha],
    sample: (noise: NoiseSource = defaultNoise) =>
      tidy(() => {
        const u = noise.uniform(shape);
        const logistic = sub(log(u), log(sub(scalar(1), u)));
        return stretch(sigmoid(div(add(logistic, logAlpha), scalar(beta))));
      }),
    deterministic: () => tidy(() => stretch(sigmoid(logAlpha))),
    mask: () => tidy(() => cast(greater(logAlpha, scalar(0)), 'float32')),
    pOpen: () => above(0),
    pKeep: () => above(0.5),
    pUndecided: () => tidy(() => sub(above(0), above(1))),
    project: () => {
      tidy(() => logAlpha.assign(clipByValue(logAlpha, -limit, limit)));
    },
    dispose: () => logAlpha.dispose(),
  };
}
