import { check } from '@slt/core';
import { reshape } from '@tensorflow/tfjs-core';
import { activationFunction } from './activation.js';
import { dense } from './dense.js';
import type { Model, ModelArgs, ParamSpec } from './model.js';

/**
 * LeNet-300-100 (LeCun et al. 1998): input -> 300 -> 100 -> classes, fully connected, no bias,
 * the MLP of the lottery-ticket literature. Options: `hidden` (default [300, 100]),
 * `activation` (default `relu`), `slope` (the negative part's fixed slope of `prelu` or
 * `leaky-relu`; default the activation's own).
 */
export function lenet300(args: ModelArgs): Model {
  const hidden = (args.hidden as number[] | undefined) ?? [300, 100];
  const activationName = (args.activation as string | undefined) ?? 'relu';
  check(
    Array.isArray(hidden) && hidden.length > 0 && hidden.every((h) => Number.isInteger(h) && h > 0),
    `lenet300: hidden must be a list of positive integers, got ${JSON.stringify(hidden)}`,
  );
  const slope = args.slope as number | undefined;
  const activation = activationFunction(activationName, slope);
  const inputs = args.inputShape.reduce((a, b) => a * b, 1);
  const widths = [inputs, ...hidden, args.classes];
  const params: ParamSpec[] = widths.slice(1).map((out, i) => ({
    name: `fc${i + 1}.weight`,
    shape: [widths[i], out],
    prunable: true,
    fanIn: widths[i],
    // The classifier's output units are the classes: never removed as units.
    ...(i < hidden.length ? { unitAxis: 1 } : {}),
    // Rows are fed by the previous layer's units: a removed unit silences its row (no bias).
    ...(i > 0 ? { inputUnits: { from: `fc${i}.weight`, axis: 0 } } : {}),
  }));
  return {
    name: 'lenet300',
    args: { ...args, hidden, activation: activationName, ...(slope === undefined ? {} : { slope }) },
    params,
    inputShape: args.inputShape,
    classes: args.classes,
    apply(weights, x) {
      let h = reshape(x, [-1, inputs]);
      params.forEach((spec, i) => {
        h = dense(h, weights[spec.name], i === 0);
        if (i < params.length - 1) h = activation(h);
      });
      return h;
    },
  };
}
