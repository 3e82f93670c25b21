/**
 * Supermask (Zhou, Lan, Liu and Yosinski, "Deconstructing lottery tickets: zeros, signs, and the
 * supermask", NeurIPS 2019): every weight has a score s; training samples m ~ Bernoulli(sigmoid(s))
 * and back-propagates through the sample as if it were sigmoid(s) (straight-through). Scores start
 * at 0 (P(keep) = 1/2), the authors' default. The ticket's binary mask is 1[sigmoid(s) > 1/2],
 * i.e. 1[s > 0]: the most likely value of each Bernoulli, deterministic as every slt ticket is
 * (the authors instead average test accuracy over sampled masks).
 */
import {
  cast,
  fill,
  greater,
  less,
  mul,
  scalar,
  sigmoid,
  sub,
  type Tensor,
  tidy,
  type Variable,
  variable,
  zeros,
} from '@tensorflow/tfjs-core';
import type { Gate, GateOptions, NoiseSource } from './gate.js';
import { logit } from './math.js';
import { defaultNoise } from './noise.js';
import { straightThroughWithSlope } from './straight-through.js';

/** Creates a `supermask` gate of `shape`: Bernoulli(sigmoid(score)) with a straight-through gradient. */
export function supermaskGate(shape: readonly number[], options: GateOptions = {}): Gate {
  const s0 = options.initialPOpen !== undefined ? logit(options.initialPOpen) : (options.init ?? 0);
  const name = options.name ?? 'gate';
  const scores: Variable = tidy(() =>
    variable(
      fill([...shape], s0),
      options.trainable ?? true,
      options.name === undefined ? undefined : `${name}/scores`,
    ),
  );
  const probability = (): Tensor => tidy(() => sigmoid(scores));
  return {
    kind: 'supermask',
    shape,
    params: () => [scores],
    sample: (noise: NoiseSource = defaultNoise) =>
      tidy(() => {
        const u = noise.uniform(shape);
        return straightThroughWithSlope(
          scores,
          (s) => cast(less(u, sigmoid(s)), 'float32'),
          (s) => {
            const p = sigmoid(s);
            return mul(p, sub(scalar(1), p));
          },
        );
      }),
    deterministic: probability,
    mask: () => tidy(() => cast(greater(scores, scalar(0)), 'float32')),
    pOpen: probability,
    pKeep: probability,
    pUndecided: () => zeros([...shape]),
    project: () => {},
    dispose: () => scores.dispose(),
  };
}
