/**
 * ResNets (He et al. 2016, "Deep residual learning for image recognition") in their CIFAR form: a
 * 3x3 stride-1 stem and no stem max pooling, so 32x32 inputs keep 32/16/8/4 resolutions over the
 * four stages. ResNet-18 uses basic blocks (two 3x3 convs), ResNet-50 bottleneck blocks (1x1,
 * 3x3 with the stride, 1x1 x4: torchvision's v1.5), Wide ResNet-50-2 (Zagoruyko & Komodakis 2016)
 * bottlenecks twice as wide. Batch norm without affine parameters after every convolution, no
 * biases (as edge-popup's reference); global average pooling, then one fully connected layer.
 * Options: `width` (channel multiplier, default 1), `blocks` (blocks per stage, default the
 * architecture's).
 */
import { check } from '@slt/core';
import { add, relu, type Tensor } from '@tensorflow/tfjs-core';
import { conv2d } from './conv.js';
import { dense } from './dense.js';
import type { Model, ModelArgs, ParamSpec, Weights } from './model.js';
import { batchNorm } from './norm.js';
import { imageShape, intListOption, numberOption, scaled } from './options.js';
import { globalAvgPool } from './pool.js';

const STAGE_CHANNELS = [64, 128, 256, 512];

/** One convolution of the net: its parameter name, stride and padding. */
interface ConvLayer {
  readonly name: string;
  readonly stride: number;
  readonly padding: number;
}

/** A residual block: the main path's convolutions and an optional projection shortcut. */
interface Block {
  readonly path: ConvLayer[];
  readonly shortcut?: ConvLayer;
}

interface ResNetSpec {
  readonly name: string;
  readonly bottleneck: boolean;
  readonly blocks: readonly number[];
  /** Bottleneck width multiplier (Wide ResNet-50-2: 2). */
  readonly bottleneckWidth: number;
}

function resnet(spec: ResNetSpec): (args: ModelArgs) => Model {
  const { name } = spec;
  return (args) => {
    const [, , channels] = imageShape(args, name);
    const widthFactor = numberOption(args, 'width', 1, name);
    const blocksPerStage = intListOption(args, 'blocks', spec.blocks, name);
    check(blocksPerStage.length <= STAGE_CHANNELS.length, `${name}: blocks lists at most 4 stages`);
    const params: ParamSpec[] = [];
    const convSpec = (paramName: string, k: number, cin: number, cout: number): void => {
      params.push({ name: paramName, shape: [k, k, cin, cout], prunable: true, fanIn: k * k * cin, unitAxis: 3 });
    };
    const stem = scaled(64, widthFactor);
    convSpec('conv1.weight', 3, channels, stem);
    const blocks: Block[] = [];
    let cin = stem;
    blocksPerStage.forEach((count, stage) => {
      const base = scaled(STAGE_CHANNELS[stage], widthFactor);
      for (let i = 0; i < count; i++) {
        const prefix = `layer${stage + 1}.${i}`;
        const stride = i === 0 && stage > 0 ? 2 : 1;
        const path: ConvLayer[] = [];
        let cout: number;
        if (spec.bottleneck) {
          const mid = base * spec.bottleneckWidth;
          cout = base * 4;
          convSpec(`${prefix}.conv1.weight`, 1, cin, mid);
          convSpec(`${prefix}.conv2.weight`, 3, mid, mid);
          convSpec(`${prefix}.conv3.weight`, 1, mid, cout);
          path.push({ name: `${prefix}.conv1.weight`, stride: 1, padding: 0 });
          path.push({ name: `${prefix}.conv2.weight`, stride, padding: 1 });
          path.push({ name: `${prefix}.conv3.weight`, stride: 1, padding: 0 });
        } else {
          cout = base;
          convSpec(`${prefix}.conv1.weight`, 3, cin, cout);
          convSpec(`${prefix}.conv2.weight`, 3, cout, cout);
          path.push({ name: `${prefix}.conv1.weight`, stride, padding: 1 });
          path.push({ name: `${prefix}.conv2.weight`, stride: 1, padding: 1 });
        }
        let shortcut: ConvLayer | undefined;
        if (stride !== 1 || cin !== cout) {
          convSpec(`${prefix}.shortcut.weight`, 1, cin, cout);
          shortcut = { name: `${prefix}.shortcut.weight`, stride, padding: 0 };
        }
        blocks.push({ path, shortcut });
        cin = cout;
      }
    });
    params.push({ name: 'fc.weight', shape: [cin, args.classes], prunable: true, fanIn: cin }); // classes are never removed as units

    const convBn = (weights: Weights, layer: ConvLayer, x: Tensor): Tensor =>
      batchNorm(conv2d(x, weights[layer.name], { stride: layer.stride, padding: layer.padding }));

    return {
      name,
      args: { ...args, width: widthFactor, blocks: blocksPerStage },
      params,
      inputShape: args.inputShape,
      classes: args.classes,
      apply(weights, x) {
        let y = relu(batchNorm(conv2d(x, weights['conv1.weight'], { inputIsData: true }))); // (b, h, w, stem)
        for (const block of blocks) {
          let z = y;
          block.path.forEach((layer, i) => {
            z = convBn(weights, layer, z);
            if (i < block.path.length - 1) z = relu(z);
          });
          const identity = block.shortcut === undefined ? y : convBn(weights, block.shortcut, y);
          y = relu(add(z, identity));
        }
        return dense(globalAvgPool(y), weights['fc.weight']); // (b, classes)
      },
    };
  };
}

/** ResNet-18 (basic blocks 2-2-2-2), CIFAR stem. */
export const resnet18 = resnet({ name: 'resnet18', bottleneck: false, blocks: [2, 2, 2, 2], bottleneckWidth: 1 });
/** ResNet-50 (bottleneck blocks 3-4-6-3), CIFAR stem. */
export const resnet50 = resnet({ name: 'resnet50', bottleneck: true, blocks: [3, 4, 6, 3], bottleneckWidth: 1 });
/** Wide ResNet-50-2 (bottlenecks twice as wide), CIFAR stem. */
export const wrn50_2 = resnet({ name: 'wrn50_2', bottleneck: true, blocks: [3, 4, 6, 3], bottleneckWidth: 2 });
