/**
 * The activations a TensorFlow.js Layers model names in its config (Keras's serialised names),
 * written as plain tfjs-core ops so a converted layer computes what the original layer computes.
 * Formulas: GELU (Hendrycks & Gimpel 2016), SELU (Klambauer et al. 2017), Swish (Ramachandran et
 * al. 2017), Mish (Misra 2019); the rest are the textbook functions.
 */
import { Registry } from '@slt/core';
import {
  abs,
  add,
  clipByValue,
  div,
  elu,
  erf,
  mul,
  pow,
  relu,
  selu,
  sigmoid,
  softmax,
  softplus,
  type Tensor,
  tanh,
} from '@tensorflow/tfjs-core';

/** An elementwise (or, for softmax, last-axis) nonlinearity. */
export type ActivationFn = (x: Tensor) => Tensor;

/** Activations by the name a Layers config gives them (`'relu'`, `'hardSigmoid'`, ...). */
export const layerActivations = new Registry<ActivationFn>('activation')
  .register('linear', (x) => x)
  .register('relu', (x) => relu(x))
  .register('relu6', (x) => clipByValue(relu(x), 0, 6))
  .register('elu', (x) => elu(x))
  .register('selu', (x) => selu(x))
  .register('sigmoid', (x) => sigmoid(x))
  .register('hardSigmoid', (x) => clipByValue(add(mul(x, 0.2), 0.5), 0, 1))
  .register('tanh', (x) => tanh(x))
  .register('softmax', (x) => softmax(x, -1))
  .register('softplus', (x) => softplus(x))
  .register('softsign', (x) => div(x, add(abs(x), 1)))
  .register('swish', (x) => mul(sigmoid(x), x))
  .register('mish', (x) => mul(x, tanh(softplus(x))))
  .register('gelu', (x) => mul(mul(x, 0.5), add(1, erf(div(x, Math.SQRT2)))))
  .register('gelu_new', (x) =>
    mul(mul(x, 0.5), add(1, tanh(mul(Math.sqrt(2 / Math.PI), add(x, mul(0.044715, pow(x, 3))))))),
  );
