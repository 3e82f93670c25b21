/**
 * Conv-2 / Conv-4 / Conv-6 / Conv-8: the VGG-like networks (Simonyan & Zisserman 2015) of the
 * lottery-ticket papers, Frankle & Carbin 2019 ("The lottery ticket hypothesis") and Ramanujan
 * et al. 2020 (edge-popup). Blocks of two 3x3 convolutions (64, 128, 256, 512 channels) each
 * followed by 2x2 max pooling, then fully connected 256 -> 256 -> classes; ReLU, no biases and no
 * normalisation, as in edge-popup's reference Conv nets, so a removed channel or unit silences the
 * inputs it feeds (each parameter's `inputUnits`). Options: `width` (channel multiplier,
 * default 1), `activation` (default `relu`), `slope` (of `prelu` or `leaky-relu`).
 */
import { check } from '@slt/core';
import { reshape } from '@tensorflow/tfjs-core';
import { activationFunction } from './activation.js';
import { conv2d } from './conv.js';
import { dense } from './dense.js';
import type { Model, ModelArgs, ParamSpec } from './model.js';
import { imageShape, numberOption, scaled } from './options.js';
import { maxPool2x2 } from './pool.js';

const BLOCK_CHANNELS = [64, 128, 256, 512];
const HIDDEN = [256, 256];

/** Builds the factory of the Conv-n net with `blocks` conv blocks (n = 2 * blocks). */
function convNet(blocks: number): (args: ModelArgs) => Model {
  const name = `conv${2 * blocks}`;
  return (args) => {
    const [height, width, channels] = imageShape(args, name);
    const widthFactor = numberOption(args, 'width', 1, name);
    const activationName = (args.activation as string | undefined) ?? 'relu';
    const activation = activationFunction(activationName, args.slope as number | undefined);
    const params: ParamSpec[] = [];
    let cin = channels;
    let h = height;
    let w = width;
    for (let b = 0; b < blocks; b++) {
      const cout = scaled(BLOCK_CHANNELS[b], widthFactor);
      for (let c = 0; c < 2; c++) {
        const previous = params[params.length - 1];
        params.push({
          name: `conv${2 * b + c + 1}.weight`,
          shape: [3, 3, cin, cout],
          prunable: true,
          fanIn: 9 * cin,
          unitAxis: 3,
          // Input channels are the previous convolution's output channels (the image's for the first).
          ...(previous === undefined ? {} : { inputUnits: { from: previous.name, axis: 2 } }),
        });
        cin = cout;
      }
      h = Math.floor(h / 2);
      w = Math.floor(w / 2);
      check(h > 0 && w > 0, () => `${name}: input ${height}x${width} is too small for ${blocks} poolings`);
    }
    const convCount = params.length;
    const widths = [h * w * cin, ...HIDDEN.map((u) => scaled(u, widthFactor)), args.classes];
    for (let i = 1; i < widths.length; i++) {
      params.push({
        name: `fc${i}.weight`,
        shape: [widths[i - 1], widths[i]],
        prunable: true,
        fanIn: widths[i - 1],
        // The classifier's output units are the classes: never removed as units.
        ...(i < widths.length - 1 ? { unitAxis: 1 } : {}),
        // fc1's rows are the flattened (h, w, channel) map of the last convolution, channel
        // fastest: row j is fed by channel j mod cin. Later rows are the previous layer's units.
        inputUnits: { from: params[params.length - 1].name, axis: 0 },
      });
    }
    return {
      name,
      args: { ...args, width: widthFactor, activation: activationName },
      params,
      inputShape: args.inputShape,
      classes: args.classes,
      apply(weights, x) {
        let y = reshape(x, [-1, height, width, channels]);
        for (let i = 0; i < convCount; i++) {
          y = activation(conv2d(y, weights[params[i].name], { inputIsData: i === 0 }));
          if (i % 2 === 1) y = maxPool2x2(y);
        }
        y = reshape(y, [-1, widths[0]]);
        for (let i = convCount; i < params.length; i++) {
          y = dense(y, weights[params[i].name]);
          if (i < params.length - 1) y = activation(y);
        }
        return y; // (batch, classes)
      },
    };
  };
}

/** Conv-2: 64-64-pool, FC 256-256-classes. */
export const conv2 = convNet(1);
/** Conv-4: 64-64-pool, 128-128-pool, FC 256-256-classes. */
export const conv4 = convNet(2);
/** Conv-6: 64-64-pool, 128-128-pool, 256-256-pool, FC 256-256-classes. */
export const conv6 = convNet(3);
/** Conv-8: 64-64-pool, 128-128-pool, 256-256-pool, 512-512-pool, FC 256-256-classes. */
export const conv8 = convNet(4);
