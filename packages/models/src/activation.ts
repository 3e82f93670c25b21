import { check, Registry } from '@slt/core';
import { leakyRelu, relu, type Tensor } from '@tensorflow/tfjs-core';

/** An elementwise nonlinearity. */
export type Activation = (x: Tensor) => Tensor;

/** A registered activation: ReLU, or a ReLU whose negative part has a fixed slope. */
export interface ActivationKind {
  /** Slope of the negative part when the model's arguments name none; absent for `relu`. */
  readonly defaultSlope?: number;
}

/**
 * Activations by name. `prelu` has a fixed slope, 0.25 unless a model's `slope` argument says
 * otherwise (PReLU's initial value, never learned here: only masks are): with gated weights a
 * unit whose inputs are mostly masked still passes a gradient, which keeps it from dying.
 * `leaky-relu` uses slope 0.01 by default.
 */
export const activations = new Registry<ActivationKind>('activation')
  .register('relu', {})
  .register('prelu', { defaultSlope: 0.25 })
  .register('leaky-relu', { defaultSlope: 0.01 });

/** The negative part's slope of activation `name` (0 for `relu`), `slope` overriding its default. */
export function negativeSlope(name: string, slope?: number): number {
  const kind = activations.get(name);
  if (kind.defaultSlope === undefined) {
    check(slope === undefined, `activation ${name} has no slope to set (slope ${slope} given)`);
    return 0;
  }
  const chosen = slope ?? kind.defaultSlope;
  check(Number.isFinite(chosen), `activation ${name}: slope must be a finite number, got ${slope}`);
  return chosen;
}

/** The activation `name` as a function, with its negative part's slope `slope` where it has one. */
export function activationFunction(name: string, slope?: number): Activation {
  const a = negativeSlope(name, slope);
  return a === 0 ? (x) => relu(x) : (x) => leakyRelu(x, a);
}
