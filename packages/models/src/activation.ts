import { Registry } from '@slt/core';
import { leakyRelu, relu, type Tensor } from '@tensorflow/tfjs-core';

/** An elementwise nonlinearity. */
export type Activation = (x: Tensor) => Tensor;

/**
 * Activations by name. `prelu` has a fixed slope of 0.25 (PReLU's initial value, never learned
 * here: only masks are): with gated weights a unit whose inputs are mostly masked still passes a
 * gradient, which keeps it from dying. `leaky-relu` uses slope 0.01.
 */
export const activations = new Registry<Activation>('activation')
  .register('relu', (x) => relu(x))
  .register('prelu', (x) => leakyRelu(x, 0.25))
  .register('leaky-relu', (x) => leakyRelu(x, 0.01));
